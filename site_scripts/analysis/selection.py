"""Which cases and comparisons each chart and table shows: one rule per question, read from the run alone.

The renderer never lists workloads, modes or batch sizes by hand; it finds them in the
run, so a new workload or mode shows up on the site without a change here.

"""

from __future__ import annotations

from collections import Counter

from contract.schema import CaseResult, FrameworkComparison, PeakMatmul, RunResult
from site_scripts.text import labels


def case_order(run: RunResult):
    """Sort key: framework (run order), task, precision, mode (as first met), layout, batch."""
    frameworks = labels.frameworks(run)
    modes = list(dict.fromkeys(str(c.config.get("mode")) for c in run.cases))

    def key(case: CaseResult) -> tuple:
        config = case.config
        return (
            frameworks.index(case.framework) if case.framework in frameworks else len(frameworks),
            labels.order_key(labels.task_of(config), labels.TASK_ORDER),
            labels.order_key(labels.precision_of(config), labels.PRECISION_ORDER),
            modes.index(str(config.get("mode"))),
            str(config.get("layout") or ""),
            int(config.get("batch_size", 0)),
            case.device,
        )

    return key


def cases_of(run: RunResult, workload: str) -> list[CaseResult]:
    return sorted((c for c in run.cases if c.workload == workload), key=case_order(run))


def training_cases(run: RunResult, workload: str) -> list[CaseResult]:
    return [c for c in cases_of(run, workload) if labels.task_of(c.config) == "train"]


def reference_batch(run: RunResult, workload: str) -> int | None:
    """The fp32 training batch at which the run measured the most modes: every mode runs there, sweeps do not.

    Ties (a run without a batch sweep, or with one mode per framework) go to the batch the
    equivalence proof used, else the smallest.
    """
    fp32 = [c for c in training_cases(run, workload) if labels.precision_of(c.config) == "fp32" and "batch_size" in c.config]
    if not fp32:
        return None
    combos = Counter()
    for batch, key in {(int(c.config["batch_size"]), (c.framework, labels.mode_label(c.config))) for c in fp32}:
        combos[batch] += 1
    most = max(combos.values())
    tied = sorted(b for b, n in combos.items() if n == most)
    proof = next((r.sizes.get("batch_size") for r in run.equivalence if r.workload == workload), None)
    return proof if proof in tied else tied[0]


def reference_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """fp32 training at the reference batch: where every mode of every framework ran."""
    batch = reference_batch(run, workload)
    return [c for c in training_cases(run, workload)
            if labels.precision_of(c.config) == "fp32" and c.config.get("batch_size") == batch]


def is_latency_case(case: CaseResult) -> bool:
    """Batch-1 inference: a latency measurement, many short calls."""
    return labels.task_of(case.config) == "infer" and case.config.get("batch_size") == 1


def latency_cases(run: RunResult, workload: str) -> list[CaseResult]:
    return [c for c in cases_of(run, workload) if is_latency_case(c)]


def throughput_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """Training and large-batch inference: the cases whose FLOP rate says how busy the hardware was."""
    return [c for c in cases_of(run, workload) if not is_latency_case(c)]


def comparisons_of(run: RunResult, workload: str | None = None) -> list[FrameworkComparison]:
    """Comparisons in page order: workload (run order), task, precision, batch."""
    workload_order = labels.workloads(run)
    chosen = [c for c in run.comparisons if workload is None or c.workload == workload]

    def key(c: FrameworkComparison) -> tuple:
        return (
            workload_order.index(c.workload) if c.workload in workload_order else len(workload_order),
            labels.order_key(labels.task_of(c.config), labels.TASK_ORDER),
            labels.order_key(labels.precision_of(c.config), labels.PRECISION_ORDER),
            int(c.config.get("batch_size", 0)),
            c.device,
            labels.config_text(c.config),
        )

    return sorted(chosen, key=key)


def side_case(run: RunResult, comparison: FrameworkComparison, numerator: bool) -> CaseResult | None:
    """The case that represented one side of a comparison, as the run recorded it (never worked out again)."""
    return run.case(comparison.numerator_case_id if numerator else comparison.denominator_case_id)


def side_mode_label(run: RunResult, comparison: FrameworkComparison, numerator: bool) -> str:
    """'eager' or 'eager · channels_last': the mode (and layout) one side of a comparison ran in."""
    case = side_case(run, comparison, numerator)
    if case is not None:
        return labels.mode_label(case.config)
    mode = comparison.numerator_mode if numerator else comparison.denominator_mode
    return mode or "every mode failed"


def comparison_of(run: RunResult, case: CaseResult) -> FrameworkComparison | None:
    """The run's comparison of the shared configuration this case computed, if it made one."""
    return next((c for c in run.comparisons if c.workload == case.workload and c.device == case.device
                 and c.config == case.shared_config and case.framework in (c.numerator, c.denominator)), None)


def shown_case(run: RunResult, cases: list[CaseResult]) -> CaseResult | None:
    """The case a chart shows for one framework's cases of one shared configuration: the one the run's comparison
    of that configuration recorded for this framework; where the run compared nothing (one framework only), the
    fastest measured mode, so no framework is shown in a mode that handicaps it."""
    if not cases:
        return None
    comparison = comparison_of(run, cases[0])
    if comparison is not None:
        case_id = (comparison.numerator_case_id if cases[0].framework == comparison.numerator
                   else comparison.denominator_case_id)
        return next((c for c in cases if c.case_id == case_id), None)
    measured = [c for c in cases if c.summary is not None]
    return min(measured, key=lambda c: c.summary.step_seconds_median) if measured else None


def peak_for(run: RunResult, framework: str, device: str, precision: str) -> PeakMatmul | None:
    return next((p for p in run.peak_matmul
                 if p.framework == framework and p.device == device and p.precision == precision), None)


def fully_failed(cases: list[CaseResult]) -> list[CaseResult]:
    """Cases with no summary: every process failed, or none was started."""
    return [c for c in cases if c.summary is None]


def training_configurations(run: RunResult) -> list[tuple[str, dict[str, list[CaseResult]]]]:
    """Per shared training configuration (label, {framework: its cases in every mode}), in page order.

    The overview chart shows each framework's fastest mode per configuration: the same
    rule the comparisons use, so no framework is shown in a mode that handicaps it.
    """
    train = [c for c in run.cases if labels.task_of(c.config) == "train"]
    label_of = labels.ConfigurationLabels(train)
    workload_order = labels.workloads(run)
    frameworks = labels.frameworks(run)

    def key(case: CaseResult) -> tuple:
        return (
            workload_order.index(case.workload),
            labels.order_key(labels.precision_of(case.config), labels.PRECISION_ORDER),
            int(case.config.get("batch_size", 0)),
            case.device,
            labels.config_text(case.shared_config),
            frameworks.index(case.framework) if case.framework in frameworks else len(frameworks),
        )

    groups: dict[str, dict[str, list[CaseResult]]] = {}
    for case in sorted(train, key=key):
        groups.setdefault(label_of.of_case(case), {}).setdefault(case.framework, []).append(case)
    return list(groups.items())


def several_steps_per_call(run: RunResult, comparison: FrameworkComparison) -> bool:
    """Whether a side ran more than one step per timed call (Keras fit): its final loss is not a one-step fingerprint."""
    for numerator in (True, False):
        case = side_case(run, comparison, numerator)
        if case is not None and any(s.steps_per_call != 1 for s in case.samples if s.status == "ok"):
            return True
    return False
