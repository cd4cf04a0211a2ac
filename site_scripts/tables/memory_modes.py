"""What compiled modes and mixed precision do to the peak at the same batch, relative to each framework's
default path in fp32 (the default path as the run recorded it).
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.analysis import memory
from site_scripts.text import formatting, labels


def modes_table(run: RunResult, workload: str) -> str:
    """Peak at the reference batch relative to each framework's default path in fp32."""
    cases = memory.reference_training_cases(run, workload)
    rows = []
    for framework in labels.frameworks(run):
        mine = [c for c in cases if c.framework == framework]
        default_modes = run.rules.default_modes.get(framework, [])
        baseline = next((c for c in mine if labels.precision_of(c.config) == "fp32"
                         and c.config.get("mode") in default_modes), None)
        base_peak = (memory.phase_levels(baseline) or {}).get("peak") if baseline else None
        for case in mine:
            peak = (memory.phase_levels(case) or {}).get("peak")
            ratio = peak / base_peak if peak and base_peak else None
            rows.append([formatting.code_aware_cell(labels.series_name(case)), formatting.mebibytes(peak),
                         formatting.cell(f"{ratio:.2f}×" if ratio else None), formatting.code_aware_cell(labels.case_status(case))])
    return formatting.table(["case", "peak RSS (MiB)", "vs default path fp32", "status"], rows)
