"""Harness settings per preset; model sizes per preset live in each workload's declaration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    purpose: str
    processes_per_case: int
    warmup_steps: int
    measured_steps: int
    timeout_seconds: float


PRESETS = {
    p.name: p
    for p in (
        Preset("quick", "CI and smoke checks: tiny sizes, minutes on 2 cores", 2, 3, 15, 300.0),
        Preset("full", "the CPU reference run", 5, 10, 50, 900.0),
        Preset("gpu", "a CUDA machine: large sizes", 5, 20, 100, 900.0),
    )
}
