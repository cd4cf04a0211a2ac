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

from contract.payloads import SettingCell, SettingRatio, StepSettingsData, StepSettingsSummary
from contract.schema import (
    CaseResult,
    CaseSummary,
    FrameworkComparison,
    JudgingRules,
    PairRecord,
    ProcessSample,
    RunResult,
)

CONFIDENCE_LEVEL = 0.95
# The interval of a comparison is distribution-free: [x_(k), x_(n+1-k)] of the n paired ratios, with k the largest
# index whose exact binomial coverage 1 - 2 P(Bin(n, 1/2) < k) is at least the confidence level. Its coverage is
# what it says at any n; below 6 pairs no such interval reaches 95 % ([min, max] of 5 covers 93.75 %).
INTERVAL_METHOD = ("distribution-free confidence interval of the median of the paired step-time ratios, from "
                   "order statistics (exact binomial coverage)")
# Within this relative difference two step times are practically equal: 0.96 with an interval inside
# [0.952, 1.05] reads "within 5 %", not "PyTorch faster".
EQUIVALENCE_MARGIN = 0.05
# Above this share of the machine taken by other processes, a process is rejected and run again: torch with one
# thread per core slows many-fold when a core is taken, TensorFlow much less, so a loaded pair is not a comparison.
LOADED_MACHINE_FRACTION = 0.10
MAX_LOAD_RETRIES = 2
BEST_PATH_SELECTION = ("each side's fastest mode and layout, chosen for each pair from the median step time of every "
                       "other pair (leave-one-out), so the pair it is compared on took no part in choosing it")
MULTIPLICITY = ("each comparison's interval holds at 95 % on its own; a verdict that also holds at the Bonferroni "
                "level over all the run's comparisons (the same interval at 1 - 0.05/m) is marked as holding for "
                "the family")


def median_interval_index(n: int, confidence: float) -> tuple[int, float] | None:
    """(k, coverage) of the widest-needed order-statistic interval [x_(k), x_(n+1-k)]; None below the level."""
    best = None
    for k in range(1, n // 2 + 1):
        coverage = 1.0 - 2.0 * float(scipy_stats.binom.cdf(k - 1, n, 0.5))
        if coverage < confidence:
            break
        best = (k, coverage)
    return best


def min_pairs_for(confidence: float) -> int:
    """The fewest pairs whose order-statistic interval reaches the confidence level."""
    n = 1
    while median_interval_index(n, confidence) is None:
        n += 1
    return n


MIN_PAIRS_FOR_VERDICT = min_pairs_for(CONFIDENCE_LEVEL)


def median_interval(values: list[float], confidence: float) -> tuple[float, float | None, float | None, float | None]:
    """(median, low, high, exact coverage) of the median of `values`; low/high None when n is too small."""
    ordered = sorted(float(v) for v in values)
    median = float(np.median(ordered))
    index = median_interval_index(len(ordered), confidence)
    if index is None:
        return median, None, None, None
    k, coverage = index
    return median, ordered[k - 1], ordered[len(ordered) - k], coverage


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    q1, median, q3 = np.percentile(np.asarray(list(values), dtype=float), [25, 50, 75])
    return float(q1), float(median), float(q3)


def summarize(case: CaseResult, peak_flops_per_second: float | None = None) -> CaseSummary | None:
    """None when no admitted process of the case succeeded: there is nothing to summarise, only failures.

    Processes rejected for machine load are counted but never summarised."""
    ok = [s for s in case.samples if s.status == "ok" and s.step_seconds and s.admitted]
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
    compile_seconds = [compile_seconds_of(s) for s in ok]
    rss = [s.peak_host_rss_bytes for s in ok if s.peak_host_rss_bytes is not None]
    device_peak = [s.device_peak_memory_bytes for s in ok if s.device_peak_memory_bytes is not None]
    achieved = case.flops_per_step / s_med if case.flops_per_step else None
    load = [s.foreign_cpu_fraction for s in ok if s.foreign_cpu_fraction is not None]
    return CaseSummary(
        processes_ok=len(ok),
        processes_failed=sum(1 for s in case.samples if s.status != "ok"),
        processes_rejected=sum(1 for s in case.samples if not s.admitted),
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


def compile_seconds_of(sample: ProcessSample) -> float:
    """Tracing, compilation and autotuning in one process: the first call and the timed warm-up calls, minus what as
    many steady calls take (the process's median step). Warm-up calls count because a compiled training step
    compiles again on its second call, once the optimizer has state; runs that did not time them (no
    warmup_seconds) give the first call alone, as they always did. The one definition of compile time."""
    steady_call = sample.steps_per_call * float(np.median(sample.step_seconds))
    calls = [sample.first_step_seconds, *sample.warmup_seconds]
    return max(0.0, sum(calls) - len(calls) * steady_call)


def judging_rules(default_modes: dict[str, list[str]], *, timing_run: bool, reference_run: bool,
                  load_gated: bool = True) -> JudgingRules:
    """The rules of this code, to be recorded with a new run (and read back from it, never from here)."""
    return JudgingRules(confidence_level=CONFIDENCE_LEVEL, interval_method=INTERVAL_METHOD,
                        min_pairs_for_verdict=MIN_PAIRS_FOR_VERDICT, fingerprint_tolerance=dict(FINGERPRINT_TOLERANCE),
                        default_modes={fw: list(modes) for fw, modes in default_modes.items()},
                        timing_run=timing_run, reference_run=reference_run,
                        loaded_machine_fraction=LOADED_MACHINE_FRACTION, load_gated=load_gated,
                        max_load_retries=MAX_LOAD_RETRIES if load_gated else 0, equivalence_margin=EQUIVALENCE_MARGIN,
                        best_path_selection=BEST_PATH_SELECTION, multiplicity=MULTIPLICITY)


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


def admitted(case: CaseResult) -> dict[int, float]:
    """repeat index -> the per-process median step time of the admitted, successful process of that repeat."""
    return {s.repeat_index: float(np.median(s.step_seconds)) for s in case.samples
            if s.status == "ok" and s.admitted and s.step_seconds}


def rejected_processes(cases: list[CaseResult]) -> int:
    return sum(1 for case in cases for s in case.samples if not s.admitted)


def default_case(cases: list[CaseResult], default_modes: list[str]) -> CaseResult | None:
    """The framework's default path: its default mode, and the first-declared layout where there are several
    (what its tutorials teach; the planner runs every layout in the default mode)."""
    chosen = [c for c in cases if c.config.get("mode") in default_modes]
    return chosen[0] if chosen else None


def default_path_agreement(cases: list[CaseResult], rules: JudgingRules) -> dict[str, tuple[float, bool]]:
    """case id -> (relative final-loss difference from its framework's default path, within the tolerance?).

    Every other training mode of a framework (a compiled step, XLA) starts from the same weights and data and runs
    the same steps as its default path, so it must end at the same loss; one that does not computed something else
    and cannot stand for its framework. Only one-step-per-call training cases with a summary are compared."""
    groups: dict[tuple, list[CaseResult]] = defaultdict(list)
    for case in cases:
        groups[(case.workload, case.device, case.framework, tuple(sorted(case.shared_config.items())))].append(case)
    agreement = {}
    for (_, _, framework, config_items), members in groups.items():
        default = default_case(members, rules.default_modes.get(framework, []))
        if default is None or not comparable(default):
            continue
        tolerance = tolerance_for(rules.fingerprint_tolerance, str(dict(config_items).get("precision", "fp32")))
        for case in members:
            if case is default or not comparable(case):
                continue
            a, b = case.summary.final_loss_median, default.summary.final_loss_median
            relative = abs(a - b) / max(abs(a), abs(b), 1e-12)
            agreement[case.case_id] = (relative, relative <= tolerance)
    return agreement


def leave_one_out_choice(cases: list[CaseResult], repeat: int) -> CaseResult | None:
    """The case with the lowest median step time over every admitted repeat but `repeat`."""
    best, best_time = None, None
    for case in cases:
        values = admitted(case)
        if repeat not in values:
            continue
        others = [v for r, v in values.items() if r != repeat]
        if not others:
            continue
        median = float(np.median(others))
        if best_time is None or median < best_time:
            best, best_time = case, median
    return best


def _pairs(num_cases, den_cases, path) -> tuple[list[PairRecord], int]:
    """The admitted pairs of a path, and how many processes of its cases were rejected for machine load."""
    rejected = rejected_processes([*num_cases, *den_cases])
    if path == "default":
        num, den = num_cases[0], den_cases[0]
        a, b = admitted(num), admitted(den)
        pairs = [PairRecord(repeat_index=r, numerator_case_id=num.case_id, denominator_case_id=den.case_id,
                            ratio=a[r] / b[r]) for r in sorted(a.keys() & b.keys())]
        return pairs, rejected
    repeats = sorted(set().union(*(admitted(c).keys() for c in num_cases))
                     & set().union(*(admitted(c).keys() for c in den_cases)))
    pairs = []
    for r in repeats:
        num, den = leave_one_out_choice(num_cases, r), leave_one_out_choice(den_cases, r)
        if num is not None and den is not None:
            pairs.append(PairRecord(repeat_index=r, numerator_case_id=num.case_id, denominator_case_id=den.case_id,
                                    ratio=admitted(num)[r] / admitted(den)[r]))
    return pairs, rejected


def verdict_of(median: float, low: float | None, high: float | None, margin: float) -> str:
    """Faster only when the interval excludes 1 and the median is beyond the margin; practically equal when the
    whole interval lies within the margin; otherwise no difference is resolved."""
    if low is None or high is None:
        return "insufficient_data"
    if 1 / (1 + margin) <= low and high <= 1 + margin:
        return "practically_equal"
    if high < 1.0 and median < 1 / (1 + margin):
        return "numerator_faster"
    if low > 1.0 and median > 1 + margin:
        return "denominator_faster"
    return "tie"


def compare(cases: list[CaseResult], rules: JudgingRules, numerator: str = "torch",
            denominator: str = "tensorflow") -> list[FrameworkComparison]:
    """Per shared configuration: the default path (each side's default mode) and, where a side has more than one
    mode or layout, the best path (leave-one-out); processes paired by repeat index, admitted ones only."""
    cases = [c if c.summary is not None else c.model_copy(update={"summary": summarize(c)}) for c in cases]
    groups: dict[tuple, dict[str, list[CaseResult]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        key = (case.workload, case.device, tuple(sorted(case.shared_config.items())))
        groups[key][case.framework].append(case)
    margin = rules.equivalence_margin if rules.equivalence_margin is not None else 0.0
    disagreeing = {case_id for case_id, (_, agrees) in default_path_agreement(cases, rules).items() if not agrees}
    comparisons = []
    for (workload, device, config_items), by_framework in groups.items():
        if numerator not in by_framework or denominator not in by_framework:
            continue
        num_all, den_all = by_framework[numerator], by_framework[denominator]
        precision = str(dict(config_items).get("precision", "fp32"))
        relative, agree = fingerprint(num_all, den_all, rules.fingerprint_tolerance)
        paths = ["default"] + (["best"] if len(num_all) > 1 or len(den_all) > 1 else [])
        for path in paths:
            if path == "default":
                num_cases = [c for c in [default_case(num_all, rules.default_modes.get(numerator, []))] if c]
                den_cases = [c for c in [default_case(den_all, rules.default_modes.get(denominator, []))] if c]
            else:  # a mode whose final loss left its default path's computed something else: never the best
                num_cases = [c for c in num_all if c.case_id not in disagreeing]
                den_cases = [c for c in den_all if c.case_id not in disagreeing]
            shown_num, shown_den = fastest(num_cases), fastest(den_cases)
            common = dict(
                path=path, workload=workload, device=device, config=dict(config_items), numerator=numerator,
                denominator=denominator, confidence_level=rules.confidence_level, min_pairs=rules.min_pairs_for_verdict,
                fingerprint_tolerance=tolerance_for(rules.fingerprint_tolerance, precision),
                equivalence_margin=rules.equivalence_margin,
                numerator_mode=shown_num.config.get("mode") if shown_num else None,
                denominator_mode=shown_den.config.get("mode") if shown_den else None,
                numerator_case_id=shown_num.case_id if shown_num else None,
                denominator_case_id=shown_den.case_id if shown_den else None,
                fingerprint_relative_difference=relative, fingerprints_agree=agree,
                precision_paths={numerator: _precision_path(num_cases), denominator: _precision_path(den_cases)},
            )
            missing = next((c.not_measured for c in (*num_all, *den_all) if c.not_measured), None)
            if missing:
                comparisons.append(FrameworkComparison(**common, n_pairs=0, ratio_median=None, ci_low=None,
                                                       ci_high=None, verdict="not_measured",
                                                       not_measured_reason=missing))
                continue
            pairs, rejected = _pairs(num_cases, den_cases, path) if num_cases and den_cases else ([], 0)
            ratios = [p.ratio for p in pairs]
            if not ratios:
                comparisons.append(FrameworkComparison(**common, n_pairs=0, ratio_median=None, ci_low=None,
                                                       ci_high=None, pairs_rejected=rejected,
                                                       verdict="insufficient_quiet_pairs" if rejected
                                                       else "insufficient_data"))
                continue
            median, low, high, coverage = median_interval(ratios, rules.confidence_level)
            if agree is False:
                verdict = "fingerprints_disagree"  # they did not compute the same thing: no speed verdict
            elif len(ratios) < rules.min_pairs_for_verdict:
                verdict = "insufficient_quiet_pairs" if rejected else "insufficient_data"
            else:
                verdict = verdict_of(median, low, high, margin)
            comparisons.append(FrameworkComparison(**common, n_pairs=len(ratios), ratio_median=median, ci_low=low,
                                                   ci_high=high, interval_coverage=coverage, pairs_rejected=rejected,
                                                   pairs=pairs, verdict=verdict))
    _judge_the_family(comparisons, rules, margin)
    return comparisons


def _precision_path(cases: list[CaseResult]) -> str | None:
    paths = {s.precision_path for c in cases for s in c.samples if s.status == "ok" and s.precision_path}
    return "emulated" if "emulated" in paths else "native" if "native" in paths else None


def _judge_the_family(comparisons: list[FrameworkComparison], rules: JudgingRules, margin: float) -> None:
    """Whether each verdict also holds with the interval at the Bonferroni level over the run's m comparisons."""
    judged = [c for c in comparisons if c.verdict in ("numerator_faster", "denominator_faster", "practically_equal")]
    decided = [c for c in comparisons if c.n_pairs >= rules.min_pairs_for_verdict and c.verdict != "fingerprints_disagree"]
    if not decided:
        return
    family_level = 1 - (1 - rules.confidence_level) / len(decided)
    for c in judged:
        median, low, high, _ = median_interval([p.ratio for p in c.pairs], family_level)
        c.holds_for_the_family = low is not None and verdict_of(median, low, high, margin) == c.verdict


def recompute(run: RunResult) -> None:
    """Every case's summary (fraction of peak from its framework's matmul peak) and the run's comparisons,
    from the samples alone: a saved, resumed or merged run always states what its samples say."""
    peaks = {(p.framework, p.precision): p.flops_per_second for p in run.peak_matmul}
    for case in run.cases:
        case.summary = summarize(case, peaks.get((case.framework, case.config.get("precision", "fp32"))))
    for case_id, (relative, agrees) in default_path_agreement(run.cases, run.rules).items():
        summary = run.case(case_id).summary
        summary.final_loss_vs_default_path, summary.agrees_with_default_path = relative, agrees
    run.comparisons = compare(run.cases, run.rules)


# The variant of the step-settings study that changes nothing: the harness's own settings, each variant's baseline.
HARNESS_SETTING = "harness"


def _paired_ratio(num: dict[int, float], den: dict[int, float], confidence: float, margin: float | None,
                  sides: tuple[str, str, str, str]) -> SettingRatio:
    """Ratio of two series paired by round, with the same interval and verdict rule as a comparison's."""
    ratios = [num[r] / den[r] for r in sorted(num.keys() & den.keys())]
    common = dict(zip(("numerator_framework", "numerator_variant", "denominator_framework", "denominator_variant"),
                      sides))
    if not ratios:
        return SettingRatio(**common, n_pairs=0, ratio_median=None, ci_low=None, ci_high=None,
                            interval_coverage=None, verdict="insufficient_data")
    median, low, high, coverage = median_interval(ratios, confidence)
    return SettingRatio(**common, n_pairs=len(ratios), ratio_median=median, ci_low=low, ci_high=high,
                        interval_coverage=coverage, verdict=verdict_of(median, low, high, margin or 0.0))


def step_settings_summary(rounds: list[StepSettingsData], confidence: float,
                          margin: float | None) -> StepSettingsSummary | None:
    """Per framework and setting variant: the median step time over admitted processes, its ratio to the harness's
    setting paired round by round, and torch / TensorFlow in each variant both ran; None without rounds.

    Processes rejected for machine load are counted, never used; so are failed ones."""
    if not rounds:
        return None
    rounds = sorted(rounds, key=lambda r: r.round_index)
    first = rounds[0]
    series: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"admitted": 0, "rejected": 0, "failed": 0})
    recorded: dict[tuple[str, str], dict[str, object]] = {}
    failures: dict[tuple[str, str], str] = {}
    for data in rounds:
        for process in data.processes:
            key = (process.framework, process.variant)
            if process.status != "ok":
                counts[key]["failed"] += 1
                failures.setdefault(key, f"{process.status}: {process.reason or 'no reason recorded'}")
            elif not process.admitted:
                counts[key]["rejected"] += 1
            elif process.step_seconds_median is not None:
                counts[key]["admitted"] += 1
                series[key][data.round_index] = process.step_seconds_median
                recorded.setdefault(key, {"optimizer_implementation": process.optimizer_implementation,
                                          "inter_op_threads": process.inter_op_threads,
                                          "data_batches": process.data_batches})
    cells, effects = [], []
    for framework, variants in first.variants.items():
        for variant, overrides in variants.items():
            key = (framework, variant)
            values = list(series[key].values())
            cells.append(SettingCell(framework=framework, variant=variant, overrides=overrides,
                                     processes_admitted=counts[key]["admitted"],
                                     processes_rejected=counts[key]["rejected"],
                                     processes_failed=counts[key]["failed"],
                                     step_seconds_median=float(np.median(values)) if values else None,
                                     **recorded.get(key, {"optimizer_implementation": None, "inter_op_threads": None,
                                                          "data_batches": None}),
                                     failure=failures.get(key)))
            if variant != HARNESS_SETTING and HARNESS_SETTING in variants:
                effects.append(_paired_ratio(series[key], series[(framework, HARNESS_SETTING)], confidence, margin,
                                             (framework, variant, framework, HARNESS_SETTING)))
    frameworks = list(first.variants)
    ratios = []
    if len(frameworks) >= 2:
        numerator, denominator = frameworks[:2]
        for variant in first.variants[numerator]:
            if variant in first.variants[denominator]:
                ratios.append(_paired_ratio(series[(numerator, variant)], series[(denominator, variant)], confidence,
                                            margin, (numerator, variant, denominator, variant)))
    return StepSettingsSummary(workload=first.workload, sizes=first.sizes, batch_size=first.batch_size,
                               modes=first.modes, rounds=len(rounds), confidence_level=confidence,
                               equivalence_margin=margin, cells=cells, effects=effects, framework_ratios=ratios)
