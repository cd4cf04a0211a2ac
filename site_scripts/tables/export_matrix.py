"""The export matrix: every export path of each framework per workload, as a verdict per cell and every measured
property; the paths are those the run's export study declared.

A failed cell is rendered red with its stage and message; a path a run did not record is shown as missing
with the task's own status, never left out.
"""

from __future__ import annotations

from contract.payloads import ExportCell, ExportData, export_paths, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.text import formatting, icons, labels, quantities

FAILED_CLASS = "fwbench-eco-failed"


OK_CLASS = "fwbench-eco-ok"


NOT_MEASURED = f"*{formatting.NOT_MEASURED}*"


def _seconds(value: float | None) -> str:
    if value is None:
        return formatting.MISSING
    return f"{value * 1000:.3g} ms" if value < 1 else f"{value:.3g} s"


def _kib(value: int | None) -> str:
    return formatting.MISSING if value is None else f"{value / 1024:,.0f} KiB"


def export_records(run: RunResult) -> list[StudyRecord]:
    return run.study_records("export")


def workloads_of(records: list[StudyRecord]) -> list[str]:
    return list(dict.fromkeys(r.workload for r in records if r.workload))


def _record(records: list[StudyRecord], framework: str, workload: str) -> StudyRecord | None:
    return next((r for r in records if r.framework == framework and r.workload == workload), None)


def _cell(record: StudyRecord | None, path_id: str) -> ExportCell | None:
    data: ExportData | None = payload(record) if record is not None else None
    return next((c for c in data.cells if c.path_id == path_id), None) if data is not None else None


def _missing_reason(record: StudyRecord | None) -> str:
    if record is None:
        return "not run"
    if record.status != "ok":
        return f"task {record.status}: {record.reason or 'no reason recorded'}"
    return "no cell recorded"


def error_anchor(framework: str, workload: str, path_id: str) -> str:
    return f"export-error-{labels.workload_slug(workload)}-{labels.workload_slug(framework)}-{labels.workload_slug(path_id)}"


def cell_verdict(cell: ExportCell | None, record: StudyRecord | None, error_link: str | None = None) -> str:
    """'ok', or 'failed at <stage>' linking to its error message (the message itself would not fit a cell),
    led by its icon and coloured."""
    if cell is None:
        return icons.status_span(FAILED_CLASS, "failed", _missing_reason(record))
    if cell.status == "ok":
        return icons.status_span(OK_CLASS, "ok", "ok")
    words = f"failed at {cell.failed_stage}"
    if error_link is None:
        return icons.status_span(FAILED_CLASS, "failed", words)
    return f'<span class="{FAILED_CLASS}">{icons.icon("failed")} [{formatting.cell(words)}](#{error_link})</span>'


def export_errors(run: RunResult, workload: str) -> str:
    """The failed paths' error messages for one workload, folded, each with the anchor its cell links to."""
    records = export_records(run)
    items = []
    for framework, paths in export_paths(run.study_info.get("export")).items():
        record = _record(records, framework, workload)
        for path_id, title in paths.items():
            cell = _cell(record, path_id)
            if cell is not None and cell.status == "failed":
                anchor = error_anchor(framework, workload, path_id)
                items.append(f'- <span id="{anchor}"></span>**{formatting.cell(labels.framework_name(framework))}, '
                             f"{formatting.cell(title)}**, failed at {formatting.cell(cell.failed_stage)}: "
                             f"{formatting.code_span(f'{cell.error_type}: {cell.message}')}")
    if not items:
        return ""
    return formatting.folded(f"Error messages of the {len(items)} failed paths", "\n".join(items), kind="failure")


def conclusion(run: RunResult) -> str:
    """'Of 28 export paths × workloads, 22 ran and matched the original; the failures: …'."""
    records = export_records(run)
    total, ok, failed = 0, 0, {}
    for framework, paths in export_paths(run.study_info.get("export")).items():
        for workload in workloads_of(records):
            record = _record(records, framework, workload)
            for path_id, title in paths.items():
                total += 1
                cell = _cell(record, path_id)
                if cell is not None and cell.status == "ok":
                    ok += 1
                else:
                    failed.setdefault(f"{labels.framework_name(framework)} {title}", []).append(workload)
    if not total:
        return NOT_MEASURED
    where = "; ".join(f"{path} ({', '.join(workloads)})" for path, workloads in failed.items())
    return formatting.cell(f"Of {total} export paths × workloads, {ok} exported, loaded and ran"
                           + (f"; failed: {where}." if failed else "."))


def export_overview(run: RunResult) -> str:
    """One row per export path, one column per workload: what worked where."""
    records = export_records(run)
    if not records:
        return NOT_MEASURED
    workloads = workloads_of(records)
    rows = []
    for framework, paths in export_paths(run.study_info.get("export")).items():
        for path_id, title in paths.items():
            row = [formatting.cell(labels.framework_name(framework)), formatting.code_aware_cell(title)]
            for workload in workloads:
                record = _record(records, framework, workload)
                cell = _cell(record, path_id)
                link = error_anchor(framework, workload, path_id) if cell is not None and cell.status == "failed" else None
                row.append(cell_verdict(cell, record, link))
            rows.append(row)
    return formatting.table(["framework", "export path"] + [formatting.cell(w) for w in workloads], rows)


def export_detail(run: RunResult, workload: str) -> str:
    """Every measured property of every path for one workload."""
    records = export_records(run)
    rows = []
    for framework, paths in export_paths(run.study_info.get("export")).items():
        record = _record(records, framework, workload)
        for path_id, title in paths.items():
            cell = _cell(record, path_id)
            if cell is None:
                rows.append([formatting.cell(labels.framework_name(framework)), formatting.code_aware_cell(title),
                             cell_verdict(None, record)] + [formatting.MISSING] * 7)
                continue
            dynamic = {True: "yes", False: "no", None: formatting.MISSING}[cell.dynamic_batch]
            detail = cell.dynamic_batch_detail
            rows.append([
                formatting.cell(labels.framework_name(framework)),
                formatting.code_aware_cell(title),
                cell_verdict(cell, record, error_anchor(framework, workload, path_id) if cell.status == "failed" else None),
                formatting.scientific(cell.max_abs_diff),
                _kib(cell.artifact_bytes),
                _seconds(cell.load_seconds),
                _seconds(cell.latency_seconds_median),
                formatting.code_aware_cell(f"{dynamic} ({detail})" if detail else dynamic),
                formatting.code_aware_cell(cell.runtime),
                formatting.code_aware_cell("; ".join(cell.warnings) or None),
            ])
    headers = ["framework", "path", "result", "max abs diff vs original", "artifact", "load time",
               formatting.cell(quantities.label("export_latency")), "another batch size", "runtime that ran it",
               "warnings raised"]
    return formatting.table(headers, rows)


def export_inputs(run: RunResult, workload: str) -> str:
    """What each framework's original model was fed and how fast it ran in its own framework."""
    rows = []
    for record in export_records(run):
        if record.workload != workload or record.status != "ok":
            continue
        data: ExportData = payload(record)
        rows.append([formatting.cell(labels.framework_name(record.framework or "")),
                     formatting.cell(f"{data.input_shape} {data.input_dtype}"),
                     formatting.cell(data.other_batch),
                     _seconds(data.reference_latency_seconds_median),
                     formatting.cell(data.threads), formatting.percent(record.foreign_cpu_fraction)])
    if not rows:
        return ""
    return formatting.table(["framework", "input (export batch)", "other batch tried",
                             formatting.cell(quantities.label("export_original_latency")), "threads",
                             "machine load from other processes during the task"], rows)
