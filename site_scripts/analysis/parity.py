"""Statistics of the accuracy-parity study: final accuracy per seed, a paired test, time to target, curves.

The design is paired: seed k gives both frameworks the same initial weights and the same
data order, so the per-seed difference isolates the framework. A paired t-test on those
differences (scipy.stats.ttest_rel) is therefore the test, with the mean difference and
its 95 % t-interval; with fewer than two paired seeds no test is run.

"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np
from scipy import stats

from contract.payloads import payload
from contract.schema import RunResult, StudyRecord

STUDY = "accuracy_parity"


SIGNIFICANCE = 0.05


def records_of(run: RunResult, workload: str) -> list[StudyRecord]:
    return [r for r in run.study_records(STUDY) if r.workload == workload]


def workloads_of(run: RunResult) -> list[str]:
    return list(dict.fromkeys(r.workload for r in run.study_records(STUDY)))


def final_accuracy_by_seed(records: list[StudyRecord], framework: str) -> dict[int, float]:
    runs = [payload(r) for r in records if r.framework == framework and r.status == "ok"]
    return {data.seed: data.history[-1].val_accuracy for data in runs if data.history}


@dataclass(frozen=True)
class ParityTest:
    seeds: int
    mean_difference: float | None  # first framework minus second, in accuracy (0..1)
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    verdict: str


def paired_test(first: dict[int, float], second: dict[int, float]) -> ParityTest:
    seeds = sorted(set(first) & set(second))
    if len(seeds) < 2:
        return ParityTest(len(seeds), None, None, None, None, "insufficient data (fewer than two paired seeds)")
    differences = np.array([first[s] - second[s] for s in seeds])
    mean = float(differences.mean())
    if np.all(differences == differences[0]):
        return ParityTest(len(seeds), mean, mean, mean, None,
                          "identical on every seed" if mean == 0 else "the same difference on every seed")
    result = stats.ttest_rel([first[s] for s in seeds], [second[s] for s in seeds])
    half = float(stats.t.ppf(0.975, len(seeds) - 1) * differences.std(ddof=1) / np.sqrt(len(seeds)))
    p = float(result.pvalue)
    verdict = "differ" if p < SIGNIFICANCE else "no difference detected"
    return ParityTest(len(seeds), mean, mean - half, mean + half, p, verdict)


def mean_and_std(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else None)


@dataclass(frozen=True)
class TimeToTarget:
    reached: int
    seeds: int
    median_seconds: float | None  # over the seeds that reached it
    median_epoch: float | None


def time_to_target(records: list[StudyRecord], framework: str) -> TimeToTarget:
    ok = [r for r in records if r.framework == framework and r.status == "ok"]
    reached = [data for r in ok if (data := payload(r)).seconds_to_target is not None]
    return TimeToTarget(
        reached=len(reached), seeds=len(ok),
        median_seconds=statistics.median(d.seconds_to_target for d in reached) if reached else None,
        median_epoch=statistics.median(d.epoch_to_target for d in reached) if reached else None,
    )


def curve_band(records: list[StudyRecord], framework: str, metric: str) -> tuple[list[int], list[float], list[float], list[float]]:
    """Per epoch: mean, minimum and maximum of `metric` over the seeds that ran every epoch."""
    histories = [[epoch.model_dump() for epoch in payload(r).history]
                 for r in records if r.framework == framework and r.status == "ok"]
    if not histories:
        return [], [], [], []
    epochs = min(len(h) for h in histories)
    values = np.array([[h[e][metric] for e in range(epochs)] for h in histories])
    return (list(range(1, epochs + 1)), values.mean(axis=0).tolist(), values.min(axis=0).tolist(),
            values.max(axis=0).tolist())
