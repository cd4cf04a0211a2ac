"""Install footprint per framework: distribution, installed size alone and with its requirements, import time,
a fresh environment with only it, and the distributions it pulls in.
"""

from __future__ import annotations

from contract.payloads import FootprintData, FreshVenv, payload
from contract.schema import RunResult
from site_scripts.tables import export_matrix
from site_scripts.text import formatting, icons, labels, quantities


def footprint_table(run: RunResult) -> str:
    records = run.study_records("footprint")
    if not records:
        return export_matrix.NOT_MEASURED
    rows = []
    for record in records:
        name = formatting.cell(labels.framework_name(record.framework or ""))
        if record.status != "ok":
            rows.append([name, icons.status_span(export_matrix.FAILED_CLASS, "failed", f"{record.status}: {record.reason}")] + [formatting.MISSING] * 5)
            continue
        data: FootprintData = payload(record)
        imports = data.import_seconds
        rows.append([
            name,
            f"{formatting.code_span(data.distribution)} {formatting.cell(data.version)}",
            formatting.cell(f"{formatting.mebibytes(data.root_installed_bytes)} MiB"),
            formatting.cell(f"{formatting.mebibytes(data.closure_installed_bytes)} MiB"),
            formatting.cell(len(data.closure)),
            formatting.cell(f"first {imports[0]:.2f} s, median {sorted(imports)[len(imports) // 2]:.2f} s "
                            f"({len(imports)} fresh processes)") if imports else formatting.MISSING,
            fresh_venv_text(data.fresh_venv),
        ])
    headers = ["framework", "distribution", "installed (framework alone)", "installed with its requirements",
               "distributions (itself + requirements)", formatting.cell(quantities.label("import_fresh_interpreter")),
               "fresh venv with only it"]
    return formatting.table(headers, rows)


def fresh_venv_text(fresh: FreshVenv) -> str:
    if fresh.status != "ok":
        text = f"{fresh.status.replace('_', ' ')}: {fresh.reason or 'no reason recorded'}"
        return formatting.css_span(export_matrix.FAILED_CLASS, text) if fresh.status == "failed" else formatting.cell(text)
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
        rows = [[formatting.code_span(d.name), formatting.cell(d.version),
                 formatting.cell(f"{formatting.mebibytes(d.installed_bytes)} MiB")] for d in data.closure]
        parts.append(f"**{formatting.cell(labels.framework_name(record.framework or ''))}**\n\n"
                     + formatting.table(["distribution", "version", "installed"], rows))
    return "\n\n".join(parts)


def conclusion(run: RunResult) -> str:
    """'Installed with its requirements, TensorFlow takes 1,234 MiB against PyTorch's 890 MiB; import …'."""
    measured = [(record.framework or "", payload(record)) for record in run.study_records("footprint")
                if record.status == "ok"]
    if not measured:
        return export_matrix.NOT_MEASURED
    parts = []
    for framework, data in sorted(measured, key=lambda item: -item[1].closure_installed_bytes):
        imports = sorted(data.import_seconds)
        median_import = f", import {imports[len(imports) // 2]:.2f} s (median)" if imports else ""
        parts.append(f"{labels.framework_name(framework)} {formatting.mebibytes(data.closure_installed_bytes)} MiB "
                     f"in {len(data.closure)} distributions{median_import}")
    return formatting.cell("Installed with everything it requires: " + "; ".join(parts) + ".")
