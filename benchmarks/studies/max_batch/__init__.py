"""The largest training batch that fits on the device, per workload, framework and precision.

Each attempt is an ordinary measuring child (one warm-up and one measured step), so an
out-of-memory kills only that attempt: the search doubles from the preset's reference batch
until an attempt runs out of memory, then bisects between the last batch that fitted and
the first that did not, to within RESOLUTION of the answer. Any other failure (a crash, a
timeout) stops the search and is recorded as the reason, never mistaken for "full".
"""

from __future__ import annotations

from typing import Callable

from benchmarks import registry
from benchmarks.presets import DEFAULT_MODES, MIXED_PRECISIONS, PRESETS
from benchmarks.study import PlanContext, Probe, Study, StudyTask
from contract.payloads import Attempt, MaxBatchData

RESOLUTION = 1 / 16  # stop bisecting when the gap is under 1/16 of the largest batch that fits
BATCH_LIMIT = 1 << 16  # no workload here needs more; a search that reaches it says so


def search_largest_batch(start: int, attempt: Callable[[int], tuple[str, str | None]],
                         limit: int = BATCH_LIMIT, resolution: float = RESOLUTION) -> MaxBatchData:
    attempts: list[Attempt] = []

    def fits(batch: int) -> bool | None:
        status, reason = attempt(batch)
        attempts.append(Attempt(batch_size=batch, status=status, reason=reason))
        return True if status == "ok" else False if status == "out_of_memory" else None

    largest, smallest_failing, batch = None, None, start
    while batch <= limit:
        outcome = fits(batch)
        if outcome is None:
            return MaxBatchData(start=start, limit=limit, attempts=attempts, largest_fitting=largest,
                                smallest_failing=None, stopped_because=f"batch {batch}: {attempts[-1].status}")
        if not outcome:
            smallest_failing = batch
            break
        largest, batch = batch, batch * 2
    if smallest_failing is None:
        return MaxBatchData(start=start, limit=limit, attempts=attempts, largest_fitting=largest,
                            smallest_failing=None, stopped_because=f"every batch up to the limit {limit} fitted")
    low, high = largest, smallest_failing  # low may be None: even the start did not fit
    if low is None:
        low, high = 0, smallest_failing
    while high - low > max(1, int(low * resolution)):
        middle = (low + high) // 2
        outcome = fits(middle)
        if outcome is None:
            return MaxBatchData(start=start, limit=limit, attempts=attempts, largest_fitting=low or None,
                                smallest_failing=high, stopped_because=f"batch {middle}: {attempts[-1].status}")
        low, high = (middle, high) if outcome else (low, middle)
    return MaxBatchData(start=start, limit=limit, attempts=attempts, largest_fitting=low or None,
                        smallest_failing=high, stopped_because="bracketed between a batch that fits and one that does not")


def plan(context: PlanContext) -> list[StudyTask]:
    known = registry.workloads()
    preset = PRESETS[context.preset]
    tasks = []
    for name in context.workloads:
        start = known[name].preset(preset.sizes_name).batch_size
        for framework in context.frameworks:
            for precision in ("fp32", *MIXED_PRECISIONS[context.device]):
                config = {"task": "train", "mode": DEFAULT_MODES[framework][0], "precision": precision,
                          "sizes": preset.sizes_name, "start_batch": start}
                tasks.append(StudyTask(framework, name, config, timeout_seconds=preset.timeout_seconds))
    return tasks


def drive(task: StudyTask, probe: Probe) -> dict:
    workload = registry.workloads()[task.workload]
    sizes = workload.preset(str(task.config["sizes"]))
    base = {**sizes.model, "task": "train", "precision": task.config["precision"], "mode": task.config["mode"]}
    layouts = workload.layouts.get(task.framework)
    if layouts:
        base["layout"] = layouts[-1]

    def attempt(batch: int) -> tuple[str, str | None]:
        # Enough generated samples for one batch: the search is bounded by memory, not by the data set's size.
        samples = max(int(base.get("n_samples", 0)), batch)
        outcome = probe(task.workload, task.framework, {**base, "n_samples": samples, "batch_size": batch})
        return outcome.status, outcome.reason

    return search_largest_batch(int(task.config["start_batch"]), attempt).model_dump()


STUDY = Study(
    name="max_batch",
    title="Largest training batch that fits",
    description="Doubling, then bisection, each attempt a fresh process, until an attempt runs out of memory.",
    plan=plan,
    default_presets=("gpu",),
    default_devices=("cuda",),
    data_model=MaxBatchData,
    drive=drive,
)
