"""Which run a page shows, and the selector over the runs that have something for it.

One page shows one run. A page whose placeholders draw on a single run (performance, memory,
accuracy, ...) is rendered once per run that has something for it: the page itself shows the
default run, and `<page>--<run id>` shows each run, at a URL that stays as long as the run stays
in results/ (that is the permalink to cite). Placeholders that draw on every run at once (the
claims and history pages) make a page that shows all runs, without a selector.
"""

from __future__ import annotations

import html
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


def page_runs(markdown: str, runs: list[RunResult]) -> tuple[list[RunResult], RunResult | None]:
    """(the runs a page can show, the one it shows by default): the rule the build applies to every page,
    for anyone who must agree with a page's default (the claims checker links to pages)."""
    placeholders.load_pages()  # what each placeholder needs is registered by the page modules
    eligible = eligible_runs(page_placeholders(markdown), runs)
    return eligible, (default_run(eligible) if eligible else None)


def hardware_speed(run: RunResult) -> tuple[int, float, int]:
    """Sort key for 'fastest hardware': a CUDA run over a CPU run, then the run's own measured peak matmul
    FLOP/s (fp32, best framework), then usable CPUs. Measured, never looked up."""
    on_gpu = int(run.settings.device == "cuda" or any(c.device.startswith("cuda") for c in run.cases))
    peaks = [p.flops_per_second for p in run.peak_matmul
             if p.flops_per_second is not None and p.precision == "fp32" and p.status == "ok"]
    return on_gpu, max(peaks, default=0.0), run.provenance.host.usable_cpus


def default_run(runs: list[RunResult]) -> RunResult:
    """The newest reference-preset run on the fastest hardware; without a reference-preset run, the newest
    run on the fastest hardware. A reference run on slower hardware beats a quick run on faster hardware:
    a quick run's tiny sizes are not what a reader should see first. Between equals, the newer framework
    releases win over the later date: a run that fills in history for an older release is not the default."""
    if not runs:
        raise ValueError("default_run needs at least one run")
    return max(runs, key=preference)


def preference(run: RunResult) -> tuple:
    # A reference run (full on CPU, gpu on a CUDA machine, memory for the page that needs its sweep; speed pages
    # never see memory runs, which are not eligible there) is what the run itself recorded.
    return (run.rules.reference_run, hardware_speed(run), history.release_order(run), run.started_utc)


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
    return (f"{run.settings.preset} · {formatting.utc_date(run.started_utc)} · {provenance_text.hardware_class(run)} · "
            f"{', '.join(provenance_text.versions(run))} · {run.run_id}")


@dataclass(frozen=True)
class RunChoice:
    """One option of a page's run selector: the run and the URL (relative to the page) that shows it."""

    run: RunResult
    href: str
    selected: bool


def run_note_html(shown: RunResult, borrowed: list[RunResult], choices: list[RunChoice], default: RunResult) -> str:
    """The block under a page's title: which run it shows, a selector when there are others, and any run a
    section had to be filled from because the shown run did not measure it."""
    role = "the default: the newest reference-preset run on the fastest hardware" if shown is default else \
        "not the default run"
    parts = [f'<div class="fwbench-run-note" data-run-id="{html.escape(shown.run_id)}">',
             f'<p><strong>Run shown:</strong> <code>{html.escape(shown.run_id)}</code> — '
             f'{html.escape(run_label(shown))} ({role}).</p>']
    if len(choices) > 1:
        options = "".join(
            f'<option value="{html.escape(c.href)}" data-run-id="{html.escape(c.run.run_id)}"'
            f'{" selected" if c.selected else ""}>{html.escape(run_label(c.run))}</option>' for c in choices)
        parts.append(f'<p><label>Hardware / run: <select class="fwbench-run-select">{options}</select></label></p>')
        links = " · ".join(f'<a href="{html.escape(c.href)}">{html.escape(c.run.run_id)}</a>' for c in choices)
        parts.append(f'<noscript><p>Other runs: {links}</p></noscript>')
    if borrowed:
        ids = ", ".join(f"<code>{html.escape(run.run_id)}</code>" for run in borrowed)
        parts.append(f"<p>Sections this run did not measure are shown from the newest run that did: {ids}.</p>")
    parts.append("</div>")
    return "".join(parts)


def insert_after_title(markdown: str, block: str) -> str:
    """Put `block` after the page's first '# ' heading (or at the top when it has none)."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: index + 1] + ["", block, ""] + lines[index + 1:])
    return f"{block}\n\n{markdown}"
