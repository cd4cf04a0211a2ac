"""The parent side of studies: plan their tasks, run each in a fresh child (or through its driver), record.

Kept apart from the case runner because a study's unit is a task, not (case, repeat), but it
shares the same child machinery, so a study that crashes, hangs or runs out of memory is
recorded with its status like a case, and a resumed run skips the tasks already recorded.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from pydantic import ValidationError

from benchmarks import registry
from benchmarks.harness import shards
from benchmarks.harness.child_process import run_child
from benchmarks.study import PlanContext, ProbeOutcome, Study, StudyTask, record_id_for
from contract.schema import RunResult, RunSettings, StudyRecord


def default_studies(preset: str, device: str) -> list[str]:
    return [name for name, study in registry.studies().items() if study.runs_by_default(preset, device)]


def planned_tasks(settings: RunSettings) -> list[tuple[Study, StudyTask]]:
    known = registry.studies()
    context = PlanContext(preset=settings.preset, device=settings.device,
                          frameworks=tuple(fw for fw in settings.frameworks if fw not in settings.frameworks_not_installed),
                          workloads=tuple(settings.workloads))
    tasks = [(known[name], task) for name in settings.studies for task in known[name].plan(context)]
    return shards.select(tasks, settings.shard)


def record_id(study: Study, task: StudyTask) -> str:
    return record_id_for(study.name, task.framework, task.workload, task.config)


def pending_tasks(run: RunResult) -> list[tuple[Study, StudyTask]]:
    done = {r.record_id for r in run.studies}
    return [(s, t) for s, t in planned_tasks(run.settings) if record_id(s, t) not in done]


def run_task(study: Study, task: StudyTask, settings: RunSettings) -> StudyRecord:
    """One task, whatever happens to it, as a StudyRecord; never an exception."""
    common: dict[str, Any] = dict(study=study.name, record_id=record_id(study, task), framework=task.framework,
                                  workload=task.workload, device=settings.device, config=dict(task.config),
                                  started_utc=datetime.now(timezone.utc))
    if study.drive is not None:
        return _driven(study, task, settings, common)
    spec = {"study": study.name, "framework": task.framework, "workload": task.workload,
            "device": settings.device, "threads": settings.threads, "preset": settings.preset,
            "config": dict(task.config)}
    outcome = run_child(["benchmarks.harness.study_child"], settings, timeout=task.timeout_seconds, spec=spec)
    common.update(wall_seconds=outcome.wall_seconds, peak_host_rss_bytes=outcome.peak_host_rss_bytes,
                  peak_host_rss_source=outcome.peak_host_rss_source, foreign_cpu_fraction=outcome.foreign_cpu_fraction)
    if outcome.failure_status:
        return StudyRecord(**common, status=outcome.failure_status, reason=outcome.failure_reason,
                           stderr_tail=outcome.stderr_tail)
    result = outcome.result or {}
    if result.get("status") != "ok":
        status, reason = result.get("status"), result.get("reason")
        return StudyRecord(**common, status=status if status in ("crashed", "out_of_memory", "unsupported", "timeout")
                           else "crashed", reason=reason[:1000] if isinstance(reason, str) else None,
                           stderr_tail=outcome.stderr_tail)
    try:
        data = validated(study, result.get("data") or {})
    except ValidationError as exc:
        return StudyRecord(**common, status="crashed", stderr_tail=outcome.stderr_tail,
                           reason=f"result does not match the {study.name} schema: {exc.errors()[0]['msg']}")
    return StudyRecord(**common, status="ok", data=data)


def validated(study: Study, data: Mapping[str, Any]) -> dict[str, Any]:
    if study.data_model is None:
        return dict(data)
    return study.data_model.model_validate(data).model_dump(mode="json")


def _driven(study: Study, task: StudyTask, settings: RunSettings, common: dict[str, Any]) -> StudyRecord:
    """A parent-side driver (a search) calls probe() once per attempt: each attempt is a fresh child."""
    wall = 0.0
    peak = 0

    def probe(workload: str, framework: str, config: Mapping[str, Any], warmup_steps: int = 1,
              measured_steps: int = 1) -> ProbeOutcome:
        nonlocal wall, peak
        spec = {"workload": workload, "framework": framework, "device": settings.device, "config": dict(config),
                "threads": settings.threads, "warmup_steps": warmup_steps, "measured_steps": measured_steps}
        outcome = run_child(["benchmarks.harness.timing_child"], settings, timeout=task.timeout_seconds, spec=spec)
        wall += outcome.wall_seconds
        peak = max(peak, outcome.peak_host_rss_bytes or 0)
        common = dict(foreign_cpu_fraction=outcome.foreign_cpu_fraction, wall_seconds=outcome.wall_seconds)
        if outcome.failure_status:
            return ProbeOutcome(outcome.failure_status, outcome.failure_reason, **common)
        result = outcome.result or {}
        return ProbeOutcome(result.get("status", "crashed"), result.get("reason"), result=result, **common)

    try:
        data = validated(study, study.drive(task, probe))
    except Exception as exc:  # a broken driver is this task's failure, recorded, never the whole run's
        common.update(wall_seconds=wall, peak_host_rss_bytes=peak or None)
        return StudyRecord(**common, status="crashed",
                           reason=f"the {study.name} driver raised {type(exc).__name__}: {exc}".splitlines()[0][:500])
    common.update(wall_seconds=wall, peak_host_rss_bytes=peak or None)
    return StudyRecord(**common, status="ok", data=data)
