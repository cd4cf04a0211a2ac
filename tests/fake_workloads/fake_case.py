"""A framework-free TrainingCase with deterministic step times and loss."""

from __future__ import annotations

import time


class FakeCase:
    framework_version = "0.0-fake"
    device_name = "cpu"
    intra_op_threads = 1
    inter_op_threads = 1

    def __init__(self, sizes) -> None:
        self.steps = 0
        self.batch_size = sizes["batch_size"]

    def train_step(self) -> int:
        time.sleep(0.001)
        self.steps += 1
        return self.steps

    def loss_value(self, handle: int) -> float:
        return 1.0 / handle

    def device_peak_memory_bytes(self) -> None:
        return None


def declare(name: str):
    from benchmarks.workload import Workload

    return Workload(
        name=name, title=f"fake {name}", description="test double", hyperparameters={},
        initial_weights=lambda sizes, seed: {},
        presets={"quick": {"batch_size": 4}},
    )
