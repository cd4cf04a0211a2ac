"""Executed ecosystem checks: what ran, whether it passed, the evidence it recorded, with which versions.
"""

from __future__ import annotations

from contract.payloads import CheckData, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.tables import export_matrix
from site_scripts.text import formatting, icons


def checks_table(run: RunResult) -> str:
    records = run.study_records("ecosystem_checks")
    if not records:
        return export_matrix.NOT_MEASURED
    rows = []
    for record in records:
        check = check_name(record)
        if record.status != "ok":
            rows.append([f'<span id="check-{formatting.html_text(check)}"></span>{formatting.code_aware_cell(check)}', icons.status_span(export_matrix.FAILED_CLASS, "failed", f"{record.status}: {record.reason}"),
                         formatting.MISSING, formatting.MISSING])
            continue
        data: CheckData = payload(record)
        verdict = icons.status_span(export_matrix.OK_CLASS, "ok", "passed") if data.passed else icons.status_span(export_matrix.FAILED_CLASS, "failed", "did not pass")
        evidence = "; ".join(f"{k}: {v}" for k, v in data.evidence.items())
        versions = ", ".join(f"{k} {v}" for k, v in data.versions.items())
        rows.append([f'<span id="check-{formatting.html_text(check)}"></span>{formatting.code_aware_cell(data.claim)}', verdict,
                     formatting.code_aware_cell(evidence), formatting.code_aware_cell(versions)])
    return formatting.table(["claim", "result", "evidence", "versions"], rows)


def conclusion(run: RunResult) -> str:
    """'3 of 4 executed facts held; did not hold: …'."""
    records = run.study_records("ecosystem_checks")
    if not records:
        return export_matrix.NOT_MEASURED
    passed, failed = [], []
    for record in records:
        data: CheckData | None = payload(record) if record.status == "ok" else None
        (passed if data is not None and data.passed else failed).append(
            data.claim if data is not None else check_name(record))
    tail = f"; did not hold or did not run: {'; '.join(failed)}" if failed else ""
    return formatting.code_aware_cell(f"{len(passed)} of {len(records)} executed facts held{tail}.")


def check_name(record: StudyRecord) -> str:
    """The check a record ran: its anchor is `check-<name>`, and the facts table links to it by this name."""
    return str(record.config.get("check", record.record_id))


def executed_checks(run: RunResult) -> set[str]:
    """The checks the run recorded, failed ones included: each has a row, and an anchor, in checks_table."""
    return {check_name(record) for record in run.study_records("ecosystem_checks")}
