"""The equivalence proof per workload: parameter counts and the largest differences between the two
implementations, against the tolerances the proof recorded.
"""

from __future__ import annotations

from contract.schema import EquivalenceRecord, RunResult
from site_scripts.text import formatting as fmt
from site_scripts.text import icons, labels


def equivalence_table(run: RunResult) -> str:
    """Per workload: parameter counts and the largest differences between the two implementations, against tolerances."""
    if not run.equivalence:
        if not run.settings.calibrate:
            return ("The equivalence proof was skipped in this run (settings.calibrate is false, "
                    f"{fmt.code_span('--skip-calibration')}).")
        return "This run holds no equivalence record."
    order = labels.workloads(run)
    records = sorted(run.equivalence, key=lambda r: (order.index(r.workload) if r.workload in order else len(order),
                                                     r.workload))
    rows = [
        [
            f"[{fmt.cell(labels.workload_title(run, r.workload))}](performance.md#{labels.workload_anchor(r.workload)})"
            if r.workload in order else fmt.cell(r.workload),
            fmt.cell(_parameters(r)),
            fmt.scientific(r.forward_max_abs_diff),
            fmt.scientific(r.loss_abs_diff),
            fmt.scientific(r.loss_after_step_abs_diff),
            fmt.scientific(r.forward_after_step_max_abs_diff),
            fmt.scientific(r.weights_after_step_max_abs_diff),
            ", ".join(f"{fmt.code_span(k)} {v:g}" for k, v in r.tolerances.items()) or fmt.MISSING,
            fmt.code_aware_cell(labels.config_text(r.sizes) or None),
            _outcome(r),
        ]
        for r in records
    ]
    headers = ["workload", "trainable parameters", "forward: max abs diff", "loss: abs diff",
               "loss after one step: abs diff", "forward after one step: max abs diff",
               "weights after one step: max abs diff", "tolerances", "checked at", "equivalent"]
    return fmt.table(headers, rows)


def _parameters(record: EquivalenceRecord) -> str:
    counts = record.trainable_parameters
    text = "; ".join(f"{labels.framework_name(fw)} {n:,}" for fw, n in counts.items())
    if len(set(counts.values())) > 1:
        text += " (differ)"
    return text


def _outcome(record: EquivalenceRecord) -> str:
    if record.status == "failed":
        return icons.labelled("failed", fmt.cell(f"failed: {record.reason or 'no reason recorded'}"))
    if record.equivalent:
        return icons.labelled("ok", "yes")
    return icons.labelled("failed", fmt.cell("no" + (f": {record.reason}" if record.reason else "")))
