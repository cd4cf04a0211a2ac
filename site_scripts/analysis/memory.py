"""Memory numbers derived from a run: phases of a case, and the fixed and per-sample cost fitted over batches.

Pure functions over result files (no plotting), so the tests can check the accounting and
the fit on made-up numbers. Medians over a case's successful processes, like every figure.

"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.text import labels

# Stacked in this order; each layer is what the phase added on top of the one before.
PHASES = ("harness", "import", "build", "steady", "peak")


PHASE_TITLES = {
    "harness": "interpreter + harness",
    "import": "framework import",
    "build": "model, optimiser, data",
    "steady": "training (steady state)",
    "peak": "transient peak",
}


def phase_levels(case: CaseResult) -> dict[str, float] | None:
    """Median RSS at the end of each phase, plus the peak (os.wait4), over the case's processes that have them."""
    samples = [s for s in case.samples if s.status == "ok" and s.memory_phases and s.peak_host_rss_bytes]
    if not samples:
        return None
    levels = {phase: statistics.median(s.memory_phases[phase] for s in samples)
              for phase in PHASES[:-1] if all(phase in s.memory_phases for s in samples)}
    levels["peak"] = statistics.median(s.peak_host_rss_bytes for s in samples)
    return levels


def phase_increments(levels: dict[str, float]) -> dict[str, float]:
    """What each phase added on top of the highest level before it: the stack's layers.

    A phase that freed memory adds 0 rather than a negative layer; since the peak (os.wait4)
    is the highest level of all, the layers always sum to the measured peak.
    """
    increments, below = {}, 0.0
    for phase in PHASES:
        if phase in levels:
            level = max(levels[phase], below)
            increments[phase] = level - below
            below = level
    return increments


@dataclass(frozen=True)
class MemoryFit:
    """peak ≈ intercept + slope · batch, by least squares over the batches a series ran."""

    intercept_bytes: float
    slope_bytes_per_sample: float
    points: int
    residual_rms_bytes: float | None  # None with two points: a line through two points has no residual
    residual_max_bytes: float | None
    r_squared: float | None


def fit_memory_vs_batch(points: list[tuple[int, float]]) -> MemoryFit | None:
    """A straight line through (batch, bytes); None below two distinct batches."""
    if len({b for b, _ in points}) < 2:
        return None
    batch = np.array([b for b, _ in points], dtype=float)
    memory = np.array([m for _, m in points], dtype=float)
    slope, intercept = np.polyfit(batch, memory, 1)
    residuals = memory - (intercept + slope * batch)
    if len(points) < 3:
        return MemoryFit(float(intercept), float(slope), len(points), None, None, None)
    total = float(((memory - memory.mean()) ** 2).sum())
    r_squared = 1.0 - float((residuals**2).sum()) / total if total > 0 else None
    return MemoryFit(float(intercept), float(slope), len(points), float(np.sqrt((residuals**2).mean())),
                     float(np.abs(residuals).max()), r_squared)


@dataclass(frozen=True)
class MemorySeries:
    """One line of the memory-vs-batch chart: a framework, mode (and layout), precision; its points and fit."""

    workload: str
    framework: str
    name: str
    points: list[tuple[int, float]]
    cases: list[CaseResult]
    fit: MemoryFit | None


def memory_series(run: RunResult, workload: str) -> list[MemorySeries]:
    """Training cases of a workload grouped by everything but the batch; each point the median peak RSS."""
    groups: dict[tuple, list[CaseResult]] = {}
    for case in run.cases:
        if case.workload == workload and labels.task_of(case.config) == "train":
            key = (case.framework, labels.mode_label(case.config), labels.precision_of(case.config))
            groups.setdefault(key, []).append(case)
    series = []
    for (framework, _, _), cases in groups.items():
        cases = sorted(cases, key=lambda c: int(c.config.get("batch_size", 0)))
        points = [(int(c.config["batch_size"]), levels["peak"]) for c in cases
                  if (levels := peak_only(c)) is not None]
        series.append(MemorySeries(workload, framework, labels.series_name(cases[0]), points, cases,
                                   fit_memory_vs_batch(points)))
    order = {f: i for i, f in enumerate(labels.frameworks(run))}
    return sorted(series, key=lambda s: (order.get(s.framework, 99), s.name))


def peak_only(case: CaseResult) -> dict[str, float] | None:
    """The median peak RSS alone, for runs (or processes) that predate phase accounting."""
    peaks = [s.peak_host_rss_bytes for s in case.samples if s.status == "ok" and s.peak_host_rss_bytes]
    return {"peak": statistics.median(peaks)} if peaks else None


COMPILED_MODES = ("compile", "xla")


def has_memory_phases(run: RunResult) -> bool:
    """A run the memory page can stand on: phases measured, compiled modes included (the page compares them).

    A run limited to the default modes (say a release check of two workloads) has phases too, but
    would hide what compilation does to memory, so it is not chosen for this page.
    """
    return any(s.memory_phases for c in run.cases if c.config.get("mode") in COMPILED_MODES for s in c.samples)


def reference_training_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """Training cases at the reference batch, every mode and precision: what a phase chart compares."""
    batch = selection.reference_batch(run, workload)
    return [c for c in selection.training_cases(run, workload) if c.config.get("batch_size") == batch]
