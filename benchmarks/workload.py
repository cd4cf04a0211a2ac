"""What a workload is: a declaration (data, not code) and the small interface each framework module implements.

The harness only ever talks to this interface, so framework code never leaks into timing,
and a new workload is a folder with a declaration and one file per framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol

import numpy as np

from contract.schema import FRAMEWORKS, ConfigValue

TASKS = ("train", "infer")
PRECISIONS = ("fp32", "bf16", "fp16")

Sizes = Mapping[str, ConfigValue]


@dataclass(frozen=True)
class PresetSizes:
    """Sizes of one workload under one preset.

    `model` holds the architecture and data-set sizes; `batch_size` is the reference training
    batch; `batch_sweep` adds batches for the throughput-vs-batch chart; `inference_batch`
    is the large batch of the inference-throughput case (batch 1 gives latency).
    """

    model: Sizes
    batch_size: int
    batch_sweep: tuple[int, ...] = ()
    inference_batch: int | None = None


@dataclass(frozen=True)
class Workload:
    """A model and its training settings, identical for every framework.

    `initial_weights(sizes, seed)` returns the starting weights in the framework-neutral
    layout and `dataset(sizes, seed)` the inputs and labels (images NHWC): both frameworks
    load the same, so they start from the same point, and their final losses can be
    compared as a correctness fingerprint.

    `flops(config)` is the analytic FLOP count of ONE FORWARD pass for a config (the model
    sizes plus batch_size; other keys are ignored), a multiply-add counted as 2 FLOPs. It is
    declared rather than measured because the framework counter misses fused kernels:
    torch.utils.flop_counter sees no FLOPs in nn.LSTM's oneDNN/cuDNN kernels nor in the CPU
    flash attention of scaled_dot_product_attention. A formula is framework-neutral and
    checkable (tests/test_flops.py holds each one to the counter with those kernels
    decomposed). It counts the terms the counter counts (matmuls, convolutions, attention's
    QK^T and AV, LSTM gate matmuls), not elementwise ops, biases, norms, activations,
    pooling or embedding lookups. None: no verified count, so no fraction-of-peak.
    See `step_flops` for the training convention.
    """

    name: str
    title: str
    description: str
    hyperparameters: Mapping[str, ConfigValue]
    presets: Mapping[str, PresetSizes]
    initial_weights: Callable[[Sizes, int], dict[str, np.ndarray]]
    dataset: Callable[[Sizes, int], tuple[np.ndarray, np.ndarray]]
    frameworks: tuple[str, ...] = FRAMEWORKS
    layouts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Overrides of benchmarks.equivalence.Tolerance fields, for deep models whose fp32 sums
    # drift further apart between oneDNN/MKL kernels; stated and published with each run.
    equivalence_tolerance: Mapping[str, float] = field(default_factory=dict)
    data_seed: int = 1234
    notes: Mapping[str, str] = field(default_factory=dict)
    flops: Callable[[Mapping[str, ConfigValue]], float] | None = None

    def preset(self, preset: str) -> PresetSizes:
        if preset not in self.presets:
            raise KeyError(f"workload {self.name!r} has no sizes for preset {preset!r}")
        return self.presets[preset]

    def sizes(self, preset: str) -> dict[str, ConfigValue]:
        """Model sizes plus the reference batch: what the equivalence check builds."""
        chosen = self.preset(preset)
        return {**chosen.model, "batch_size": chosen.batch_size}


# Training counts 3 forward passes: the backward pass of every matmul or convolution is two
# products the size of its forward one (gradient with respect to the input, and to the weights).
TRAIN_FORWARD_MULTIPLE = 3


def step_flops(workload: Workload, config: Mapping[str, ConfigValue]) -> float | None:
    """Analytic FLOPs of one step: the forward count for task "infer", 3x it for "train".

    The 3x is a convention (the "model FLOPs" of MFU): backward = 2x forward for every layer.
    The frameworks execute a little less: nothing computes the gradient with respect to the
    data (the first layer's input), nor, in the LSTM, with respect to the zero initial state;
    tests/test_flops.py checks that these are the only differences from the torch counter.
    None when the workload declares no formula (the counter alone is not trusted).
    """
    task = config.get("task", "train")
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if workload.flops is None:
        return None
    forward = float(workload.flops(config))
    return forward * (TRAIN_FORWARD_MULTIPLE if task == "train" else 1)


class Case(Protocol):
    """One framework's model, optimiser and data in one configuration, ready to step.

    `step` may return before the device has finished (asynchronous execution); `finish`
    blocks until it has and returns a float (the loss when training, an output checksum
    when inferring), so the harness calls it before every clock read. One call may run
    `steps_per_call` steps (Keras fit runs an epoch per call).
    """

    framework_version: str
    device_name: str
    intra_op_threads: int
    inter_op_threads: int
    steps_per_call: int
    mode_detail: str | None

    def step(self) -> Any: ...

    def finish(self, handle: Any) -> float: ...

    def device_peak_memory_bytes(self) -> int | None: ...

    # For the equivalence check, in fp32 on the CPU:
    def trainable_parameters(self) -> int: ...

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]: ...

    def get_weights(self) -> dict[str, np.ndarray]: ...

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None: ...

    def forward(self, x: np.ndarray) -> np.ndarray: ...

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float: ...


class FrameworkModule(Protocol):
    """What `benchmarks/workloads/<name>/<framework>_impl.py` exposes.

    `config` is the model sizes plus batch_size, task, precision, mode (and layout where
    the workload declares layouts). A configuration the module cannot run raises
    NotImplementedError with the reason, which the harness records as "unsupported".
    """

    def create(self, workload: Workload, config: Mapping[str, Any], device: str, threads: int) -> Case: ...
