"""Start-up costs from each case's own phase timings: cold framework import and time to the first finished step.
"""

from __future__ import annotations

import statistics

from contract.schema import RunResult
from site_scripts.text import formatting, labels, quantities


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def startup_rows(run: RunResult) -> list[list[str]]:
    """Per workload and framework, default-mode fp32 training: cold import, and time to the first step."""
    rows = []
    for case in run.cases:
        config = case.config
        if (config.get("task", "train") != "train" or config.get("precision", "fp32") != "fp32"
                or config.get("mode") not in run.rules.default_modes.get(case.framework, [])):
            continue
        imports, first_steps = [], []
        for sample in case.samples:
            phases = sample.phase_seconds or {}
            if sample.status == "ok" and "import" in phases and "harness" in phases:
                imports.append(phases["import"] - phases["harness"])
            if sample.status == "ok" and "build" in phases and sample.first_step_seconds is not None:
                first_steps.append(phases["build"] + sample.first_step_seconds)
        if not imports and not first_steps:
            continue
        rows.append([formatting.cell(labels.workload_title(run, case.workload)), labels.framework_name(case.framework),
                     formatting.code_aware_cell(labels.mode_label(config)), formatting.cell(config.get("batch_size")),
                     formatting.significant(_median(imports), 3), formatting.significant(_median(first_steps), 3),
                     str(max(len(imports), len(first_steps)))])
    return rows


def has_startup(run: RunResult) -> bool:
    return bool(startup_rows(run))


def startup_table(run: RunResult) -> str:
    rows = startup_rows(run)
    if not rows:
        return formatting.NOT_MEASURED
    headers = ["Workload", "Framework", "Mode", "Batch", formatting.cell(quantities.label("import_in_timing_process")),
               "Start to first step done (s)", "Processes"]
    return formatting.table(headers, rows) + "\n\n" + quantities.definitions("import_in_timing_process")
