"""Phase accounting and the fixed/per-sample fit, on made-up numbers whose answers are known."""

from datetime import datetime, timezone

import pytest

from contract.schema import CaseResult, ProcessSample
from site_scripts.analysis import memory

MIB = 2**20


def sample(index, phases, peak, status="ok"):
    return ProcessSample(repeat_index=index, status=status, started_utc=datetime(2026, 1, 1, tzinfo=timezone.utc),
                         wall_seconds=1.0, memory_phases=phases, peak_host_rss_bytes=peak,
                         step_seconds=[0.1], final_loss=1.0)


def case(samples):
    return CaseResult(case_id="w/torch/cpu/train/fp32/eager/bs8", workload="w", framework="torch", device="cpu",
                      config={"task": "train", "precision": "fp32", "mode": "eager", "batch_size": 8}, samples=samples)


def test_phase_levels_are_medians_over_processes_and_failed_processes_are_ignored():
    levels = memory.phase_levels(case([
        sample(0, {"harness": 40 * MIB, "import": 200 * MIB, "build": 300 * MIB, "steady": 400 * MIB}, 450 * MIB),
        sample(1, {"harness": 42 * MIB, "import": 210 * MIB, "build": 310 * MIB, "steady": 420 * MIB}, 470 * MIB),
        sample(2, {"harness": 44 * MIB, "import": 220 * MIB, "build": 320 * MIB, "steady": 440 * MIB}, 490 * MIB),
        sample(3, None, None, status="crashed"),
    ]))
    assert levels == {"harness": 42 * MIB, "import": 210 * MIB, "build": 310 * MIB, "steady": 420 * MIB,
                      "peak": 470 * MIB}


def test_increments_stack_to_the_peak_even_when_a_phase_frees_memory():
    levels = {"harness": 40.0, "import": 200.0, "build": 180.0, "steady": 260.0, "peak": 300.0}
    increments = memory.phase_increments(levels)
    assert increments == {"harness": 40.0, "import": 160.0, "build": 0.0, "steady": 60.0, "peak": 40.0}
    assert sum(increments.values()) == levels["peak"]


def test_no_phases_without_a_successful_process():
    assert memory.phase_levels(case([sample(0, None, None, status="out_of_memory")])) is None


def test_the_fit_recovers_a_known_fixed_and_per_sample_cost():
    points = [(batch, 500 * MIB + 3 * MIB * batch) for batch in (8, 32, 128)]
    fit = memory.fit_memory_vs_batch(points)
    assert fit.intercept_bytes == pytest.approx(500 * MIB)
    assert fit.slope_bytes_per_sample == pytest.approx(3 * MIB)
    assert fit.residual_rms_bytes == pytest.approx(0, abs=1)
    assert fit.r_squared == pytest.approx(1.0)


def test_the_fit_reports_its_residual_when_memory_is_not_linear_in_batch():
    fit = memory.fit_memory_vs_batch([(1, 100.0), (2, 100.0), (3, 160.0)])
    assert fit.slope_bytes_per_sample == pytest.approx(30.0)
    assert fit.residual_max_bytes == pytest.approx(20.0)
    assert 0 < fit.r_squared < 1


def test_two_batches_give_a_line_without_a_residual_and_one_batch_no_line():
    two = memory.fit_memory_vs_batch([(8, 100.0), (16, 180.0)])
    assert two.slope_bytes_per_sample == pytest.approx(10.0) and two.residual_rms_bytes is None
    assert memory.fit_memory_vs_batch([(8, 100.0), (8, 110.0)]) is None
