"""A run request from the command line: checked against what exists, and the device it will use.

Everything a user can get wrong is refused here with one line, before any process starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from benchmarks import registry
from benchmarks.harness import provenance, shards
from benchmarks.presets import ALL_TRAINING_MODES, PRESETS
from benchmarks.workload import PRECISIONS, TASKS
from contract.schema import FRAMEWORKS, GpuInfo

# `--tasks none`: no cases, only the studies (a run of the export matrix, say, without the speed cases).
NO_CASES = "none"

class RunError(Exception):
    """A run that cannot start or continue; the message is one line meant for the user."""

@dataclass(frozen=True)
class RunRequest:
    preset: str
    workloads: list[str]
    frameworks: list[str]
    device: str
    out_dir: Path
    command: str
    timeout_seconds: float | None = None
    processes_per_case: int | None = None
    tasks: list[str] | None = None
    modes: list[str] | None = None
    precisions: list[str] | None = None
    calibrate: bool = True
    studies: list[str] | None = None  # None: the studies the preset and device run by default
    shard: str | None = None  # "K/N": only the K-th of N deterministic parts of the plan

def validate_request(request: RunRequest) -> None:
    known = registry.workloads()
    if not request.workloads:
        raise RunError(f"no workload to run; choose from {', '.join(known)}")
    for option, values in (("--only", request.workloads), ("--frameworks", request.frameworks),
                           ("--tasks", request.tasks), ("--modes", request.modes),
                           ("--precisions", request.precisions), ("--studies", request.studies)):
        twice = sorted({v for v in values or () if list(values).count(v) > 1})
        if twice:  # the same case planned twice would have two cases with one id
            raise RunError(f"{option}: {twice[0]!r} is listed twice; name each value once")
    if request.timeout_seconds is not None and not (math.isfinite(request.timeout_seconds)
                                                    and request.timeout_seconds > 0):
        raise RunError(f"--timeout {request.timeout_seconds}: give a positive, finite number of seconds")
    unknown = [w for w in request.workloads if w not in known]
    if unknown:
        raise RunError(f"unknown workload {unknown[0]!r}; known workloads: {', '.join(known)}")
    if request.preset not in PRESETS:
        raise RunError(f"unknown preset {request.preset!r}; known presets: {', '.join(PRESETS)}")
    bad = [f for f in request.frameworks if f not in FRAMEWORKS]
    if bad or not request.frameworks:
        raise RunError(f"unknown framework {bad[0] if bad else ''!r}; choose from {','.join(FRAMEWORKS)}")
    for option, chosen, allowed in (("--tasks", request.tasks, (*TASKS, NO_CASES)), ("--precisions", request.precisions, PRECISIONS),
                                    ("--modes", request.modes, sorted({m for ms in ALL_TRAINING_MODES.values() for m in ms}))):
        wrong = [c for c in chosen or () if c not in allowed]
        if wrong:
            raise RunError(f"{option}: unknown value {wrong[0]!r}; choose from {','.join(allowed)}")
    if request.device not in ("auto", "cpu", "cuda"):
        raise RunError(f"unknown device {request.device!r}; choose auto, cpu or cuda")
    if request.shard is not None:
        try:
            shards.parse(request.shard)
        except ValueError as exc:
            raise RunError(f"--shard: {exc}") from None
    known_studies = registry.studies()
    wrong_studies = [s for s in request.studies or () if s not in known_studies]
    if wrong_studies:
        raise RunError(f"--studies: unknown study {wrong_studies[0]!r}; choose from {','.join(known_studies) or 'none'}")
    for name in request.workloads:
        if PRESETS[request.preset].sizes_name not in known[name].presets:
            raise RunError(f"workload {name!r} has no sizes for preset {request.preset!r}")

def resolve_device(requested: str, frameworks: list[str]) -> tuple[str, list[GpuInfo]]:
    """auto → cuda when any requested framework sees a CUDA GPU, else cpu."""
    if requested == "cpu":
        return "cpu", []
    gpus: list[GpuInfo] = []
    for framework in frameworks:
        info = provenance.probe_framework(framework)
        if info.get("installed") and info.get("gpus") and not gpus:
            driver = provenance.nvidia_driver_version()
            gpus = [GpuInfo(driver_version=driver, **g) for g in info["gpus"]]
    if gpus:
        return "cuda", gpus
    if requested == "cuda":
        raise RunError(f"--device cuda, but no CUDA GPU is visible to {' or '.join(frameworks)}; use --device auto or cpu")
    return "cpu", []
