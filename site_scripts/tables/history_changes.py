"""The list of timing runs, and what changed between the two newest releases on one hardware class.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.analysis import code_changes, history
from site_scripts.text import formatting, labels, provenance_text

VERDICT_MARKS = {"better": "▲ better", "worse": "▼ worse"}


def runs_table(runs: list[RunResult]) -> str:
    rows = [[formatting.code_span(r.run_id), formatting.cell(formatting.utc_date(r.started_utc)),
             formatting.cell(r.settings.preset), formatting.cell(", ".join(provenance_text.versions(r))),
             formatting.cell(provenance_text.hardware_class(r)), str(len(r.cases))] for r in runs]
    return formatting.table(["run", "date", "preset", "versions", "hardware class", "cases"], rows)


def changes_table(old: RunResult, new: RunResult) -> str:
    found = history.changes(old, new)
    if not found:
        return "The two runs share no measured case: nothing to compare."
    rows = []
    for c in sorted(found, key=lambda c: (c.metric.key, c.workload, c.label)):
        interval = "—" if c.ci_low is None else f"[{c.ci_low:.3f}, {c.ci_high:.3f}]"
        rows.append([formatting.cell(c.metric.title), formatting.cell(labels.workload_title(new, c.workload)),
                     formatting.cell(c.label), formatting.significant(c.old), formatting.significant(c.new),
                     f"{c.ratio:.3f}", interval, formatting.cell(VERDICT_MARKS.get(c.verdict, c.verdict)),
                     formatting.cell(code_text(c.code))])
    return formatting.table(["figure", "workload", "case", "before", "after", "after / before", "95 % interval",
                             "verdict", "code of this case"], rows)


def code_text(code: code_changes.CodeChange) -> str:
    """'same code', 'changed: benchmarks/harness/child.py', or why it is not known."""
    if not code.known:
        return "not known: a run records no files and its commit is not in this checkout"
    if not code.changed:
        return "same code" + (" (a run had uncommitted changes)" if code.uncommitted else "")
    count = "1 file" if len(code.files) == 1 else f"{len(code.files)} files"
    return f"⚠ code changed ({count}, listed above)" + (" (a run had uncommitted changes)" if code.uncommitted else "")


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
    return (f"⚠ {len(changed)} of {len(found)} figures were measured with different code in the two runs, so their "
            f"change mixes the release with the code's: {', '.join(formatting.code_span(f) for f in files)}. "
            f"The last column names the files per figure.")
