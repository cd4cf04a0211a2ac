"""Tables of the ecosystem article: the export matrix, the install footprint, the executed checks
and the sourced facts. Pure functions of a RunResult (or the fact list): no framework is imported.

A failed export cell is rendered red with its stage and message; a path a run did not record
is shown as missing with the task's own status, never left out.
"""

from __future__ import annotations

import html
from datetime import date

from contract.payloads import CheckData, ExportCell, ExportData, FootprintData, FreshVenv, export_paths, payload
from contract.schema import RunResult, StudyRecord
from site_scripts import formatting, naming
from site_scripts.ecosystem_facts import Fact

FAILED_CLASS = "fwbench-eco-failed"
OK_CLASS = "fwbench-eco-ok"
NOT_MEASURED = f"*{formatting.NOT_MEASURED}*"


def _span(css_class: str, text: str) -> str:
    """A coloured table cell: the text escaped like any cell, inside a span the stylesheet colours."""
    return f'<span class="{css_class}">{formatting.cell(text)}</span>'


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


def cell_verdict(cell: ExportCell | None, record: StudyRecord | None) -> str:
    """✓ ok / ✗ failed at <stage>: <error>: <message>, coloured."""
    if cell is None:
        return _span(FAILED_CLASS, f"✗ {_missing_reason(record)}")
    if cell.status == "ok":
        return _span(OK_CLASS, "✓ ok")
    return _span(FAILED_CLASS, f"✗ failed at {cell.failed_stage}: {cell.error_type}: {cell.message}")


def export_overview(run: RunResult) -> str:
    """One row per export path, one column per workload: what worked where."""
    records = export_records(run)
    if not records:
        return NOT_MEASURED
    workloads = workloads_of(records)
    rows = []
    for framework, paths in export_paths(run.study_info.get("export")).items():
        for path_id, title in paths.items():
            row = [formatting.cell(naming.framework_name(framework)), formatting.cell(title)]
            for workload in workloads:
                record = _record(records, framework, workload)
                row.append(cell_verdict(_cell(record, path_id), record))
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
                rows.append([formatting.cell(naming.framework_name(framework)), formatting.cell(title),
                             cell_verdict(None, record)] + [formatting.MISSING] * 7)
                continue
            dynamic = {True: "yes", False: "no", None: formatting.MISSING}[cell.dynamic_batch]
            detail = cell.dynamic_batch_detail
            rows.append([
                formatting.cell(naming.framework_name(framework)),
                formatting.cell(title),
                cell_verdict(cell, record),
                formatting.scientific(cell.max_abs_diff),
                _kib(cell.artifact_bytes),
                _seconds(cell.load_seconds),
                _seconds(cell.latency_seconds_median),
                formatting.cell(f"{dynamic} ({detail})" if detail else dynamic),
                formatting.cell(cell.runtime),
                formatting.cell("; ".join(cell.warnings) or None),
            ])
    headers = ["framework", "path", "result", "max abs diff vs original", "artifact", "load time",
               "latency (median)", "another batch size", "runtime that ran it", "warnings raised"]
    return formatting.table(headers, rows)


def export_inputs(run: RunResult, workload: str) -> str:
    """What each framework's original model was fed and how fast it ran in its own framework."""
    rows = []
    for record in export_records(run):
        if record.workload != workload or record.status != "ok":
            continue
        data: ExportData = payload(record)
        rows.append([formatting.cell(naming.framework_name(record.framework or "")),
                     formatting.cell(f"{data.input_shape} {data.input_dtype}"),
                     formatting.cell(data.other_batch),
                     _seconds(data.reference_latency_seconds_median),
                     formatting.cell(data.threads)])
    if not rows:
        return ""
    return formatting.table(["framework", "input (export batch)", "other batch tried",
                             "original model latency", "threads"], rows)


def footprint_table(run: RunResult) -> str:
    records = run.study_records("footprint")
    if not records:
        return NOT_MEASURED
    rows = []
    for record in records:
        name = formatting.cell(naming.framework_name(record.framework or ""))
        if record.status != "ok":
            rows.append([name, _span(FAILED_CLASS, f"✗ {record.status}: {record.reason}")] + [formatting.MISSING] * 5)
            continue
        data: FootprintData = payload(record)
        imports = data.import_seconds
        rows.append([
            name,
            formatting.cell(f"{data.distribution} {data.version}"),
            formatting.cell(f"{formatting.mebibytes(data.root_installed_bytes)} MiB"),
            formatting.cell(f"{formatting.mebibytes(data.closure_installed_bytes)} MiB"),
            formatting.cell(len(data.closure)),
            formatting.cell(f"first {imports[0]:.2f} s, median {sorted(imports)[len(imports) // 2]:.2f} s "
                            f"({len(imports)} fresh processes)") if imports else formatting.MISSING,
            fresh_venv_text(data.fresh_venv),
        ])
    headers = ["framework", "distribution", "installed (framework alone)", "installed with its requirements",
               "distributions (itself + requirements)", "import time", "fresh venv with only it"]
    return formatting.table(headers, rows)


def fresh_venv_text(fresh: FreshVenv) -> str:
    if fresh.status != "ok":
        text = f"{fresh.status.replace('_', ' ')}: {fresh.reason or 'no reason recorded'}"
        return _span(FAILED_CLASS, text) if fresh.status == "failed" else formatting.cell(text)
    imports = fresh.import_seconds
    import_text = f"; import {sorted(imports)[len(imports) // 2]:.2f} s" if imports else ""
    return formatting.cell(
        f"wheels {formatting.mebibytes(fresh.wheel_bytes_total)} MiB ({fresh.wheels} files; the framework's own "
        f"{formatting.mebibytes(fresh.root_wheel_bytes)} MiB); venv {formatting.mebibytes(fresh.venv_bytes)} MiB "
        f"(empty: {formatting.mebibytes(fresh.empty_venv_bytes)} MiB); {fresh.distributions_added} distributions "
        f"added{import_text}")


def footprint_closure(run: RunResult) -> str:
    """Which distributions each framework pulls in, largest first: the detail behind the count."""
    parts = []
    for record in run.study_records("footprint"):
        if record.status != "ok":
            continue
        data: FootprintData = payload(record)
        rows = [[formatting.cell(d.name), formatting.cell(d.version),
                 formatting.cell(f"{formatting.mebibytes(d.installed_bytes)} MiB")] for d in data.closure]
        parts.append(f"**{formatting.cell(naming.framework_name(record.framework or ''))}**\n\n"
                     + formatting.table(["distribution", "version", "installed"], rows))
    return "\n\n".join(parts)


def checks_table(run: RunResult) -> str:
    records = run.study_records("ecosystem_checks")
    if not records:
        return NOT_MEASURED
    rows = []
    for record in records:
        check = str(record.config.get("check", record.record_id))
        if record.status != "ok":
            rows.append([formatting.cell(check), _span(FAILED_CLASS, f"✗ {record.status}: {record.reason}"),
                         formatting.MISSING, formatting.MISSING])
            continue
        data: CheckData = payload(record)
        verdict = _span(OK_CLASS, "✓ passed") if data.passed else _span(FAILED_CLASS, "✗ did not pass")
        evidence = "; ".join(f"{k}: {v}" for k, v in data.evidence.items())
        versions = ", ".join(f"{k} {v}" for k, v in data.versions.items())
        rows.append([f'<span id="check-{html.escape(check)}"></span>{formatting.cell(data.claim)}', verdict,
                     formatting.cell(evidence), formatting.cell(versions)])
    return formatting.table(["claim", "result", "evidence", "versions"], rows)


def facts_table(facts: list[Fact], today: date) -> str:
    """Every fact with its sources and date; one older than 12 months is flagged, not hidden."""
    rows = []
    for fact in facts:
        # Written out, not linked: the built site carries no reference off its own origin (see tests/test_render.py).
        sources = "<br>".join(f"{formatting.cell(s.title)}: {formatting.code_span(str(s.url))}" for s in fact.sources)
        checked = fact.checked.isoformat()
        if fact.is_stale(today):
            checked = _span(FAILED_CLASS, f"⚠ {checked}: older than 12 months, re-check")
        executed = (f"[executed: {formatting.cell(fact.check)}](#{'export-matrix' if fact.check == 'export' else 'check-' + fact.check})"
                    if fact.check else formatting.MISSING)
        rows.append([formatting.cell(fact.topic), formatting.cell(fact.torch), formatting.cell(fact.tensorflow),
                     sources, checked, executed])
    return formatting.table(["topic", "PyTorch", "TensorFlow", "sources", "checked", "executed here"], rows)


def study_caption(run: RunResult, study: str) -> str:
    """Run, hardware, versions, and the command that measures the study again (it names the run's studies)."""
    return naming.provenance_line(run)
