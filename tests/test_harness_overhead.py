"""The harness's own overhead reaches Methodology, from each process's bare loop, with every case beyond the bound
named (issue 14: the bare loop was recorded but no page read it)."""

from __future__ import annotations

from site_scripts.pages import methodology
from site_scripts.tables import harness_overhead
from tests.made_up_results import made_up_suite_run

SLOW_CASE = "mlp/torch/cpu/train/fp32/eager/bs128"


def _with_bare_loops(overhead_of):
    run = made_up_suite_run()
    for case in run.cases:
        for sample in case.samples:
            if sample.status == "ok" and sample.step_seconds:
                mean = sum(sample.step_seconds) / len(sample.step_seconds)
                sample.bare_step_seconds = mean / (1 + overhead_of(case))
    return run


def test_each_case_is_the_median_over_its_processes_and_the_cases_beyond_the_bound_are_named():
    run = _with_bare_loops(lambda case: 0.05 if case.case_id == SLOW_CASE else 0.01)
    case = next(c for c in run.cases if c.case_id == SLOW_CASE)
    assert abs(harness_overhead.case_overhead(case) - 0.05) < 1e-9
    text = methodology.harness_overhead_section(run)
    assert "1 case exceeds it" in text
    assert "5 %" in text and "MLP classifier, PyTorch eager, train · fp32 · batch 128" in text
    assert "median 1 %" in text


def test_a_quiet_harness_says_no_case_exceeds_the_bound_and_a_run_without_bare_loops_says_so():
    text = methodology.harness_overhead_section(_with_bare_loops(lambda case: 0.004))
    assert "no case exceeds it" in text and "0.4 %" in text
    assert "harness overhead is not measured" in methodology.harness_overhead_section(made_up_suite_run())


def test_a_rejected_or_failed_process_does_not_count():
    run = _with_bare_loops(lambda case: 0.01)
    case = next(c for c in run.cases if c.case_id == SLOW_CASE)
    for sample in case.samples[:4]:
        sample.admitted = False
        sample.bare_step_seconds = sample.bare_step_seconds / 2  # would read 100 %+ if it counted
    assert abs(harness_overhead.case_overhead(case) - 0.01) < 1e-9

