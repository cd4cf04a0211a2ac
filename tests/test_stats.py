from datetime import datetime, timezone

import pytest

from contract import stats
from contract.schema import CaseResult, ProcessSample

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
RULES = stats.judging_rules({"torch": ["eager"], "tensorflow": ["function"]}, timing_run=True, reference_run=False)


def sample(repeat, steps, status="ok", loss=0.5):
    if status != "ok":
        return ProcessSample(repeat_index=repeat, status=status, reason="boom", started_utc=T0, wall_seconds=1.0)
    return ProcessSample(repeat_index=repeat, status="ok", started_utc=T0, wall_seconds=1.0, first_step_seconds=0.3,
                         step_seconds=steps, final_loss=loss, peak_host_rss_bytes=1000 * (repeat + 1))


def case(framework, samples, batch_size=10):
    return CaseResult(case_id=f"w/{framework}", workload="w", framework=framework, device="cpu",
                      config={"batch_size": batch_size}, samples=samples)


def test_summary_is_median_over_process_medians():
    c = case("torch", [sample(0, [1.0, 2.0, 3.0]), sample(1, [4.0, 4.0, 4.0]), sample(2, [1.0, 1.0, 10.0])])
    s = stats.summarize(c)
    # per-process medians 2, 4, 1 -> median 2, quartiles 1.5 and 3
    assert s.step_seconds_median == pytest.approx(2.0)
    assert (s.step_seconds_q1, s.step_seconds_q3) == pytest.approx((1.5, 3.0))
    # throughput per process 5, 2.5, 10 -> median 5
    assert s.samples_per_second_median == pytest.approx(5.0)
    assert (s.samples_per_second_q1, s.samples_per_second_q3) == pytest.approx((3.75, 7.5))
    assert s.processes_ok == 3 and s.processes_failed == 0
    assert s.peak_host_rss_bytes_median == 2000


def test_failed_processes_are_counted_not_summarised():
    c = case("torch", [sample(0, [2.0]), sample(1, [], status="timeout")])
    s = stats.summarize(c)
    assert s.processes_ok == 1 and s.processes_failed == 1
    assert s.step_seconds_median == 2.0


def test_no_summary_when_every_process_failed():
    assert stats.summarize(case("torch", [sample(0, [], status="crashed")])) is None


def paired(torch_steps, tf_steps):
    return [case("torch", [sample(i, [t]) for i, t in enumerate(torch_steps)]),
            case("tensorflow", [sample(i, [t]) for i, t in enumerate(tf_steps)])]


def test_consistently_lower_ratio_names_the_numerator_faster():
    (comparison,) = stats.compare(paired([1.0, 1.1, 0.9, 1.0, 1.05], [2.0, 2.0, 2.1, 1.9, 2.0]), RULES)
    assert comparison.verdict == "numerator_faster"
    assert comparison.n_pairs == 5
    assert comparison.ci_high < 1
    assert comparison.ratio_median == pytest.approx(0.5, rel=0.06)


def test_interval_straddling_one_is_a_tie():
    (comparison,) = stats.compare(paired([1.0, 1.2, 0.8, 1.1, 0.9], [1.0, 1.0, 1.0, 1.0, 1.0]), RULES)
    assert comparison.ci_low < 1 < comparison.ci_high
    assert comparison.verdict == "tie"


def test_too_few_pairs_never_name_a_winner():
    (comparison,) = stats.compare(paired([1.0, 1.0], [3.0, 3.0]), RULES)
    assert comparison.verdict == "insufficient_data"
    assert comparison.ratio_median == pytest.approx(1 / 3)


def test_pairs_are_formed_by_repeat_index_and_skip_failures():
    torch_case = case("torch", [sample(0, [1.0]), sample(1, [], status="crashed"), sample(2, [1.0])])
    tf_case = case("tensorflow", [sample(0, [2.0]), sample(1, [2.0]), sample(2, [4.0])])
    (comparison,) = stats.compare([torch_case, tf_case], RULES)
    assert comparison.n_pairs == 2
    assert comparison.ratio_median == pytest.approx((0.5 + 0.25) / 2)


def test_identical_ratios_give_a_point_interval():
    median, low, high = stats.median_ratio_interval([0.8] * 6)
    assert median == low == high == pytest.approx(0.8)


def test_slower_numerator_names_the_denominator_faster():
    (comparison,) = stats.compare(paired([3.0, 3.1, 2.9, 3.0, 3.2], [1.0, 1.0, 1.0, 1.0, 1.0]), RULES)
    assert comparison.verdict == "denominator_faster"
    assert comparison.ci_low > 1


def mode_case(framework, mode, steps, loss=0.5, precision="fp32"):
    c = case(framework, [sample(i, [t], loss=loss) for i, t in enumerate(steps)])
    c.config.update(mode=mode, task="train", precision=precision)
    return c


def test_each_side_is_its_fastest_mode():
    cases = [mode_case("torch", "eager", [2.0] * 5), mode_case("torch", "compile", [1.0] * 5),
             mode_case("tensorflow", "eager", [9.0] * 5), mode_case("tensorflow", "xla", [4.0] * 5)]
    (comparison,) = stats.compare(cases, RULES)
    assert (comparison.numerator_mode, comparison.denominator_mode) == ("compile", "xla")
    assert comparison.ratio_median == pytest.approx(0.25)
    assert comparison.verdict == "numerator_faster"


def test_disagreeing_fingerprints_block_a_verdict():
    cases = [mode_case("torch", "eager", [1.0] * 5, loss=0.50), mode_case("tensorflow", "function", [2.0] * 5, loss=0.60)]
    (comparison,) = stats.compare(cases, RULES)
    assert comparison.fingerprints_agree is False
    assert comparison.fingerprint_relative_difference == pytest.approx(0.1 / 0.6)
    assert comparison.verdict == "fingerprints_disagree"


def test_mixed_precision_fingerprints_get_a_wider_tolerance():
    cases = [mode_case("torch", "eager", [1.0] * 5, loss=0.50, precision="bf16"),
             mode_case("tensorflow", "function", [2.0] * 5, loss=0.51, precision="bf16")]
    (comparison,) = stats.compare(cases, RULES)
    assert comparison.fingerprints_agree is True and comparison.verdict == "numerator_faster"


def test_summary_reports_compile_time_latency_percentiles_and_fraction_of_peak():
    c = case("torch", [sample(0, [0.1] * 99 + [0.5])], batch_size=10)
    c.flops_per_step = 1e9
    s = stats.summarize(c, peak_flops_per_second=2e10)
    assert s.compile_seconds_median == pytest.approx(0.3 - 0.1)
    assert s.latency_p50_seconds == pytest.approx(0.1)
    assert s.latency_p99_seconds > 0.1
    assert s.achieved_flops_per_second == pytest.approx(1e10)
    assert s.fraction_of_peak == pytest.approx(0.5)


def test_fingerprint_falls_back_to_a_comparable_mode_when_fit_is_fastest():
    fit = mode_case("tensorflow", "fit", [0.5] * 5, loss=9.0)
    for s in fit.samples:
        s.steps_per_call = 4
    cases = [mode_case("torch", "eager", [1.0] * 5, loss=0.5), fit,
             mode_case("tensorflow", "function", [2.0] * 5, loss=0.5)]
    (comparison,) = stats.compare(cases, RULES)
    assert comparison.denominator_mode == "fit"
    assert comparison.fingerprints_agree is True and comparison.fingerprint_relative_difference == 0
    assert comparison.verdict == "denominator_faster"
