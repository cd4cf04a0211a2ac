"""Proof that both implementations of a workload compute the same function.

PyTorch's initial weights are copied into the TensorFlow model; then, on the same batch,
forward outputs, the loss of each of a few optimiser steps, and the outputs, loss and
weights after them are compared.
Each framework runs in its own subprocess (never both in one process), exchanging
weights and outputs through .npz files.
Usage (child): python -m benchmarks.equivalence WORKLOAD FRAMEWORK PRESET OUT.npz [WEIGHTS_IN.npz]
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import registry

REFERENCE, OTHER = "torch", "tensorflow"
# Three steps, not one: with zero-initialised residual gammas (ResNet) a branch's convolutions
# get no gradient in the first step, so only later steps compare their backward pass.
OPTIMIZER_STEPS = 3
# A side builds one model and takes a few steps: minutes at most, even for the full sizes on 2 loaded cores.
SIDE_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class Tolerance:
    """fp32 tolerances: summation order differs between oneDNN/MKL kernels, bits do not match."""

    forward_atol: float = 1e-4
    loss_atol: float = 1e-5
    weights_after_step_atol: float = 1e-5

    def as_dict(self) -> dict[str, float]:
        return {"forward_atol": self.forward_atol, "loss_atol": self.loss_atol,
                "weights_after_step_atol": self.weights_after_step_atol}


@dataclass(frozen=True)
class EquivalenceReport:
    workload: str
    preset: str
    sizes: dict
    optimizer_steps: int
    trainable_parameters: dict[str, int]
    forward_max_abs_diff: float
    loss_abs_diff: float
    loss_after_step_abs_diff: float
    forward_after_step_max_abs_diff: float
    weights_after_step_max_abs_diff: float
    tolerance: Tolerance

    @property
    def equivalent(self) -> bool:
        t = self.tolerance
        return (
            len(set(self.trainable_parameters.values())) == 1
            and self.forward_max_abs_diff <= t.forward_atol
            and self.loss_abs_diff <= t.loss_atol
            and self.loss_after_step_abs_diff <= t.loss_atol
            and self.forward_after_step_max_abs_diff <= t.forward_atol
            and self.weights_after_step_max_abs_diff <= t.weights_after_step_atol
        )


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """The loss after the step, computed once in numpy so neither framework grades itself."""
    z = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def run_side(workload_name: str, framework: str, preset: str, out: Path, weights_in: Path | None) -> None:
    workload = registry.workloads()[workload_name]
    module = importlib.import_module(registry.framework_module_name(workload_name, framework))
    config = {**workload.sizes(preset), "task": "train", "precision": "fp32",
              "mode": "eager" if framework == "torch" else "function"}
    case = module.create(workload, config, "cpu", 1)
    if weights_in is not None:
        with np.load(weights_in) as stored:
            case.set_weights({k: stored[k] for k in stored.files})
    initial = case.get_weights()
    x, y = case.example_batch()
    before = case.forward(x)
    losses = [case.train_step_on(x, y) for _ in range(OPTIMIZER_STEPS)]
    after = case.forward(x)
    loss_after = softmax_cross_entropy(after, y)
    arrays = {f"weights_before/{k}": v for k, v in initial.items()}
    arrays |= {f"weights_after/{k}": v for k, v in case.get_weights().items()}
    np.savez(out, forward_before=before, loss=np.asarray(losses, dtype=np.float64), forward_after=after, loss_after=np.float64(loss_after),
             trainable_parameters=np.int64(case.trainable_parameters()), **arrays)


def _side(workload: str, framework: str, preset: str, out: Path, weights_in: Path | None) -> dict[str, np.ndarray]:
    from benchmarks.harness.provenance import child_environment
    from benchmarks.paths import REPO_ROOT

    command = [sys.executable, "-m", "benchmarks.equivalence", workload, framework, preset, str(out)]
    if weights_in is not None:
        command.append(str(weights_in))
    try:
        done = subprocess.run(command, cwd=REPO_ROOT, env=child_environment(1), capture_output=True, text=True,
                              timeout=SIDE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{framework} side of {workload} did not finish within {SIDE_TIMEOUT_SECONDS:.0f} s") from None
    if done.returncode != 0:
        raise RuntimeError(f"{framework} side of {workload} failed:\n{done.stderr[-3000:]}")
    with np.load(out) as stored:
        return {k: stored[k] for k in stored.files}


def check(workload: str, preset: str = "quick", tolerance: Tolerance | None = None) -> EquivalenceReport:
    if tolerance is None:
        tolerance = Tolerance(**registry.workloads()[workload].equivalence_tolerance)
    with tempfile.TemporaryDirectory(prefix="fwbench-equiv-") as tmp:
        ref = _side(workload, REFERENCE, preset, Path(tmp, "ref.npz"), None)
        weights = Path(tmp, "weights.npz")
        prefix = "weights_before/"
        np.savez(weights, **{k[len(prefix):]: v for k, v in ref.items() if k.startswith(prefix)})
        other = _side(workload, OTHER, preset, Path(tmp, "other.npz"), weights)
    after_keys = [k for k in ref if k.startswith("weights_after/")]
    if sorted(after_keys) != sorted(k for k in other if k.startswith("weights_after/")):
        raise RuntimeError(f"{workload}: the two implementations name their weights differently")
    return EquivalenceReport(
        workload=workload,
        preset=preset,
        sizes=registry.workloads()[workload].sizes(preset),
        optimizer_steps=OPTIMIZER_STEPS,
        trainable_parameters={REFERENCE: int(ref["trainable_parameters"]), OTHER: int(other["trainable_parameters"])},
        forward_max_abs_diff=float(np.max(np.abs(ref["forward_before"] - other["forward_before"]))),
        loss_abs_diff=float(np.max(np.abs(ref["loss"] - other["loss"]))),
        loss_after_step_abs_diff=float(abs(ref["loss_after"] - other["loss_after"])),
        forward_after_step_max_abs_diff=float(np.max(np.abs(ref["forward_after"] - other["forward_after"]))),
        weights_after_step_max_abs_diff=max(float(np.max(np.abs(ref[k] - other[k]))) for k in after_keys),
        tolerance=tolerance,
    )


if __name__ == "__main__":
    argv = sys.argv[1:]
    run_side(argv[0], argv[1], argv[2], Path(argv[3]), Path(argv[4]) if len(argv) > 4 else None)
