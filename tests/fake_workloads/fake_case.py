"""A framework-free Case with deterministic step times and loss."""

from __future__ import annotations

import time

from benchmarks.workload import PresetSizes, Workload


class FakeCase:
    framework_version = "0.0-fake"
    device_name = "cpu"
    intra_op_threads = 1
    inter_op_threads = 1
    steps_per_call = 1
    mode_detail = None

    def __init__(self, config) -> None:
        self.steps = 0
        self.batch_size = config["batch_size"]

    def step(self) -> int:
        time.sleep(0.001)
        self.steps += 1
        return self.steps

    def finish(self, handle: int) -> float:
        return 1.0 / handle

    def device_peak_memory_bytes(self) -> None:
        return None


def declare(name: str) -> Workload:
    return Workload(
        name=name, title=f"fake {name}", description="test double", hyperparameters={},
        initial_weights=lambda sizes, seed: {}, dataset=lambda sizes, seed: ([], []),
        presets={"quick": PresetSizes(model={"n_samples": 8}, batch_size=4)},
    )
