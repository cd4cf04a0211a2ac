"""The dated, sourced facts of the ecosystem page; one older than 12 months is flagged, not hidden.
"""

from __future__ import annotations

from datetime import date

from site_scripts.analysis import ecosystem_facts
from site_scripts.tables import export_matrix
from site_scripts.text import formatting, icons


def facts_table(facts: list[ecosystem_facts.Fact], today: date, executed_checks: set[str]) -> str:
    """Every fact with its sources and date; one older than 12 months is flagged, not hidden. A fact links to the
    check that executed it only where that check is in `executed_checks` (the checks table on the same page has
    its anchor); a check the shown run did not execute is named as such, not linked to an anchor that is missing."""
    rows = []
    for fact in facts:
        # Written out, not linked: the built site carries no reference off its own origin (see tests/test_render.py).
        sources = "<br>".join(f"{formatting.cell(s.title)}: {formatting.code_span(str(s.url))}" for s in fact.sources)
        checked = fact.checked.isoformat()
        if fact.is_stale(today):
            checked = icons.status_span(export_matrix.FAILED_CLASS, "warning", f"{checked}: older than 12 months, re-check")
        executed = _executed(fact.check, executed_checks)
        rows.append([formatting.cell(fact.topic), formatting.code_aware_cell(fact.torch), formatting.code_aware_cell(fact.tensorflow),
                     sources, checked, executed])
    return formatting.table(["topic", "PyTorch", "TensorFlow", "sources", "checked", "executed here"], rows)


def _executed(check: str | None, executed_checks: set[str]) -> str:
    if not check:
        return formatting.MISSING
    if check == "export":
        return f"[executed: {formatting.code_span(check)}](#export-matrix)"
    if check in executed_checks:
        return f"[executed: {formatting.code_span(check)}](#check-{check})"
    return f"{formatting.code_span(check)}: not executed in the run shown"
