"""The parity statistics on made-up per-seed results: the paired test, time to target, curves."""

from datetime import datetime, timezone

import pytest

from contract.payloads import ParityData
from contract.schema import StudyRecord
from site_scripts.analysis import parity


def record(framework, seed, accuracies, seconds_to_target=None, status="ok"):
    history = [{"epoch": i + 1, "train_loss": 1.0 / (i + 1), "train_accuracy": a, "val_loss": 1.0 - a,
                "val_accuracy": a, "train_seconds": float(i + 1)} for i, a in enumerate(accuracies)]
    return StudyRecord(study="accuracy_parity", record_id=f"accuracy_parity/{framework}/mlp/seed={seed}",
                       framework=framework, workload="mlp", device="cpu", config={"seed": seed}, status=status,
                       started_utc=datetime(2026, 1, 1, tzinfo=timezone.utc), wall_seconds=1.0,
                       data={} if status != "ok" else ParityData(
                           seed=seed, epochs=len(history), batch_size=32, train_samples=1437, val_samples=360,
                           target_accuracy=0.95, framework_version="9.9", mode="made up", history=history,
                           seconds_to_target=seconds_to_target,
                           epoch_to_target=None if seconds_to_target is None else 2).model_dump())


def test_a_consistent_gap_across_seeds_is_a_difference():
    first = {s: 0.95 + 0.002 * s for s in range(5)}
    second = {s: first[s] - 0.02 + 0.001 * (s % 2) for s in range(5)}
    result = parity.paired_test(first, second)
    assert result.verdict == "differ" and result.p_value < 0.05
    assert result.ci_low > 0 and result.mean_difference == pytest.approx(0.0196)


def test_noise_around_zero_is_no_detected_difference_with_an_interval_around_zero():
    first = {0: 0.95, 1: 0.96, 2: 0.94, 3: 0.97, 4: 0.95}
    second = {0: 0.96, 1: 0.95, 2: 0.95, 3: 0.96, 4: 0.94}
    result = parity.paired_test(first, second)
    assert result.verdict == "no difference detected"
    assert result.ci_low < 0 < result.ci_high


def test_identical_results_and_too_few_seeds_are_said_plainly():
    same = {0: 0.9, 1: 0.91}
    assert parity.paired_test(same, dict(same)).verdict == "identical on every seed"
    assert parity.paired_test({0: 0.9}, {0: 0.8}).verdict.startswith("insufficient data")
    # Only seeds both frameworks finished are paired.
    assert parity.paired_test({0: 0.9, 1: 0.9, 2: 0.9}, {2: 0.9}).seeds == 1


def test_failed_seeds_are_left_out_of_accuracy_and_counted_in_time_to_target():
    records = [record("torch", 0, [0.5, 0.96], 2.0), record("torch", 1, [0.5, 0.9], None),
               record("torch", 2, [], status="crashed"), record("torch", 3, [0.6, 0.97], 4.0)]
    assert parity.final_accuracy_by_seed(records, "torch") == {0: 0.96, 1: 0.9, 3: 0.97}
    target = parity.time_to_target(records, "torch")
    assert (target.reached, target.seeds, target.median_seconds) == (2, 3, 3.0)


def test_curve_band_is_mean_min_and_max_per_epoch():
    records = [record("tensorflow", 0, [0.5, 0.9]), record("tensorflow", 1, [0.7, 0.8])]
    epochs, mean, low, high = parity.curve_band(records, "tensorflow", "val_accuracy")
    assert epochs == [1, 2]
    assert mean == pytest.approx([0.6, 0.85]) and low == [0.5, 0.8] and high == [0.7, 0.9]
