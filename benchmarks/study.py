"""What a study is: a benchmark that is not a step-time case (accuracy over epochs, the largest batch
that fits, retracing, exports, install footprint), declared as data plus one file per framework.

The harness runs each planned task in a fresh child, like a case, so a crash, an out-of-memory
or a timeout becomes a recorded status instead of a lost run, and the result lands in the same
run file as the cases (RunResult.studies) for the site to render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from pydantic import BaseModel

from contract.schema import ConfigValue


@dataclass(frozen=True)
class StudyTask:
    """One child process of a study: which framework and workload, with which settings."""

    framework: str | None
    workload: str | None
    config: Mapping[str, ConfigValue]
    timeout_seconds: float


@dataclass(frozen=True)
class PlanContext:
    """What a study may plan from: the run's preset, device, and framework/workload filters."""

    preset: str
    device: str
    frameworks: tuple[str, ...]
    workloads: tuple[str, ...]


@dataclass(frozen=True)
class ProbeOutcome:
    """What one probe's measuring child left: its status ("ok", "out_of_memory", ...) and reason, which a search
    driver needs to survive failures, and, for a driver that compares timings, the child's result and the machine's
    load meanwhile."""

    status: str
    reason: str | None
    result: Mapping[str, Any] | None = None
    foreign_cpu_fraction: float | None = None
    wall_seconds: float = 0.0


# A probe runs one ordinary measuring child (benchmarks.harness.timing_child, the one timing loop) for a case config:
# probe(workload, framework, config, warmup_steps=1, measured_steps=1) -> ProbeOutcome.
Probe = Callable[..., ProbeOutcome]


@dataclass(frozen=True)
class Study:
    """A study's declaration.

    `plan` lists the tasks for a run. Each task runs `run(spec)` from
    `benchmarks.studies.<name>.<framework>_impl` (or `.task` where framework is None) in a
    fresh child, and the dict it returns, validated by `data_model`, is stored. A study whose
    task must outlive failing children (a search for the largest batch) gives `drive`
    instead: it runs in the parent and calls `probe` for each attempt.
    """

    name: str
    title: str
    description: str
    plan: Callable[[PlanContext], list[StudyTask]]
    default_presets: tuple[str, ...]
    default_devices: tuple[str, ...] = ("cpu", "cuda")
    data_model: type[BaseModel] | None = None
    drive: Callable[[StudyTask, Probe], dict[str, Any]] | None = None
    notes: Mapping[str, str] = field(default_factory=dict)
    # Declared parameters the pages need to describe the study (the export paths), recorded with each run.
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def runs_by_default(self, preset: str, device: str) -> bool:
        return preset in self.default_presets and device in self.default_devices


def record_id_for(study: str, framework: str | None, workload: str | None, config: Mapping[str, Any]) -> str:
    """Stable, readable id, so a study's anchor and resume key stay the same across runs."""
    parts = [study, framework or "any", workload or "any"]
    parts += [f"{key}={config[key]}" for key in sorted(config)]
    return "/".join(parts)
