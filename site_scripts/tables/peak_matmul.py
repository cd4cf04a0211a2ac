"""Each framework's best square-matmul FLOP/s per precision: the ceiling the fraction-of-peak charts divide by.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.text import formatting as fmt
from site_scripts.text import labels


def peak_matmul_table(run: RunResult) -> str:
    """Each framework's best square-matmul FLOP/s per precision: the ceiling the fraction-of-peak charts divide by."""
    if not run.peak_matmul:
        if not run.settings.calibrate:
            return "The matmul peak was not measured in this run (settings.calibrate is false)."
        return "This run holds no matmul peak measurement."
    frameworks = labels.frameworks(run)
    peaks = sorted(run.peak_matmul, key=lambda p: (
        frameworks.index(p.framework) if p.framework in frameworks else len(frameworks),
        p.device, labels.order_key(p.precision, labels.PRECISION_ORDER)))
    rows = [
        [fmt.cell(labels.framework_name(p.framework)), fmt.cell(p.device), fmt.cell(p.precision),
         str(p.matrix_size),
         fmt.significant(p.flops_per_second / 1e9) if p.flops_per_second else fmt.MISSING,
         fmt.cell("ok" if p.status == "ok" else f"{p.status}: {p.reason or 'no reason recorded'}")]
        for p in peaks
    ]
    return fmt.table(["framework", "device", "precision", "matrix size n (n × n)", "peak (GFLOP/s)", "status"], rows)
