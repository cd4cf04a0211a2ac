"""What a run measured per workload: the declaration and hyperparameters it recorded, and its configurations.
"""

from __future__ import annotations

from contract.schema import CaseResult, RunResult, WorkloadInfo
from site_scripts.text import formatting as fmt
from site_scripts.text import labels


def configurations_table(run: RunResult) -> str:
    """Per workload, the configurations this run measured and the frameworks it measured them with."""
    parts = [
        f"Every case ran in {run.settings.processes_per_case} fresh processes, each with "
        f"{run.settings.warmup_steps} warm-up steps and {run.settings.measured_steps} measured steps, "
        f"{run.settings.threads} threads, and a timeout of {fmt.number(run.settings.timeout_seconds)} s "
        f"(preset {fmt.code_span(run.settings.preset)})."
    ]
    for workload in dict.fromkeys(c.workload for c in run.cases):
        cases = [c for c in run.cases if c.workload == workload]
        keys = sorted({k for c in cases for k in c.config})
        frameworks_of: dict[tuple, list[str]] = {}
        first_case_of: dict[tuple, CaseResult] = {}
        for case in cases:
            key = labels.configuration_key(case.workload, case.device, case.config)
            first_case_of.setdefault(key, case)
            frameworks_of.setdefault(key, []).append(labels.framework_name(case.framework))
        rows = [
            [fmt.cell(case.device), *(fmt.code_aware_cell(case.config.get(k)) for k in keys), fmt.cell(", ".join(frameworks_of[key]))]
            for key, case in first_case_of.items()
        ]
        info = run.workloads.get(workload)
        parts.append(f"### {fmt.cell(info.title if info else workload)}")
        if info:
            parts.extend(workload_declaration(info))
        parts.append(fmt.table(["device", *(fmt.code_span(k) for k in keys), "frameworks"], rows))
    return "\n\n".join(parts)


def workload_declaration(info: WorkloadInfo) -> list[str]:
    """A workload's description and hyperparameters, as recorded in the run (Methodology and Performance)."""
    return [fmt.code_aware_cell(info.description),
            fmt.table(["hyperparameter", "value"],
                      [[fmt.code_span(str(k)), fmt.code_aware_cell(v)] for k, v in info.hyperparameters.items()])]
