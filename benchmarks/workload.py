"""What a workload is: a declaration (data, not code) and the small interface each framework module implements.

The harness only ever talks to this interface, so framework code never leaks into timing,
and a new workload is a folder with a declaration and one file per framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol

import numpy as np

FRAMEWORKS = ("torch", "tensorflow")


@dataclass(frozen=True)
class Workload:
    """A model and its training settings, identical for every framework.

    `presets` maps a preset name to the sizes used under it; `hyperparameters` are the
    optimiser settings both implementations must use. `initial_weights(sizes, seed)`
    returns the starting weights in the framework-neutral layout: both frameworks load
    them, so they start from the same point and their final losses can be compared
    as a correctness fingerprint.
    """

    name: str
    title: str
    description: str
    hyperparameters: Mapping[str, Any]
    presets: Mapping[str, Mapping[str, int]]
    initial_weights: Callable[[Mapping[str, int], int], dict[str, np.ndarray]]
    frameworks: tuple[str, ...] = FRAMEWORKS
    data_seed: int = 1234
    notes: Mapping[str, str] = field(default_factory=dict)

    def sizes(self, preset: str) -> Mapping[str, int]:
        if preset not in self.presets:
            raise KeyError(f"workload {self.name!r} has no sizes for preset {preset!r}")
        return self.presets[preset]


class TrainingCase(Protocol):
    """One framework's model, optimiser and data, ready to step.

    `train_step` may return before the device has finished (asynchronous execution);
    `loss_value` blocks until it has and returns the loss as a float, so the harness
    calls it before every clock read.
    """

    framework_version: str
    device_name: str
    intra_op_threads: int
    inter_op_threads: int

    def train_step(self) -> Any: ...

    def loss_value(self, handle: Any) -> float: ...

    def device_peak_memory_bytes(self) -> int | None: ...

    def trainable_parameters(self) -> int: ...

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]: ...

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None: ...

    def get_weights(self) -> dict[str, np.ndarray]: ...

    def forward(self, x: np.ndarray) -> np.ndarray: ...

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float: ...


class FrameworkModule(Protocol):
    """What `benchmarks/workloads/<name>/<framework>_impl.py` exposes."""

    def create(self, workload: Workload, sizes: Mapping[str, int], device: str, threads: int) -> TrainingCase: ...
