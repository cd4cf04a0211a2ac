"""The claims page as Markdown: what the verdicts hold for, a summary table per topic, a section per claim."""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.claims.checks import CHECKS
from site_scripts.claims.evaluate import CheckedClaim
from site_scripts.claims.registry import TOPICS, ClaimFile
from site_scripts.claims.verdicts import AGAINST, FOR, NEITHER, STATUS_WORDS, UNDECIDED
from site_scripts.text import formatting, labels, provenance_text

BADGE_STYLE = {
    "supported": ("✅", "#1b7837"), "contradicted": ("❌", "#b2182b"), "mixed": ("◐", "#b35806"),
    "inconclusive": ("＝", "#555555"), "not_testable": ("⊘", "#555555"), "not_measured": ("…", "#555555"),
}
OUTCOME_WORDS = {FOR: "for the claim", AGAINST: "against the claim", NEITHER: "neither way", UNDECIDED: "undecided"}


def badge(status: str) -> str:
    symbol, colour = BADGE_STYLE[status]
    return (f'<span class="claim-verdict claim-{status}" style="color: {colour}; font-weight: 600; '
            f'white-space: nowrap">{symbol} {STATUS_WORDS[status]}</span>')


def source_text(claims: ClaimFile, key: str) -> str:
    source = claims.sources[key]
    title = source.title if source.title.startswith("not stated") else f"“{source.title}”"
    return f"{title}, {source.publisher}, {source.date}"


def run_line(run: RunResult) -> str:
    return formatting.cell(f"{provenance_text.run_caption(run)} (preset {run.settings.preset})")


def holds_for(checked: list[CheckedClaim]) -> str:
    """The runs behind the verdicts: id, preset, hardware, versions; and which claims each decides."""
    runs: dict[str, tuple[RunResult, list[str]]] = {}
    for item in checked:
        if item.run is not None and item.verdict.status != "not_testable":
            runs.setdefault(item.run.run_id, (item.run, []))[1].append(item.claim.id)
    if not runs:
        return "No committed run holds evidence for any claim."
    rows = [[formatting.cell(run.run_id), formatting.cell(run.settings.preset),
             formatting.cell(f"{run.provenance.host.cpu_model} ({run.provenance.host.logical_cpus} logical CPUs) / "
                             f"{provenance_text.gpu_names(run)}"),
             formatting.cell(", ".join(f"{labels.framework_name(fw)} {provenance_text.framework_version(run, fw)}"
                                       for fw in ("torch", "tensorflow"))),
             formatting.cell(formatting.utc_date(run.started_utc)),
             ", ".join(f"[{claim}](#claim-{claim})" for claim in ids)]
            for run, ids in runs.values()]
    return formatting.table(["run", "preset", "hardware", "versions", "date", "claims it decides"], rows)


def summary_tables(claims: ClaimFile, checked: list[CheckedClaim]) -> str:
    parts = []
    counts = {}
    for item in checked:
        counts[item.verdict.status] = counts.get(item.verdict.status, 0) + 1
    parts.append("**Verdicts:** " + " · ".join(f"{badge(status)} {n}" for status, n in counts.items()))
    for topic in TOPICS:
        items = [i for i in checked if i.claim.topic == topic]
        if not items:
            continue
        rows = [[f"[{formatting.cell(i.claim.claim)}](#{i.claim.anchor})",
                 formatting.cell(claims.sources[i.claim.source].publisher), badge(i.verdict.status),
                 formatting.cell(i.verdict.summary)] for i in items]
        parts.append(f"### {topic.capitalize()} {{#claims-{topic.replace(' ', '-')}}}\n\n"
                     + formatting.table(["claim", "source", "verdict", "evidence in one line"], rows))
    return "\n\n".join(parts)


def claim_section(claims: ClaimFile, item: CheckedClaim) -> str:
    claim, verdict = item.claim, item.verdict
    source = claims.sources[claim.source]
    lines = [f"### {formatting.cell(claim.id)} {{#{claim.anchor}}}", "",
             f"**Claim** (paraphrased): {formatting.cell(claim.claim)}", "",
             f"**Source:** {formatting.cell(source_text(claims, claim.source))}"
             + (f" — {formatting.cell(source.note)}" if source.note else ""), ""]
    if claim.figures:
        lines += ["**Figures it quotes:** " + "; ".join(
            formatting.cell(f"{f.what}: {formatting.significant(f.value, 4)} {f.unit}") for f in claim.figures), ""]
    lines += [f"**Check:** `{claim.check}` — {formatting.cell(CHECKS[claim.check].evidence)}", "",
              f"**Verdict:** {badge(verdict.status)} — {formatting.cell(verdict.summary)}", ""]
    for finding in claim.findings:
        lines += ['!!! warning "Finding: sources and scope"', "", f"    {formatting.cell(finding)}", ""]
    for note in verdict.notes:
        lines += [f"*{formatting.cell(note)}*", ""]
    if verdict.rows:
        rows = [[(f"[{formatting.cell(r.label)}]({r.link})" if r.link else formatting.cell(r.label)),
                 formatting.cell(r.measured), formatting.cell(OUTCOME_WORDS[r.outcome]), formatting.cell(r.note)]
                for r in verdict.rows]
        lines += [formatting.table([verdict.headers[0], verdict.headers[1], "counts", "note"], rows), ""]
    if verdict.link:
        lines += [f"Where to see it: [{formatting.cell(verdict.link)}]({verdict.link})", ""]
    if item.run is not None and verdict.status != "not_testable":
        lines += [f"Evidence from {run_line(item.run)}. "
                  f"Reproduce: {formatting.code_span(provenance_text.reproduce_command(item.run))}", ""]
    lines.append(f"Permalink: [#{claim.anchor}](#{claim.anchor})")
    return "\n".join(lines)


def claim_sections(claims: ClaimFile, checked: list[CheckedClaim]) -> str:
    parts = []
    for topic in TOPICS:
        items = [i for i in checked if i.claim.topic == topic]
        if items:
            parts.append(f"## {topic.capitalize()}: the claims one by one {{#claims-{topic.replace(' ', '-')}-detail}}")
            parts += [claim_section(claims, item) for item in items]
    return "\n\n".join(parts)
