"""Statistics over fresh processes: what a case's figure is, and when one framework may be called faster.

Back-to-back processes of one case on a shared machine differ by up to 40 %, so the unit
is the process, not the step: a case's figure is the median over processes of each
process's median step time, and a ratio between frameworks is formed pair by pair from
adjacent processes, so machine drift hits both sides of each pair alike.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from typing import Iterable

import numpy as np
from scipy import stats as scipy_stats

from contract.schema import CaseResult, CaseSummary, FrameworkComparison, JudgingRules, RunResult

CONFIDENCE_LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 20240601  # fixed so that re-rendering the same samples gives the same interval
# Below 5 pairs a percentile bootstrap of the median is just [min, max] and covers far less
# than 95 % (2 pairs: 50 %, 5 pairs: 94 %), so fewer pairs never name a winner.
MIN_PAIRS_FOR_VERDICT = 5
INTERVAL_METHOD = "percentile bootstrap of the median of the paired step-time ratios"
# Above this share of the machine taken by other processes, a process's timing is flagged as disturbed:
# torch with one thread per core slows many-fold when a core is taken, TensorFlow much less.
LOADED_MACHINE_FRACTION = 0.10


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    q1, median, q3 = np.percentile(np.asarray(list(values), dtype=float), [25, 50, 75])
    return float(q1), float(median), float(q3)


def summarize(case: CaseResult, peak_flops_per_second: float | None = None) -> CaseSummary | None:
    """None when no process of the case succeeded: there is nothing to summarise, only failures."""
    ok = [s for s in case.samples if s.status == "ok" and s.step_seconds]
    if not ok:
        return None
    batch_size = int(case.config["batch_size"])
    per_process_median = [float(np.median(s.step_seconds)) for s in ok]
    within = []
    for s in ok:
        q1, med, q3 = quartiles(s.step_seconds)
        within.append((q3 - q1) / med if med > 0 else 0.0)
    s_q1, s_med, s_q3 = quartiles(per_process_median)
    throughput = [batch_size / m for m in per_process_median]
    t_q1, t_med, t_q3 = quartiles(throughput)
    compile_seconds = [max(0.0, s.first_step_seconds - s.steps_per_call * m) for s, m in zip(ok, per_process_median)]
    rss = [s.peak_host_rss_bytes for s in ok if s.peak_host_rss_bytes is not None]
    device_peak = [s.device_peak_memory_bytes for s in ok if s.device_peak_memory_bytes is not None]
    achieved = case.flops_per_step / s_med if case.flops_per_step else None
    load = [s.foreign_cpu_fraction for s in ok if s.foreign_cpu_fraction is not None]
    return CaseSummary(
        processes_ok=len(ok),
        processes_failed=len(case.samples) - len(ok),
        step_seconds_median=s_med,
        step_seconds_q1=s_q1,
        step_seconds_q3=s_q3,
        within_process_iqr_over_median=float(np.median(within)),
        samples_per_second_median=t_med,
        samples_per_second_q1=t_q1,
        samples_per_second_q3=t_q3,
        first_step_seconds_median=float(np.median([s.first_step_seconds for s in ok])),
        compile_seconds_median=float(np.median(compile_seconds)),
        latency_p50_seconds=float(np.median([np.percentile(s.step_seconds, 50) for s in ok])),
        latency_p99_seconds=float(np.median([np.percentile(s.step_seconds, 99) for s in ok])),
        achieved_flops_per_second=achieved,
        fraction_of_peak=achieved / peak_flops_per_second if achieved and peak_flops_per_second else None,
        foreign_cpu_fraction_max=max(load) if load else None,
        peak_host_rss_bytes_median=int(np.median(rss)) if rss else None,
        device_peak_memory_bytes_median=int(np.median(device_peak)) if device_peak else None,
        final_loss_median=float(np.median([s.final_loss for s in ok])),
    )


def judging_rules(default_modes: dict[str, list[str]], *, timing_run: bool, reference_run: bool) -> JudgingRules:
    """The rules of this code, to be recorded with a new run (and read back from it, never from here)."""
    return JudgingRules(confidence_level=CONFIDENCE_LEVEL, interval_method=INTERVAL_METHOD,
                        min_pairs_for_verdict=MIN_PAIRS_FOR_VERDICT, fingerprint_tolerance=dict(FINGERPRINT_TOLERANCE),
                        default_modes={fw: list(modes) for fw, modes in default_modes.items()},
                        timing_run=timing_run, reference_run=reference_run,
                        loaded_machine_fraction=LOADED_MACHINE_FRACTION)


def median_ratio_interval(ratios: list[float], confidence_level: float = CONFIDENCE_LEVEL) -> tuple[float, float, float]:
    """Median of the paired ratios with a percentile-bootstrap interval (few pairs: no BCa assumptions)."""
    values = np.asarray(ratios, dtype=float)
    median = float(np.median(values))
    if np.all(values == values[0]):
        return median, median, median  # bootstrap of identical values is degenerate; the interval is the point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy_stats.DegenerateDataWarning)
        result = scipy_stats.bootstrap(
            (values,),
            np.median,
            confidence_level=confidence_level,
            n_resamples=BOOTSTRAP_RESAMPLES,
            method="percentile",
            rng=np.random.default_rng(BOOTSTRAP_SEED),
        )
    return median, float(result.confidence_interval.low), float(result.confidence_interval.high)


def ratio_of_medians_interval(new: list[float], old: list[float], *, confidence_level: float, resamples: int,
                              seed: int) -> tuple[float, float]:
    """Percentile-bootstrap interval of median(new) / median(old), each sample resampled on its own (unpaired):
    the change of one figure between two runs, whose processes were not run in pairs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scipy_stats.bootstrap((np.asarray(new), np.asarray(old)),
                                       lambda a, b, axis=-1: np.median(a, axis=axis) / np.median(b, axis=axis),
                                       vectorized=True, paired=False, confidence_level=confidence_level,
                                       n_resamples=resamples, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def verdict_for(ci_low: float, ci_high: float) -> str:
    """A step-time ratio below 1 means the numerator framework takes less time per step."""
    if ci_high < 1.0:
        return "numerator_faster"
    if ci_low > 1.0:
        return "denominator_faster"
    return "tie"


# How far apart two frameworks' final training losses may be and still count as the same computation.
FINGERPRINT_TOLERANCE = {"fp32": 1e-3, "bf16": 5e-2, "fp16": 5e-2}


def fastest(cases: list[CaseResult]) -> CaseResult | None:
    """A framework's fastest mode/layout for one shared configuration: neither side is handicapped."""
    measured = [c for c in cases if c.summary is not None]
    return min(measured, key=lambda c: c.summary.step_seconds_median) if measured else None


def comparable(case: CaseResult) -> bool:
    """Final losses compare only for training cases that ran one step per call (not Keras fit)."""
    return (case.summary is not None and case.config.get("task", "train") == "train"
            and all(s.steps_per_call == 1 for s in case.samples if s.status == "ok"))


def fingerprint(num_cases: list[CaseResult], den_cases: list[CaseResult],
                tolerance: dict[str, float]) -> tuple[float | None, bool | None]:
    """Final training losses after the same steps from the same weights and data must agree.

    Each side's fastest comparable case is used (Keras fit may be fastest but reports an
    average over its steps); None where a side has no comparable case (inference).
    """
    num, den = fastest([c for c in num_cases if comparable(c)]), fastest([c for c in den_cases if comparable(c)])
    if num is None or den is None:
        return None, None
    a, b = num.summary.final_loss_median, den.summary.final_loss_median
    relative = abs(a - b) / max(abs(a), abs(b), 1e-12)
    return relative, relative <= tolerance_for(tolerance, str(num.config.get("precision", "fp32")))


def tolerance_for(tolerance: dict[str, float], precision: str) -> float:
    return tolerance.get(precision, tolerance.get("fp32", 1e-3))


def compare(cases: list[CaseResult], rules: JudgingRules, numerator: str = "torch",
            denominator: str = "tensorflow") -> list[FrameworkComparison]:
    """Per shared configuration: each framework's fastest case, processes paired by repeat index, judged by `rules`."""
    cases = [c if c.summary is not None else c.model_copy(update={"summary": summarize(c)}) for c in cases]
    groups: dict[tuple, dict[str, list[CaseResult]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        key = (case.workload, case.device, tuple(sorted(case.shared_config.items())))
        groups[key][case.framework].append(case)
    comparisons = []
    for (workload, device, config_items), by_framework in groups.items():
        if numerator not in by_framework or denominator not in by_framework:
            continue
        num_case, den_case = fastest(by_framework[numerator]), fastest(by_framework[denominator])
        precision = str(dict(config_items).get("precision", "fp32"))
        common = dict(workload=workload, device=device, config=dict(config_items), numerator=numerator,
                      denominator=denominator, confidence_level=rules.confidence_level,
                      min_pairs=rules.min_pairs_for_verdict,
                      fingerprint_tolerance=tolerance_for(rules.fingerprint_tolerance, precision),
                      numerator_mode=num_case.config.get("mode") if num_case else None,
                      denominator_mode=den_case.config.get("mode") if den_case else None,
                      numerator_case_id=num_case.case_id if num_case else None,
                      denominator_case_id=den_case.case_id if den_case else None)
        if num_case is None or den_case is None:
            comparisons.append(FrameworkComparison(**common, n_pairs=0, ratio_median=None, ci_low=None, ci_high=None,
                                                   verdict="insufficient_data"))
            continue
        num = {s.repeat_index: s for s in num_case.samples if s.status == "ok" and s.step_seconds}
        den = {s.repeat_index: s for s in den_case.samples if s.status == "ok" and s.step_seconds}
        ratios = [
            float(np.median(num[i].step_seconds) / np.median(den[i].step_seconds)) for i in sorted(num.keys() & den.keys())
        ]
        relative, agree = fingerprint(by_framework[numerator], by_framework[denominator], rules.fingerprint_tolerance)
        common.update(n_pairs=len(ratios), fingerprint_relative_difference=relative, fingerprints_agree=agree)
        if not ratios:
            comparisons.append(FrameworkComparison(**common, ratio_median=None, ci_low=None, ci_high=None,
                                                   verdict="insufficient_data"))
            continue
        median, low, high = median_ratio_interval(ratios, rules.confidence_level)
        if agree is False:
            verdict = "fingerprints_disagree"  # they did not compute the same thing: no speed verdict
        elif len(ratios) < rules.min_pairs_for_verdict:
            verdict = "insufficient_data"
        else:
            verdict = verdict_for(low, high)
        comparisons.append(FrameworkComparison(**common, ratio_median=median, ci_low=low, ci_high=high,
                                               verdict=verdict))
    return comparisons


def recompute(run: RunResult) -> None:
    """Every case's summary (fraction of peak from its framework's matmul peak) and the run's comparisons,
    from the samples alone: a saved, resumed or merged run always states what its samples say."""
    peaks = {(p.framework, p.precision): p.flops_per_second for p in run.peak_matmul}
    for case in run.cases:
        case.summary = summarize(case, peaks.get((case.framework, case.config.get("precision", "fp32"))))
    run.comparisons = compare(run.cases, run.rules)
