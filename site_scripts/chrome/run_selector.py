"""Which run a page shows, and the selector over the runs that have something for it.

One page shows one run. A page whose placeholders draw on a single run (performance, memory,
accuracy, ...) is rendered once per run that has something for it: the page itself shows the
default run, and `<page>--<run id>` shows each run, at a URL that stays as long as the run stays
in results/ (that is the permalink to cite). Placeholders that draw on every run at once (the
claims and history pages) make a page that shows all runs, without a selector.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import history
from site_scripts.text import formatting, provenance_text

VARIANT_SEPARATOR = "--"


def page_placeholders(markdown: str) -> list[str]:
    """The placeholder names a page uses, in order of first use."""
    return list(dict.fromkeys(m.group(1) for m in placeholders.PLACEHOLDER.finditer(markdown)))


def uses_all_runs(names: list[str]) -> bool:
    return any(name in placeholders.ALL_RUNS for name in names)


def eligible_runs(names: list[str], runs: list[RunResult]) -> list[RunResult]:
    """Runs that have something for this page: each satisfies what at least one of its placeholders needs.

    Empty for a page without placeholders that depend on a run, or one that draws on all runs at once.
    """
    if uses_all_runs(names):
        return []
    needs = [placeholders.NEEDS[name] for name in names if name in placeholders.NEEDS]
    return [run for run in runs if any(need(run) for need in needs)]


# `fwbench build --default-run RUN_ID|newest` (make site: the run it just measured) reaches the hook through this.
DEFAULT_RUN_ENV = "FWBENCH_DEFAULT_RUN"


NEWEST = "newest"


def _fp32_peak(run: RunResult) -> float:
    peaks = [p.flops_per_second for p in run.peak_matmul
             if p.flops_per_second is not None and p.precision == "fp32" and p.status == "ok"]
    return max(peaks, default=0.0)


def _on_gpu(run: RunResult) -> int:
    return int(run.settings.device == "cuda" or any(c.device.startswith("cuda") for c in run.cases))


def page_runs(markdown: str, runs: list[RunResult]) -> tuple[list[RunResult], RunResult | None]:
    """(the runs a page can show, the one it shows by default): the rule the build applies to every page,
    for anyone who must agree with a page's default (the claims checker links to pages), including the run
    `--default-run` asked for."""
    placeholders.load_pages()  # what each placeholder needs is registered by the page modules
    eligible = eligible_runs(page_placeholders(markdown), runs)
    if not eligible:
        return eligible, None
    return eligible, pick_default(eligible, requested_run(os.environ.get(DEFAULT_RUN_ENV), runs)).run


def hardware_speed(run: RunResult) -> tuple[int, float, int]:
    """Sort key for 'fastest hardware': a CUDA run over a CPU run, then the run's own measured peak matmul
    FLOP/s (fp32, best framework), then usable CPUs. Measured, never looked up."""
    return _on_gpu(run), _fp32_peak(run), run.provenance.host.usable_cpus


def default_run(runs: list[RunResult]) -> RunResult:
    """The reference rule (a published build's default): a reference run over any other (what the run recorded:
    full on CPU, gpu on CUDA, memory for the memory page), then the fastest hardware (a CUDA run, then the run's
    measured fp32 matmul peak, then usable CPUs), then the newer framework releases, then the later start. A
    quick run's tiny sizes are not what a reader should see first; a run that fills in history for an older
    release is not the default. `default_reason` says which of these steps decided."""
    if not runs:
        raise ValueError("default_run needs at least one run")
    return max(runs, key=preference)


def preference(run: RunResult) -> tuple:
    # A reference run (full on CPU, gpu on a CUDA machine, memory for the page that needs its sweep; speed pages
    # never see memory runs, which are not eligible there) is what the run itself recorded.
    return (run.rules.reference_run, hardware_speed(run), history.release_order(run), run.started_utc)


def _gflops(run: RunResult) -> str:
    return f"{_fp32_peak(run) / 1e9:,.0f} GFLOP/s"


# The reference rule, step by step: what each step compares, and how the banner says the chosen run won it.
_RULE_STEPS = (
    (lambda r: r.rules.reference_run,
     lambda r: f"a reference run (preset {r.settings.preset})" if r.rules.reference_run else "no reference run"),
    (_on_gpu, lambda r: "measured on a GPU" if _on_gpu(r) else "no GPU run"),
    (_fp32_peak, lambda r: f"the highest fp32 matmul peak it measured ({_gflops(r)})"),
    (lambda r: r.provenance.host.usable_cpus, lambda r: f"the most usable CPUs ({r.provenance.host.usable_cpus})"),
    (history.release_order, lambda r: f"the newest framework releases ({', '.join(provenance_text.versions(r))})"),
    (lambda r: r.started_utc, lambda r: f"the latest start ({formatting.utc(r.started_utc)})"),
)


def default_reason(chosen: RunResult, runs: list[RunResult]) -> str:
    """The words for why the reference rule picked `chosen` among `runs`: only the steps that set it apart."""
    if len(runs) <= 1:
        return "the only run with something for this page"
    steps, rest = [], list(runs)
    for key, words in _RULE_STEPS:
        same = [r for r in rest if key(r) == key(chosen)]
        if len(same) < len(rest):
            steps.append(words(chosen))
        rest = same
        if len(rest) <= 1:
            break
    return f"the reference rule, among {len(runs)} runs with something for this page: " + "; then ".join(steps)


@dataclass(frozen=True)
class Default:
    """The run a page shows by default, and the words for the rule that picked it."""

    run: RunResult
    reason: str
    requested: bool  # picked by --default-run rather than by the reference rule


REQUESTED_REASON = ("the run this build was asked to show by default (`fwbench build --default-run`; "
                    "`make site` passes the run it just measured)")


def requested_run(value: str | None, runs: list[RunResult]) -> RunResult | None:
    """The run `--default-run` names: a run id, or `newest` (the latest start); None when unset.
    ValueError (one line) when no run has that id."""
    if not value:
        return None
    if value == NEWEST:
        return max(runs, key=lambda r: r.started_utc)
    for run in runs:
        if run.run_id == value:
            return run
    raise ValueError(f"--default-run {value}: no run with that id among the {len(runs)} finished runs "
                     f"(newest: {max(runs, key=lambda r: r.started_utc).run_id}); give a run id or `{NEWEST}`")


def pick_default(eligible: list[RunResult], requested: RunResult | None) -> Default:
    """The requested run where it has something for the page; the reference rule otherwise."""
    if requested is not None and any(run is requested for run in eligible):
        return Default(requested, REQUESTED_REASON, True)
    run = default_run(eligible)
    return Default(run, default_reason(run, eligible), False)


def runs_view(runs: list[RunResult], chosen: RunResult) -> list[RunResult]:
    """The runs reordered so that placeholders.run_for picks `chosen` for every placeholder it can fill;
    a placeholder it cannot fill takes the run it would default to among those that have what it needs."""
    return sorted((run for run in runs if run is not chosen), key=preference) + [chosen]


def runs_used(names: list[str], view: list[RunResult]) -> list[RunResult]:
    """The runs a page rendered from `view` draws on, the chosen (last) one first."""
    if uses_all_runs(names):
        return list(reversed(view))
    used = [placeholders.run_for(name, view) for name in names]
    if not used:
        return []
    ordered = [view[-1]] if view[-1] in used else []
    ordered += [run for run in reversed(view) if run in used and run is not view[-1]]
    return ordered


def variant_src_uri(src_uri: str, run: RunResult) -> str:
    """docs path of the page that shows `run`: 'performance.md' -> 'performance--<run id>.md' (same folder,
    so the page's relative links work unchanged)."""
    stem, _, suffix = src_uri.rpartition(".")
    return f"{stem}{VARIANT_SEPARATOR}{run.run_id}.{suffix}"


def run_label(run: RunResult) -> str:
    """One line that tells runs apart in the selector: preset, date, hardware, versions, id."""
    return (f"{run.settings.preset} · {formatting.utc_date(run.started_utc)} · {provenance_text.hardware_label(run)} · "
            f"{', '.join(provenance_text.versions(run))} · {run.run_id}")


@dataclass(frozen=True)
class RunChoice:
    """One option of a page's run selector: the run and the URL (relative to the page) that shows it."""

    run: RunResult
    href: str
    selected: bool


def run_note_html(shown: RunResult, borrowed: list[RunResult], choices: list[RunChoice], default: Default) -> str:
    """The block under a page's title: which run it shows and the rule that picked it, a selector when there are
    others, and any run a section had to be filled from because the shown run did not measure it."""
    role = f"the default: {default.reason}" if shown is default.run else \
        "not the default run; choose the default in the selector"
    parts = [f'<div class="fwbench-run-note" data-run-id="{formatting.html_text(shown.run_id)}"'
             f' data-default-rule="{"requested" if default.requested else "reference"}">',
             f'<p><strong>Run shown:</strong> <code>{formatting.html_text(shown.run_id)}</code> — '
             f'{formatting.html_text(run_label(shown))} ({_inline_code(role)}).</p>']
    if len(choices) > 1:
        options = "".join(
            f'<option value="{formatting.html_text(c.href)}" data-run-id="{formatting.html_text(c.run.run_id)}"'
            f'{" selected" if c.selected else ""}>{formatting.html_text(run_label(c.run))}'
            f'{" (default)" if c.run is default.run else ""}</option>' for c in choices)
        parts.append(f'<p><label>Hardware / run: <select class="fwbench-run-select">{options}</select></label></p>')
        links = " · ".join(f'<a href="{formatting.html_text(c.href)}">{formatting.html_text(c.run.run_id)}</a>' for c in choices)
        parts.append(f'<noscript><p>Other runs: {links}</p></noscript>')
    if borrowed:
        ids = ", ".join(f"<code>{formatting.html_text(run.run_id)}</code>" for run in borrowed)
        parts.append("<p>Sections this run did not measure are shown from the run the reference rule prefers "
                     f"among those that did: {ids}.</p>")
    parts.append("</div>")
    return "".join(parts)


def _inline_code(text: str) -> str:
    """Escaped text whose `backtick` spans become <code> (the note is raw HTML, not Markdown)."""
    pieces = " ".join(str(text).split()).split("`")
    return "".join(f"<code>{formatting.html_text(piece)}</code>" if i % 2 else formatting.html_text(piece)
                   for i, piece in enumerate(pieces))


def insert_after_title(markdown: str, block: str) -> str:
    """Put `block` after the page's first '# ' heading (or at the top when it has none)."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: index + 1] + ["", block, ""] + lines[index + 1:])
    return f"{block}\n\n{markdown}"


# A Markdown link to a page of this site: `](performance.md#anchor` or `](memory.md)`; no scheme, no folder.
_PAGE_LINK = re.compile(r"\]\((?P<page>[a-z0-9_-]+\.md)(?P<rest>[#)\s])")


def same_run_links(markdown: str, shown: RunResult, defaults: dict[str, RunResult],
                   eligible: dict[str, list[RunResult]]) -> str:
    """Links from a page that shows `shown` to another page lead to that page's copy for the same run, where it
    has one, so evidence a reader follows is the run they were reading; a page without that run keeps its link
    (to its own default run, which that page names)."""

    def retarget(match: re.Match) -> str:
        page = match.group("page")
        default = defaults.get(page)
        if default is None or default is shown or not any(run is shown for run in eligible.get(page, [])):
            return match.group(0)
        return f"]({variant_src_uri(page, shown)}{match.group('rest')}"

    return _PAGE_LINK.sub(retarget, markdown)
