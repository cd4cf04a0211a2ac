"""Holds exactly batch_size MiB per framework build, and runs out of memory above a batch limit:
a known memory cost per sample, for the phase accounting, the batch fit and the largest-batch search."""

from dataclasses import replace

from benchmarks.workload import PresetSizes
from tests.fake_workloads.fake_case import declare

MIB = 1 << 20
MiB_PER_SAMPLE = {"torch": 2, "tensorflow": 1}
BATCH_LIMIT = {"torch": 48, "tensorflow": 100}

WORKLOAD = replace(declare("allocates"), presets={
    "quick": PresetSizes(model={"n_samples": 8}, batch_size=8, batch_sweep=(16, 32)),
    "full": PresetSizes(model={"n_samples": 8}, batch_size=8, batch_sweep=(16, 32)),
    "gpu": PresetSizes(model={"n_samples": 8}, batch_size=8, batch_sweep=(16, 32)),
})
