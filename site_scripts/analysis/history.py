"""Headline figures across runs, and what changed between the two newest releases on one hardware class.

Runs are grouped by hardware class (CPU model, usable CPUs, GPUs) and preset, since a
number only compares with the same case measured on the same kind of machine. A change
is flagged only when the 95 % bootstrap interval of the ratio of medians, resampling each
run's processes independently, excludes 1.

"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Callable

import numpy as np
from packaging.version import InvalidVersion, Version

from contract import stats
from contract.schema import CaseResult, ProcessSample, RunResult
from site_scripts.analysis import code_changes
from site_scripts.text import labels, provenance_text

CONFIDENCE_LEVEL = 0.95


RESAMPLES = 4999


SEED = 20261121  # fixed: the same runs always render the same intervals


MIN_PROCESSES = 3  # fewer processes per side: the spread is unknown, no change is flagged


# Resampling processes captures the spread inside each run, not what differs between two runs on
# the same machine (harness revision, machine state): a framework whose version did not change
# moved by up to about 1 % between our runs. A change is flagged only beyond this as well.
MIN_RELATIVE_CHANGE = 0.02


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    higher_is_better: bool
    select: Callable[[CaseResult], bool]
    per_process: Callable[[CaseResult, ProcessSample], float | None]


def _ok(sample: ProcessSample) -> bool:
    return sample.status == "ok" and bool(sample.step_seconds)


def _throughput(case: CaseResult, sample: ProcessSample) -> float | None:
    return int(case.config["batch_size"]) / float(np.median(sample.step_seconds)) if _ok(sample) else None


def _compile(case: CaseResult, sample: ProcessSample) -> float | None:
    if not _ok(sample) or sample.first_step_seconds is None:
        return None
    return stats.compile_seconds_of(sample)


# Training modes that compile: torch.compile of the model or of the whole step, and XLA.
COMPILED_TRAINING_MODES = ("compile", "compile_step", "compile_step_autotune", "xla")


def _peak(case: CaseResult, sample: ProcessSample) -> float | None:
    return float(sample.peak_host_rss_bytes) / 2**20 if _ok(sample) and sample.peak_host_rss_bytes else None


def _latency(case: CaseResult, sample: ProcessSample) -> float | None:
    return float(np.median(sample.step_seconds)) * 1000 if _ok(sample) else None


def _train_default(case: CaseResult) -> bool:
    return (labels.task_of(case.config) == "train" and labels.precision_of(case.config) == "fp32"
            and case.config.get("mode") in ("eager", "function"))


METRICS = (
    Metric("throughput", "training throughput", "samples/s", True, _train_default, _throughput),
    Metric("compile", "compile time (first step minus a steady one)", "s", False,
           lambda c: labels.task_of(c.config) == "train" and c.config.get("mode") in COMPILED_TRAINING_MODES, _compile),
    Metric("memory", "peak host memory in training", "MiB", False, _train_default, _peak),
    Metric("latency", "inference latency, batch 1", "ms", False,
           lambda c: labels.task_of(c.config) == "infer" and c.config.get("batch_size") == 1, _latency),
)


def values(metric: Metric, case: CaseResult) -> list[float]:
    return [v for s in case.samples if (v := metric.per_process(case, s)) is not None]


@dataclass(frozen=True)
class Change:
    metric: Metric
    case_id: str
    workload: str
    framework: str
    label: str
    old: float
    new: float
    ratio: float
    ci_low: float | None
    ci_high: float | None
    verdict: str  # "better", "worse", "within noise", "too few processes to judge"
    code: code_changes.CodeChange  # whether the two runs measured this case with the same code


def ratio_interval(new: list[float], old: list[float]) -> tuple[float, float]:
    return stats.ratio_of_medians_interval(new, old, confidence_level=CONFIDENCE_LEVEL, resamples=RESAMPLES, seed=SEED)


def changes(old_run: RunResult, new_run: RunResult) -> list[Change]:
    """Every headline figure measured in both runs (matched by case id), with its ratio and verdict."""
    old_cases = {c.case_id: c for c in old_run.cases}
    found = []
    for case in new_run.cases:
        old_case = old_cases.get(case.case_id)
        if old_case is None:
            continue
        for metric in METRICS:
            if not metric.select(case):
                continue
            new_values, old_values = values(metric, case), values(metric, old_case)
            if not new_values or not old_values:
                continue
            new, old = statistics.median(new_values), statistics.median(old_values)
            if old == 0:
                continue
            ratio = new / old
            if min(len(new_values), len(old_values)) < MIN_PROCESSES:
                low = high = None
                verdict = "too few processes to judge"
            else:
                low, high = ratio_interval(new_values, old_values)
                if low <= 1.0 <= high or abs(ratio - 1.0) < MIN_RELATIVE_CHANGE:
                    verdict = "within noise"
                else:
                    verdict = "better" if (low > 1.0) == metric.higher_is_better else "worse"
            label = f"{labels.series_name(case)} · batch {case.config.get('batch_size')}"
            found.append(Change(metric, case.case_id, case.workload, case.framework, label,
                                old, new, ratio, low, high, verdict,
                                code_changes.case_code_change(old_run, new_run, case)))
    return found


def timing_runs(runs: list[RunResult]) -> list[RunResult]:
    return [r for r in runs if r.is_timing_run]


def release_order(run: RunResult) -> tuple:
    return tuple(Version(provenance_text.framework_version(run, fw).split("+")[0]) for fw in ("torch", "tensorflow")
                 if _is_version(provenance_text.framework_version(run, fw)))


def _is_version(text: str) -> bool:
    try:
        Version(text.split("+")[0])
    except InvalidVersion:
        return False
    return True


def release_pairs(runs: list[RunResult]) -> list[tuple[RunResult, RunResult]]:
    """Per hardware class and preset: the newest run and the newest run of other versions, older release first.

    "Before" is the lower framework release, not the earlier run: measuring an older release
    after a newer one (to fill in history) still reads as the change the newer release brought.
    """
    groups: dict[tuple[str, str], list[RunResult]] = {}
    for run in timing_runs(runs):
        groups.setdefault((provenance_text.hardware_class(run), run.settings.preset), []).append(run)
    pairs = []
    for group in groups.values():
        newest = group[-1]
        previous = [r for r in group if provenance_text.versions(r) != provenance_text.versions(newest)]
        if previous:
            pair = sorted((previous[-1], newest), key=release_order)
            pairs.append((pair[0], pair[1]))
    return pairs
