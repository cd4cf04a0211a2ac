"""Splitting one run's plan across machines (`fwbench run --shard K/N`) and merging the parts back.

Assignment is by position in the plan, which is deterministic for the same code, preset
and filters. Whole shared-configuration groups go to one shard, so the interleaved
A B A B pairs a speed comparison needs are measured on the same machine. A merge is refused
unless the shards are one plan: same settings, code, framework versions and hardware class.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TypeVar

from contract.schema import RunResult

T = TypeVar("T")


def parse(shard: str) -> tuple[int, int]:
    """'K/N' → (K, N), with 1 ≤ K ≤ N."""
    try:
        k_text, n_text = shard.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise ValueError(f"{shard!r} is not K/N (e.g. 1/4)") from None
    if not 1 <= k <= n:
        raise ValueError(f"{shard!r}: K must be between 1 and N")
    return k, n


def select(items: list[T], shard: str | None) -> list[T]:
    """The items of shard K of N: every N-th, starting at the K-th."""
    if shard is None:
        return list(items)
    k, n = parse(shard)
    return [item for index, item in enumerate(items) if index % n == k - 1]


class MergeError(Exception):
    """Shards that are not parts of one run; the message is one line for the user."""


# Packages whose versions decide the numbers; a shard measured with another version is another run.
DECISIVE_PACKAGES = ("torch", "tensorflow", "tensorflow-cpu", "keras", "numpy")


def _same(runs: list[RunResult], what: str, value) -> None:
    values = [value(r) for r in runs]
    for run, v in zip(runs, values):
        if v != values[0]:
            raise MergeError(f"shards differ in {what}: {runs[0].run_id} has {values[0]!r}, {run.run_id} has {v!r}; "
                             f"merge only shards of one plan run on one hardware class")


def merge(runs: list[RunResult], run_id: str, command: str) -> RunResult:
    if not runs:
        raise MergeError("no shards given")
    for run in runs:
        if run.settings.shard is None:
            raise MergeError(f"{run.run_id} is not a shard (it was not run with --shard)")
        if run.status != "complete":
            raise MergeError(f"{run.run_id} is {run.status}; finish it with `fwbench run --resume` first")
    parts = sorted((parse(r.settings.shard), r) for r in runs)
    n = parts[0][0][1]
    if [k for (k, _), _ in parts] != list(range(1, n + 1)) or any(total != n for (_, total), _ in parts):
        have = ", ".join(r.settings.shard for _, r in parts)
        raise MergeError(f"need shards 1/{n} to {n}/{n} exactly once each; got {have}")
    runs = [r for _, r in parts]
    _same(runs, "settings", lambda r: r.settings.model_dump(exclude={"shard"}))
    _same(runs, "benchmark code (code_hash)", lambda r: r.provenance.code_hash)
    _same(runs, "framework versions", lambda r: {p: r.provenance.packages.get(p) for p in DECISIVE_PACKAGES})
    _same(runs, "CPU model", lambda r: r.provenance.host.cpu_model)
    _same(runs, "usable CPUs", lambda r: r.provenance.host.usable_cpus)
    _same(runs, "GPUs", lambda r: [g.name for g in r.provenance.gpus])
    first = runs[0]
    merged = first.model_copy(deep=True)
    merged.run_id = run_id
    merged.command = command
    merged.settings.shard = None
    merged.settings.merged_from = [r.run_id for r in runs]
    merged.started_utc = min(r.started_utc for r in runs)
    merged.finished_utc = max((r.finished_utc for r in runs if r.finished_utc), default=datetime.now(timezone.utc))
    merged.cases = [c for r in runs for c in r.cases]
    merged.studies = [s for r in runs for s in r.studies]
    merged.equivalence = next((r.equivalence for r in runs if r.equivalence), [])
    ids = [c.case_id for c in merged.cases]
    if len(ids) != len(set(ids)):
        raise MergeError("the same case appears in two shards: they were not split from one plan")
    return merged
