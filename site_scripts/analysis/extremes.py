"""A ratio beyond 3× either way carries the measured evidence that explains it, or is flagged "unexplained".

Extreme ratios are where readers stop trusting a benchmark, and rightly: the committed AVX2 run showed torch
bf16 training 31.6× slower than TensorFlow because the CPU had no bf16 instructions, not because of the
frameworks. Each explanation here reads a measurement the run recorded (the precision probe and matmul peaks,
torch.compile's graph breaks, each mode's per-call overhead, the same comparison at a large batch); none
is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.schema import CaseResult, FrameworkComparison, RunResult
from site_scripts.analysis import selection
from site_scripts.text import formatting, labels

EXTREME = 3.0


@dataclass(frozen=True)
class Explanation:
    ratio: float
    text: str  # the evidence, in one sentence; "unexplained: ..." when no measurement explains it
    explained: bool


def is_extreme(comparison: FrameworkComparison) -> bool:
    r = comparison.ratio_median
    return r is not None and r > 0 and (r > EXTREME or r < 1 / EXTREME)


def _peak(run: RunResult, framework: str, precision: str) -> float | None:
    return next((p.flops_per_second for p in run.peak_matmul
                 if p.framework == framework and p.precision == precision and p.flops_per_second), None)


def _emulated(run: RunResult, comparison: FrameworkComparison) -> str | None:
    sides = [fw for fw, path in comparison.precision_paths.items() if path == "emulated"]
    if not sides:
        return None
    precision = labels.precision_of(comparison.config)
    parts = []
    for framework in sides:
        mixed, fp32 = _peak(run, framework, precision), _peak(run, framework, "fp32")
        peaks = (f" ({precision} matmul {formatting.significant(mixed / 1e9, 3)} GFLOP/s against "
                 f"{formatting.significant(fp32 / 1e9, 3)} in fp32)") if mixed and fp32 else ""
        parts.append(f"{labels.framework_name(framework)}{peaks}")
    return (f"{precision} ran without native kernels on this CPU for {' and '.join(parts)}: the ratio measures a "
            f"missing instruction set, not the framework")


def _machine_load(run: RunResult, comparison: FrameworkComparison) -> str | None:
    """Other processes took cores while the pair ran (a run without a load gate): torch with one thread per core
    slows many-fold when a core is taken, TensorFlow much less."""
    loads = [s.foreign_cpu_fraction for numerator in (True, False)
             if (case := selection.side_case(run, comparison, numerator)) is not None
             for s in case.samples if s.admitted and s.foreign_cpu_fraction is not None]
    threshold = run.rules.loaded_machine_fraction
    if not loads or max(loads) <= threshold:
        return None
    return (f"other processes took up to {max(loads):.0%} of the machine while these processes ran (above the "
            f"run's {threshold:.0%} threshold): a loaded machine, not the frameworks")


# Modes that hand torch.compile the whole training step: their steps break by design (at Tensor.backward and
# around the optimizer step), so only breaks beyond the fewest any workload's step had in the run are evidence.
STEP_COMPILE_MODES = ("compile_step", "compile_step_autotune")


def _case_breaks(case: CaseResult) -> int:
    return max((s.graph_breaks for s in case.samples if s.graph_breaks), default=0)


def _graph_breaks(run: RunResult, comparison: FrameworkComparison) -> str | None:
    for numerator in (True, False):
        case = selection.side_case(run, comparison, numerator)
        breaks = _case_breaks(case) if case else 0
        if not breaks:
            continue
        mode = case.config.get("mode")
        if mode in STEP_COMPILE_MODES:
            structural = min(_case_breaks(c) for c in run.cases if c.config.get("mode") == mode)
            if breaks <= structural:
                continue
            return (f"the whole-step torch.compile of the {case.workload} broke {breaks} times, {breaks - structural} "
                    f"more than the {structural} every workload's step had in this run: parts of the model ran "
                    f"eagerly")
        return (f"torch.compile broke the {case.workload} graph {breaks} times, running the pieces between "
                f"breaks in eager mode")
    return None


def _overhead(run: RunResult, case: CaseResult | None) -> float | None:
    if case is None:
        return None
    return next((o.seconds_per_call for o in run.call_overhead if o.framework == case.framework
                 and o.mode == case.config.get("mode") and o.seconds_per_call), None)


def _call_overhead(run: RunResult, comparison: FrameworkComparison) -> str | None:
    """At batch 1 the step is short: a framework's own per-call cost can exceed the other's whole step."""
    if not (labels.task_of(comparison.config) == "infer" and comparison.config.get("batch_size") == 1):
        return None
    num, den = selection.side_case(run, comparison, True), selection.side_case(run, comparison, False)
    if num is None or den is None or num.summary is None or den.summary is None:
        return None
    slow, fast = (num, den) if comparison.ratio_median > 1 else (den, num)
    overhead = _overhead(run, slow)
    if overhead is None or overhead < fast.summary.step_seconds_median:
        return None
    return (f"at batch 1 a call is short: {labels.case_label(slow)} spends {_ms(overhead)} per call on the framework's "
            f"own dispatch alone (measured on a 1×1 layer), more than {labels.case_label(fast)}'s whole step "
            f"({_ms(fast.summary.step_seconds_median)})")


def _largest_batch_comparison(run: RunResult, comparison: FrameworkComparison) -> FrameworkComparison | None:
    """The same workload, task, precision and path at the largest batch the run compared, if above batch 1."""
    def same(c: FrameworkComparison) -> bool:
        return (c.workload == comparison.workload and c.device == comparison.device and c.path == comparison.path
                and labels.task_of(c.config) == labels.task_of(comparison.config)
                and labels.precision_of(c.config) == labels.precision_of(comparison.config))
    larger = [c for c in run.comparisons if same(c) and int(c.config.get("batch_size") or 0) > 1]
    return max(larger, key=lambda c: int(c.config["batch_size"]), default=None)


def _fixed_cost(run: RunResult, comparison: FrameworkComparison) -> str | None:
    """At batch 1 a ratio beyond 3× that shrinks inside 3× at a large batch of the same comparison comes from
    what each call costs whatever its size: with step time = fixed + batch × per-sample cost, per-sample costs
    alone cannot set batch 1 further apart than the large batch. The slow side's two step times show it."""
    if comparison.config.get("batch_size") != 1 or comparison.ratio_median is None:
        return None
    large = _largest_batch_comparison(run, comparison)
    if large is None or large.ratio_median is None or is_extreme(large):
        return None
    slow_is_numerator = comparison.ratio_median > 1
    slow_small = selection.side_case(run, comparison, slow_is_numerator)
    slow_large = selection.side_case(run, large, slow_is_numerator)
    if slow_small is None or slow_large is None or slow_small.summary is None or slow_large.summary is None:
        return None
    batch = int(large.config["batch_size"])
    small_step, large_step = slow_small.summary.step_seconds_median, slow_large.summary.step_seconds_median
    large_ratio = max(large.ratio_median, 1 / large.ratio_median)
    large_label = "" if labels.case_label(slow_large) == labels.case_label(slow_small) else \
        f" ({labels.case_label(slow_large)})"
    return (f"a fixed cost per call, not arithmetic: {labels.case_label(slow_small)} takes {_ms(small_step)} for one "
            f"sample and {_ms(large_step)} for {batch}{large_label}, and at batch {batch} the "
            f"two frameworks are within {formatting.significant(large_ratio, 3)}× of each other")


def _ms(seconds: float) -> str:
    return f"{formatting.significant(seconds * 1000, 3)} ms"


def explain(run: RunResult, comparison: FrameworkComparison) -> Explanation | None:
    """None for a ratio within 3× either way; otherwise the evidence, first found first."""
    if not is_extreme(comparison):
        return None
    for finder in (_emulated, _machine_load, _graph_breaks, _call_overhead, _fixed_cost):
        text = finder(run, comparison)
        if text:
            return Explanation(comparison.ratio_median, text, True)
    return Explanation(comparison.ratio_median, "unexplained: no measurement this run recorded accounts for a ratio "
                                                f"beyond {EXTREME:g}×", False)
