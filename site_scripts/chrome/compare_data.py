"""The Compare page's data: for every ordered pair of timing runs on one hardware class, the changes table that
History prints for a release pair, precomputed at build time and published as one JSON file per pair.

The browser only selects and draws (site_scripts/chrome/assets/fwbench-compare.js); every number, interval and
verdict comes from `history.changes` through `history_changes.change_rows`, the same rows History's table is
made of, so the two pages cannot disagree. Runs on different hardware classes are not paired: a figure only
compares with the same case measured on the same kind of machine.
"""

from __future__ import annotations

import html
import json
from itertools import permutations

import markdown

from contract.schema import RunResult
from site_scripts.analysis import history
from site_scripts.tables import history_changes
from site_scripts.text import formatting, icons, provenance_text

# Pair files sit beside the page (docs/compare.md is served at compare/), so the script fetches them relatively.
PAGE_DIR = "compare"
PAIRS_DIR = "pairs"
INDEX_CLASS = "fwbench-compare-index"


def pair_name(before: RunResult, after: RunResult) -> str:
    return f"{before.run_id}--{after.run_id}.json"


def comparable_pairs(runs: list[RunResult]) -> list[tuple[RunResult, RunResult]]:
    """Every ordered pair of distinct timing runs measured on the same hardware class."""
    return [(a, b) for a, b in permutations(history.timing_runs(runs), 2)
            if provenance_text.hardware_class(a) == provenance_text.hardware_class(b)]


def _cell_html(row: history_changes.ChangeRow, column: int) -> str:
    text = html.escape(row.cells[column], quote=False)
    return icons.labelled(row.icons[column], text) if column in row.icons else text


def _inline_html(markdown_text: str) -> str:
    """A sentence of our own Markdown (code spans, an icon) as inline HTML."""
    rendered = markdown.markdown(markdown_text)
    return rendered.removeprefix("<p>").removesuffix("</p>")


def pair_document(before: RunResult, after: RunResult) -> dict:
    """One pair's table: the headers, each row's cells as HTML (escaped text, icons) and the one-line summary."""
    rows = history_changes.change_rows(before, after)
    return {
        "before": before.run_id,
        "after": after.run_id,
        "headers": history_changes.CHANGE_HEADERS,
        "rows": [[_cell_html(row, i) for i in range(len(row.cells))] for row in rows],
        "summary_html": _inline_html(history_changes.code_summary(before, after)) if rows else "",
        "empty": history_changes.NO_SHARED_CASE if not rows else "",
    }


def pair_files(runs: list[RunResult]) -> dict[str, str]:
    """Site path -> JSON text, one per comparable pair."""
    return {f"{PAGE_DIR}/{PAIRS_DIR}/{pair_name(a, b)}": json.dumps(pair_document(a, b), separators=(",", ":"))
            for a, b in comparable_pairs(runs)}


def default_pair(runs: list[RunResult]) -> tuple[RunResult, RunResult] | None:
    """What the page opens with: History's first release pair, else the two newest timing runs of one class."""
    pairs = history.release_pairs(runs)
    if pairs:
        return pairs[0]
    candidates = comparable_pairs(runs)
    return max(candidates, key=lambda p: (p[1].started_utc, p[0].started_utc)) if candidates else None


def run_label(run: RunResult) -> str:
    return (f"{run.run_id} · {run.settings.preset} · {formatting.utc_date(run.started_utc)} · "
            f"{', '.join(provenance_text.versions(run))}")


def index(runs: list[RunResult]) -> dict:
    """What the page embeds: the runs to pick from (with their hardware class), the pairs that have a file, and
    the pair to open with when the URL names none."""
    timing = history.timing_runs(runs)
    default = default_pair(runs)
    return {
        "runs": [{"id": r.run_id, "label": run_label(r), "hardware": provenance_text.hardware_label(r)}
                 for r in timing],
        "pairs": {f"{a.run_id}|{b.run_id}": f"{PAIRS_DIR}/{pair_name(a, b)}" for a, b in comparable_pairs(runs)},
        "default": [default[0].run_id, default[1].run_id] if default else None,
        "method": (f"A figure is flagged better or worse only when the {history.CONFIDENCE_LEVEL:.0%} bootstrap "
                   f"interval of the ratio of medians (each run's processes resampled, {history.RESAMPLES} "
                   f"resamples, seed {history.SEED}) excludes 1 and the change exceeds "
                   f"{history.MIN_RELATIVE_CHANGE:.0%}; runs with fewer than {history.MIN_PROCESSES} processes "
                   f"per case are not judged."),
    }


def index_script(runs: list[RunResult]) -> str:
    """The index as an inert JSON block in the page (`<` escaped, so no value can close the script tag)."""
    text = json.dumps(index(runs), separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" class="{INDEX_CLASS}">{text}</script>'
