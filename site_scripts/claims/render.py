"""The claims page as Markdown: the legend (from the verdict table), the runs behind the verdicts, the
articles as they name themselves, a summary per topic, the findings across articles, a section per
claim, and what was left out and why."""

from __future__ import annotations

from datetime import date

from contract.schema import RunResult
from site_scripts.claims.checks import CHECKS
from site_scripts.claims.evaluate import CheckedClaim
from site_scripts.claims.registry import NOT_STATED, TOPICS, Article, ClaimFile, age_text, render_dates
from site_scripts.claims.verdicts import (
    NOT_MEASURED,
    NOT_TESTABLE,
    OUT_OF_SCOPE,
    OUTCOME_WORDS,
    STATUS_WORDS,
    STATUSES,
    legend_rows,
)
from site_scripts.text import formatting, icons, labels, provenance_text

# The icon per verdict (Material's inline SVG, text.icons); the colours are in docs/stylesheets/claims.css, by the
# class `claim-<status>`.
BADGE_ICON = {
    "supported": "supported", "partly_supported": "partly_supported", "mixed": "mixed",
    "partly_contradicted": "partly_contradicted", "contradicted": "contradicted", "inconclusive": "tie",
    "no_difference_detected": "no_difference_detected", "not_testable": "not_testable", "not_measured": "not_measured",
}
assert set(BADGE_ICON) == set(STATUSES)


def badge(status: str) -> str:
    return f'<span class="claim-verdict claim-{status}">{icons.icon(BADGE_ICON[status])} {STATUS_WORDS[status]}</span>'


def check_anchor(name: str) -> str:
    return f"check-{name.replace('_', '-')}"


# --- the legend -----------------------------------------------------------------------------

def legend(checked: list[CheckedClaim]) -> str:
    """The verdict table as the code applies it (verdicts.RULES), then how each check in use counts a row."""
    rows = [[f"**{formatting.cell(words)}**", formatting.cell(when)] for words, when in legend_rows()]
    used = list(dict.fromkeys(item.claim.check for item in checked))
    rules = "\n".join(f'- <a id="{check_anchor(name)}"></a>`{name}` reads {formatting.cell(CHECKS[name].evidence)}. '
                      f"A row counts so: {formatting.code_aware_cell(CHECKS[name].rule)}." for name in used)
    return "\n\n".join([
        "Each check splits its evidence into rows (a configuration, a workload, a scenario, a fact) and says of "
        "each whether it is *for* the claim, *against* it, *neither* way (measured, no difference resolved) or "
        "*undecided*. Rows outside the claim's scope (a CPU row for a GPU claim) are shown, labelled "
        "“out of scope”, and never counted. The verdict follows from the counted rows by this table, the "
        "same one the code applies:",
        formatting.table(["verdict", "when"], rows),
        formatting.folded("How each check counts a row", rules),
    ])


# --- the runs -------------------------------------------------------------------------------

def run_line(run: RunResult) -> str:
    return formatting.cell(f"{provenance_text.run_caption(run)} (preset {run.settings.preset})")


def holds_for(checked: list[CheckedClaim]) -> str:
    """The runs behind the verdicts: id, preset, hardware, versions, whether the linked page shows it by default,
    and which claims each decides."""
    runs: dict[str, tuple[RunResult, list[CheckedClaim]]] = {}
    for item in checked:
        if item.run is not None:
            runs.setdefault(item.run.run_id, (item.run, []))[1].append(item)
    if not runs:
        return "No committed run holds evidence for any claim."
    rows = []
    for run, items in runs.values():
        pages = sorted({(CHECKS[i.claim.check].page or "", i.evidence.is_default) for i in items})
        shown = "; ".join(f"{page}: {'default' if default else 'not the default, at its own address'}"
                          for page, default in pages)
        decided = [i for i in items if i.verdict.status not in (NOT_TESTABLE, NOT_MEASURED)]
        shown_only = [i for i in items if i not in decided]
        claims_cell = ", ".join(f"[{i.claim.id}](#{i.claim.anchor})" for i in decided) or "none"
        if shown_only:
            claims_cell += ("; shows evidence outside their scope, or incomplete, for "
                            + ", ".join(f"[{i.claim.id}](#{i.claim.anchor})" for i in shown_only))
        rows.append([formatting.cell(run.run_id), formatting.cell(run.settings.preset),
                     formatting.cell(f"{run.provenance.host.cpu_model} ({run.provenance.host.logical_cpus} logical "
                                     f"CPUs) / {provenance_text.gpu_names(run)}"),
                     formatting.cell(", ".join(f"{labels.framework_name(fw)} {provenance_text.framework_version(run, fw)}"
                                               for fw in ("torch", "tensorflow"))),
                     formatting.cell(formatting.utc_date(run.started_utc)), formatting.cell(shown), claims_cell])
    return formatting.table(["run", "preset", "hardware", "versions", "date", "page that shows it", "claims it decides"],
                            rows)


# --- the articles ---------------------------------------------------------------------------

def article_short(article: Article) -> str:
    """Who wrote it, as the text says (author, else publisher, else its title), and its date or 'undated'."""
    who = article.author if article.author != NOT_STATED else article.publisher if article.publisher != NOT_STATED \
        else article.name()
    return f"{who}, {article.date if article.date != NOT_STATED else 'undated'}"


def article_link(claims: ClaimFile, key: str) -> str:
    return f"[{formatting.cell(article_short(claims.articles[key]))}](#article-{key})"


def date_text(article: Article, today: date) -> str:
    if article.date_iso is None:
        return "not stated in the article"
    return f"{article.date} ({age_text(article.date_iso, today)} before this build)"


def articles_table(claims: ClaimFile, today: date) -> str:
    parts = []
    for key, article in claims.articles.items():
        count = sum(key in c.articles for c in claims.claims)
        rows = [["title", formatting.cell(article.title if article.title != NOT_STATED else
                                           NOT_STATED + (f"; main heading “{article.heading}”" if article.heading else ""))],
                ["author", formatting.cell(article.author)], ["publisher", formatting.cell(article.publisher)],
                ["date", formatting.cell(date_text(article, today))],
                ["claims registered", str(count)], ["kept as", formatting.code_span(article.file)]]
        if article.note:
            rows.append(["note", formatting.cell(article.note)])
        parts.append(f"### {formatting.cell(article_short(article))} {{#article-{key}}}\n\n"
                     + formatting.table(["field", "as the text gives it"], rows))
    return "\n\n".join(parts)


# --- summary, findings, sections ------------------------------------------------------------

def summary_tables(claims: ClaimFile, checked: list[CheckedClaim]) -> str:
    counts: dict[str, int] = {}
    for item in checked:
        counts[item.verdict.status] = counts.get(item.verdict.status, 0) + 1
    parts = ["**Verdicts:** " + " · ".join(f"{badge(status)} {counts[status]}" for status in STATUSES if status in counts)]
    for topic in TOPICS:
        items = [i for i in checked if i.claim.topic == topic]
        if not items:
            continue
        rows = [[f"[{formatting.cell(i.claim.claim)}](#{i.claim.anchor})",
                 "<br>".join(article_link(claims, key) for key in i.claim.articles), badge(i.verdict.status),
                 formatting.code_aware_cell(i.verdict.summary)] for i in items]
        parts.append(f"### {topic.capitalize()} {{#claims-{topic.replace(' ', '-')}}}\n\n"
                     + formatting.table(["claim (our paraphrase)", "made by", "verdict", "evidence in one line"], rows))
    return "\n\n".join(parts)


def findings_section(claims: ClaimFile, today: date) -> str:
    parts = []
    for finding in claims.findings:
        links = ", ".join(f"[{c}](#claim-{c})" for c in finding.claims)
        body = formatting.cell(render_dates(finding.text, today)) + (f"\n\n    Claims: {links}" if links else "")
        parts.append(f'<a id="{finding.anchor}"></a>\n\n!!! warning "{finding.kind}: {finding.title}"\n\n    {body}')
    return "\n\n".join(parts) if parts else "No finding spans several claims."


def article_citation(article: Article, today: date) -> str:
    """Title (or 'untitled'), author and publisher where the text gives them, and its date with its age."""
    parts = [article.name()]
    if article.author != NOT_STATED:
        parts.append(article.author)
    if article.publisher != NOT_STATED and article.publisher != article.author:
        parts.append(article.publisher)
    parts.append(date_text(article, today) if article.date_iso else "undated")
    return ", ".join(parts)


def _made_by(claims: ClaimFile, item: CheckedClaim, today: date) -> list[str]:
    lines = []
    for key in item.claim.articles:
        quotes = "; ".join(f"line{'s' if len(a.lines) > 1 else ''} {', '.join(map(str, a.lines))}: "
                           f"“{formatting.cell(a.quote)}”" for a in item.claim.appears_in if a.article == key)
        lines.append(f"- [{formatting.cell(article_citation(claims.articles[key], today))}](#article-{key}) — {quotes}")
    return lines


def _where(item: CheckedClaim) -> list[str]:
    verdict, evidence = item.verdict, item.evidence
    lines = []
    if verdict.link:
        shows = ""
        if evidence.run is not None:
            shows = (" (shows this run by default)" if evidence.is_default else
                     f" (the page as it shows run {evidence.run.run_id})")
        lines += [f"Where to see it: [{formatting.cell(verdict.link)}]({verdict.link}){shows}", ""]
    if evidence.run is not None:
        because = "" if evidence.is_default else f" Not the page's default run: {formatting.cell(evidence.why_not_default)}." \
            if evidence.why_not_default else ""
        lines += [f"Evidence from {run_line(evidence.run)}.{because} "
                  f"Reproduce: {formatting.code_span(provenance_text.reproduce_command(evidence.run))}", ""]
    return lines


def claim_section(claims: ClaimFile, item: CheckedClaim, today: date) -> str:
    claim, verdict = item.claim, item.verdict
    lines = [f"### {formatting.cell(claim.id)} {{#{claim.anchor}}}", "",
             f"**Claim** (our paraphrase{', a claim of equality' if claim.kind == 'equality' else ''}): "
             f"{formatting.cell(claim.claim)}", "", "**Made by:**", "", *_made_by(claims, item, today), ""]
    if claim.figures:
        lines += ["**Figures given:** " + "; ".join(
            formatting.cell(f"{f.what}: {formatting.significant(f.value, 4) if not isinstance(f.value, list) else ' to '.join(formatting.significant(v, 4) for v in f.value)} {f.unit}")
            for f in claim.figures), ""]
    scope = claim.scope
    lines += [f"**Scope of its wording:** {formatting.cell(scope.words())}"
              + (f" — {formatting.cell(scope.note)}" if scope.note else ""), "",
              f"**Check:** [`{claim.check}`](#{check_anchor(claim.check)}) (what it reads and how its rows count: "
              f"see the legend)", "",
              f"**Verdict:** {badge(verdict.status)} — {formatting.code_aware_cell(verdict.summary)}", ""]
    for finding in claim.findings:
        lines += ['!!! warning "Finding: sourcing and scope"', "", f"    {formatting.cell(render_dates(finding, today))}", ""]
    related = [f for f in claims.findings if claim.id in f.claims]
    if related:
        lines += ["Findings across articles: " + ", ".join(f"[{formatting.cell(f.title)}](#{f.anchor})" for f in related), ""]
    for note in verdict.notes:
        lines += [f"*{formatting.code_aware_cell(note)}*", ""]
    if verdict.rows:
        rows = [[(f"[{formatting.code_aware_cell(r.label)}]({r.link})" if r.link else formatting.code_aware_cell(r.label)),
                 formatting.code_aware_cell(r.measured), formatting.cell(OUTCOME_WORDS[r.outcome]),
                 formatting.code_aware_cell(r.note)]
                for r in verdict.rows]
        if any(r.outcome == OUT_OF_SCOPE for r in verdict.rows):
            lines += ["*Rows marked out of scope are evidence outside what the claim is about: shown, never counted.*", ""]
        lines += [formatting.table([verdict.headers[0], verdict.headers[1], "counts", "note"], rows), ""]
    lines += _where(item)
    lines.append(f"Permalink: [#{claim.anchor}](#{claim.anchor})")
    return "\n".join(lines)


def claim_sections(claims: ClaimFile, checked: list[CheckedClaim], today: date) -> str:
    parts = []
    for topic in TOPICS:
        items = [i for i in checked if i.claim.topic == topic]
        if items:
            parts.append(f"## {topic.capitalize()}: the claims one by one {{#claims-{topic.replace(' ', '-')}-detail}}")
            parts += [claim_section(claims, item, today) for item in items]
    return "\n\n".join(parts)


def left_out(claims: ClaimFile) -> str:
    rows = [[article_link(claims, item.article), ", ".join(map(str, item.lines)), formatting.cell(item.text),
             formatting.cell(item.reason)] for item in claims.left_out]
    return formatting.folded(f"{len(rows)} passages not registered as claims, and why",
                             formatting.table(["article", "lines", "what it says (our summary)", "why not registered"], rows))
