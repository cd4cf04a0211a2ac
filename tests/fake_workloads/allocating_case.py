"""A FakeCase that touches a known number of bytes when built and when stepping."""

import time

from tests.fake_workloads.allocates import BATCH_LIMIT, MIB, MiB_PER_SAMPLE
from tests.fake_workloads.fake_case import FakeCase


class AllocatingCase(FakeCase):
    def __init__(self, config, framework: str) -> None:
        super().__init__(config)
        if config["batch_size"] > BATCH_LIMIT[framework]:
            raise MemoryError(f"batch {config['batch_size']} does not fit (limit {BATCH_LIMIT[framework]})")
        # bytearray(n) zero-fills, so every page is touched and counted in RSS.
        self.held = bytearray(config["batch_size"] * MiB_PER_SAMPLE[framework] * MIB)
        self.activations = None
        time.sleep(0.3)  # hold the build long enough for the parent's 20 ms sampling to see it

    def step(self) -> int:
        if self.activations is None:  # steady state holds half as much again, allocated once
            self.activations = bytearray(len(self.held) // 2)
        return super().step()
