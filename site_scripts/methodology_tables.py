"""Methodology page blocks: the equivalence proof, the matmul peaks, how each mode ran, and the comparison rules.

The rules are rendered from those the run recorded it was judged by (RunResult.rules), so the
page cannot state a tolerance that run did not use, whatever today's code applies.
"""

from __future__ import annotations

from contract.schema import EquivalenceRecord, RunResult
from site_scripts import formatting as fmt
from site_scripts import naming

PASSED, FAILED = "✓", "✗"


def equivalence_table(run: RunResult) -> str:
    """Per workload: parameter counts and the largest differences between the two implementations, against tolerances."""
    if not run.equivalence:
        if not run.settings.calibrate:
            return ("The equivalence proof was skipped in this run (settings.calibrate is false, "
                    f"{fmt.code_span('--skip-calibration')}).")
        return "This run holds no equivalence record."
    order = naming.workloads(run)
    records = sorted(run.equivalence, key=lambda r: (order.index(r.workload) if r.workload in order else len(order),
                                                     r.workload))
    rows = [
        [
            f"[{fmt.cell(naming.workload_title(run, r.workload))}](performance.md#{naming.workload_anchor(r.workload)})"
            if r.workload in order else fmt.cell(r.workload),
            fmt.cell(_parameters(r)),
            fmt.scientific(r.forward_max_abs_diff),
            fmt.scientific(r.loss_abs_diff),
            fmt.scientific(r.loss_after_step_abs_diff),
            fmt.scientific(r.forward_after_step_max_abs_diff),
            fmt.scientific(r.weights_after_step_max_abs_diff),
            fmt.cell(", ".join(f"{k} {v:g}" for k, v in r.tolerances.items()) or None),
            fmt.cell(naming.config_text(r.sizes) or None),
            fmt.cell(_outcome(r)),
        ]
        for r in records
    ]
    headers = ["workload", "trainable parameters", "forward: max abs diff", "loss: abs diff",
               "loss after one step: abs diff", "forward after one step: max abs diff",
               "weights after one step: max abs diff", "tolerances", "checked at", "equivalent"]
    return fmt.table(headers, rows)


def _parameters(record: EquivalenceRecord) -> str:
    counts = record.trainable_parameters
    text = "; ".join(f"{naming.framework_name(fw)} {n:,}" for fw, n in counts.items())
    if len(set(counts.values())) > 1:
        text += " (differ)"
    return text


def _outcome(record: EquivalenceRecord) -> str:
    if record.status == "failed":
        return f"{FAILED} failed: {record.reason or 'no reason recorded'}"
    return PASSED if record.equivalent else f"{FAILED} not equivalent" + (f": {record.reason}" if record.reason else "")


def peak_matmul_table(run: RunResult) -> str:
    """Each framework's best square-matmul FLOP/s per precision: the ceiling the fraction-of-peak charts divide by."""
    if not run.peak_matmul:
        if not run.settings.calibrate:
            return "The matmul peak was not measured in this run (settings.calibrate is false)."
        return "This run holds no matmul peak measurement."
    frameworks = naming.frameworks(run)
    peaks = sorted(run.peak_matmul, key=lambda p: (
        frameworks.index(p.framework) if p.framework in frameworks else len(frameworks),
        p.device, naming.order_key(p.precision, naming.PRECISION_ORDER)))
    rows = [
        [fmt.cell(naming.framework_name(p.framework)), fmt.cell(p.device), fmt.cell(p.precision),
         str(p.matrix_size),
         fmt.significant(p.flops_per_second / 1e9) if p.flops_per_second else fmt.MISSING,
         fmt.cell("ok" if p.status == "ok" else f"{p.status}: {p.reason or 'no reason recorded'}")]
        for p in peaks
    ]
    return fmt.table(["framework", "device", "precision", "matrix size n (n × n)", "peak (GFLOP/s)", "status"], rows)


def mode_details_table(run: RunResult) -> str:
    """How each mode actually ran, as the child processes reported it (whether fit used XLA, which backend compiled)."""
    details: dict[tuple[str, str], dict[str, list[str]]] = {}
    for case in run.cases:
        key = (case.framework, str(case.config.get("mode", fmt.MISSING)))
        by_detail = details.setdefault(key, {})
        for sample in case.samples:
            if sample.mode_detail:
                workloads = by_detail.setdefault(sample.mode_detail, [])
                if case.workload not in workloads:
                    workloads.append(case.workload)
    if not details:
        return "This run holds no cases."
    frameworks = naming.frameworks(run)
    rows = []
    for (framework, mode), by_detail in sorted(details.items(), key=lambda item: (
            frameworks.index(item[0][0]) if item[0][0] in frameworks else len(frameworks))):
        reported = "; ".join(f"{detail} ({', '.join(w)})" for detail, w in by_detail.items()) or "not reported"
        rows.append([fmt.cell(naming.framework_name(framework)), fmt.cell(mode), fmt.cell(reported)])
    return fmt.table(["framework", "mode", "how it ran, as reported by the child process (workloads)"], rows)


def comparison_rules(run: RunResult) -> str:
    """The rules a comparison follows, with the thresholds the code applies and the modes this run measured."""
    by_tolerance: dict[float, list[str]] = {}
    rules = run.rules
    for precision, tolerance in rules.fingerprint_tolerance.items():
        by_tolerance.setdefault(tolerance, []).append(precision)
    tolerances = ", ".join(f"{t:g} in {' and '.join(p)}" for t, p in by_tolerance.items())
    modes = []
    for framework in naming.frameworks(run):
        ran = list(dict.fromkeys(str(c.config.get("mode")) for c in run.cases if c.framework == framework))
        if ran:
            modes.append(f"{naming.framework_name(framework)} in {', '.join(ran)}")
    ran_text = f" In this run: {'; '.join(modes)}." if modes else ""
    return "\n".join([
        "- **Never handicap a framework.** For each configuration both frameworks computed (same workload, task, "
        "precision, batch and sizes), each side is represented by its fastest mode (and memory layout) for that "
        "configuration; the summary table names the mode each side was compared in." + ran_text,
        "- **Same computation, or no verdict.** Final training losses after the same steps from the same weights "
        f"and data must agree within a relative difference of {tolerances}; otherwise the comparison gets no "
        "verdict (*not compared: final losses disagree*). Inference outputs, and cases that run several steps per "
        "timed call (Keras fit runs an epoch per call), are not comparable this way and are marked so.",
        f"- **Enough pairs.** A verdict needs at least {rules.min_pairs_for_verdict} process pairs: with fewer, a "
        "percentile bootstrap of the median covers far less than its nominal level, so the verdict is "
        "*insufficient data*.",
        f"- **Faster only when the interval says so.** The {rules.confidence_level:.0%} bootstrap confidence interval "
        "of the median step-time ratio must exclude 1; otherwise the verdict is a tie.",
    ])
