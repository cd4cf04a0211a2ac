"""The list of timing runs, and what changed between the two newest releases on one hardware class.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from contract.schema import RunResult
from site_scripts.analysis import code_changes, history
from site_scripts.text import formatting, icons, labels, provenance_text

CHANGE_HEADERS = ["figure", "workload", "case", "before", "after", "after / before", "95 % interval", "verdict",
                  "code of this case"]
VERDICT_COLUMN, CODE_COLUMN = CHANGE_HEADERS.index("verdict"), CHANGE_HEADERS.index("code of this case")
CASE_COLUMN = CHANGE_HEADERS.index("case")
# A cell's icon: a verdict that says something, a figure measured with changed code.
VERDICT_ICONS = {"better": "better", "worse": "worse"}


def runs_table(runs: list[RunResult]) -> str:
    rows = [[formatting.code_span(r.run_id), formatting.cell(formatting.utc_date(r.started_utc)),
             formatting.cell(r.settings.preset), formatting.cell(", ".join(provenance_text.versions(r))),
             formatting.cell(provenance_text.hardware_label(r)), str(len(r.cases))] for r in runs]
    return formatting.table(["run", "date", "preset", "versions", "hardware class", "cases"], rows)


@dataclass(frozen=True)
class ChangeRow:
    """One row of a changes table as plain text per column, and the icon (if any) that leads a column's cell.
    History's Markdown table and the Compare page's data files are both made from these, so they agree."""

    cells: tuple[str, ...]
    icons: dict[int, str]


def change_rows(old: RunResult, new: RunResult) -> list[ChangeRow]:
    """Every figure both runs measured (history.changes), in the table's order."""
    rows = []
    for c in sorted(history.changes(old, new), key=lambda c: (c.metric.key, c.workload, c.label)):
        interval = formatting.MISSING if c.ci_low is None else f"[{c.ci_low:.3f}, {c.ci_high:.3f}]"
        cells = (c.metric.title, labels.workload_title(new, c.workload), c.label, formatting.significant(c.old),
                 formatting.significant(c.new), f"{c.ratio:.3f}", interval, c.verdict, code_text(c.code))
        marks = {}
        if c.verdict in VERDICT_ICONS:
            marks[VERDICT_COLUMN] = VERDICT_ICONS[c.verdict]
        if c.code.known and c.code.changed:
            marks[CODE_COLUMN] = "warning"
        rows.append(ChangeRow(cells, marks))
    return rows


NO_SHARED_CASE = "The two runs share no measured case: nothing to compare."


def changes_table(old: RunResult, new: RunResult) -> str:
    rows = change_rows(old, new)
    if not rows:
        return NO_SHARED_CASE
    # The case column names modes and layouts (channels_last): as code, like every id on the site.
    body = [[(icons.labelled(row.icons[i], formatting.cell(text)) if i in row.icons
              else formatting.code_aware_cell(text) if i == CASE_COLUMN else formatting.cell(text))
             for i, text in enumerate(row.cells)] for row in rows]
    # The wrapper names the pair, so a reader's tools (and the Compare page's test) find this pair's table.
    return (f'<div class="fwbench-changes" data-before="{html.escape(old.run_id)}" '
            f'data-after="{html.escape(new.run_id)}" markdown>\n\n'
            + formatting.table(CHANGE_HEADERS, body) + "\n\n</div>")


def code_text(code: code_changes.CodeChange) -> str:
    """'same code', 'code changed (1 file, listed above)', or why it is not known."""
    if not code.known:
        return "not known: a run records no files and its commit is not in this checkout"
    if not code.changed:
        return "same code" + (" (a run had uncommitted changes)" if code.uncommitted else "")
    count = "1 file" if len(code.files) == 1 else f"{len(code.files)} files"
    return f"code changed ({count}, listed above)" + (" (a run had uncommitted changes)" if code.uncommitted else "")


def code_summary(old: RunResult, new: RunResult) -> str:
    """One sentence over all matched figures: how many came from changed code, and which files changed."""
    found = history.changes(old, new)
    changed = [c for c in found if c.code.changed]
    unknown = [c for c in found if not c.code.known]
    if not found:
        return ""
    if unknown:
        return (f"The code of {len(unknown)} of {len(found)} figures is not known (a run records no files and its "
                f"commit is not in this checkout): a change there may be the code's, not the release's.")
    if not changed:
        return f"Both runs measured all {len(found)} figures with the same code: the differences are the releases'."
    files = sorted({f for c in changed for f in c.code.files})
    return (f"{icons.icon('warning')} {len(changed)} of {len(found)} figures were measured with different code in the two runs, so their "
            f"change mixes the release with the code's: {', '.join(formatting.code_span(f) for f in files)}. "
            f"The last column names the files per figure.")


def conclusion(old: RunResult, new: RunResult) -> str:
    """'From tensorflow 2.20.0 to 2.21.0: 2 of 28 figures changed beyond the noise (…); the rest within it.'."""
    found = history.changes(old, new)
    if not found:
        return NO_SHARED_CASE
    moved = [c for c in found if c.verdict in ("better", "worse")]
    judged = [c for c in found if c.ci_low is not None]
    before, after = ", ".join(provenance_text.versions(old)), ", ".join(provenance_text.versions(new))
    if not moved:
        return formatting.cell(f"From {before} to {after}: none of the {len(judged)} figures judged changed beyond "
                               f"the noise.")
    listed = "; ".join(f"{c.metric.title} of {labels.workload_title(new, c.workload)} {c.label}: {c.verdict} "
                       f"(×{c.ratio:.3f})" for c in sorted(moved, key=lambda c: -abs(c.ratio - 1))[:4])
    more = f"; and {len(moved) - 4} more" if len(moved) > 4 else ""
    return formatting.cell(f"From {before} to {after}: {len(moved)} of {len(judged)} figures judged changed beyond "
                           f"the noise: {listed}{more}.")
