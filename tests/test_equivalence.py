"""Both implementations compute the same function: weights copied from PyTorch into TensorFlow."""

import pytest

from benchmarks import registry
from benchmarks.equivalence import check

WORKLOADS = sorted(registry.workloads())


@pytest.mark.parametrize("workload", WORKLOADS)
def test_same_parameters_same_outputs_same_step(workload):
    report = check(workload, "quick")
    assert report.trainable_parameters["torch"] == report.trainable_parameters["tensorflow"] > 0
    t = report.tolerance
    assert report.forward_max_abs_diff <= t.forward_atol
    assert report.loss_abs_diff <= t.loss_atol
    assert report.loss_after_step_abs_diff <= t.loss_atol
    assert report.forward_after_step_max_abs_diff <= t.forward_atol
    assert report.weights_after_step_max_abs_diff <= t.weights_after_step_atol
    assert report.equivalent
