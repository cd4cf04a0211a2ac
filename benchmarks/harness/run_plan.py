"""The plan of a run: which cases, in which order (frameworks interleaved A B A B), and the new run record.

The plan is a pure function of the settings and the registry, so a resumed run and each shard
of a sharded run find the same cases in the same order.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timezone

from benchmarks import registry
from benchmarks.harness import privacy, provenance, shards, study_runner
from benchmarks.harness.run_request import RunError, RunRequest, resolve_device, validate_request
from benchmarks.presets import DEFAULT_MODES, PRESETS, plan_configs
from contract import code_identity, stats
from contract.schema import (
    FRAMEWORK_SPECIFIC_KEYS,
    SCHEMA_VERSION,
    CaseResult,
    PresetInfo,
    RunResult,
    RunSettings,
    StudyInfo,
    WorkloadInfo,
    case_id_for,
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)

def new_run_id(started: datetime) -> str:
    """UTC time first so names sort by time; a short random hash keeps two runs in one second apart."""
    suffix = hashlib.sha256(f"{started.isoformat()}{secrets.token_hex(8)}".encode()).hexdigest()[:6]
    return f"{started.strftime('%Y%m%dT%H%M%SZ')}-{suffix}"

NOT_INSTALLED = "not measured: {framework} is not installed on this machine"
FRAMEWORK_TITLES = {"torch": "PyTorch", "tensorflow": "TensorFlow"}


def plan_cases(settings: RunSettings) -> list[CaseResult]:
    """Cases grouped by shared configuration, frameworks alternating inside each group."""
    known = registry.workloads()
    preset = PRESETS[settings.preset]
    cases = []
    for name in settings.workloads:
        per_framework = {
            framework: [c for c in plan_configs(known[name], preset, settings.device, framework) if _wanted(c, settings)]
            for framework in settings.frameworks
        }
        groups: dict[tuple, dict[str, list[dict]]] = {}
        for framework, configs in per_framework.items():
            for config in configs:
                shared = tuple(sorted((k, v) for k, v in config.items() if k not in FRAMEWORK_SPECIFIC_KEYS))
                groups.setdefault(shared, {}).setdefault(framework, []).append(config)
        reference_batch = known[name].preset(preset.sizes_name).batch_size
        for by_framework in shards.select(list(groups.values()), settings.shard):
            queues = [list(by_framework.get(f, [])) for f in settings.frameworks]
            while any(queues):
                for framework, queue in zip(settings.frameworks, queues):
                    if queue:
                        config = queue.pop(0)
                        headline = (config.get("task") == "train" and config.get("precision") == "fp32"
                                    and config.get("batch_size") == reference_batch)
                        processes = settings.reference_processes if headline and settings.reference_processes \
                            else settings.processes_per_case
                        absent = framework in settings.frameworks_not_installed
                        cases.append(CaseResult(
                            case_id=case_id_for(name, framework, settings.device, config),
                            workload=name, framework=framework, device=settings.device, config=config,
                            planned_processes=0 if absent else processes,
                            not_measured=NOT_INSTALLED.format(framework=FRAMEWORK_TITLES.get(framework, framework))
                            if absent else None,
                        ))
    return cases

def _wanted(config: dict, settings: RunSettings) -> bool:
    return all(not chosen or config[key] in chosen for key, chosen in
               (("task", settings.tasks), ("mode", settings.modes), ("precision", settings.precisions)))

def start_run(request: RunRequest) -> RunResult:
    validate_request(request)
    preset = PRESETS[request.preset]
    device, gpus = resolve_device(request.device, request.frameworks)
    runtimes = provenance.framework_runtimes(list(request.frameworks))
    started = utc_now()
    settings = RunSettings(
        preset=request.preset,
        preset_definition=PresetInfo(name=preset.name, purpose=preset.purpose,
                                     processes_per_case=preset.processes_per_case,
                                     timeout_seconds=preset.timeout_seconds, timing=preset.timing,
                                     reference=preset.reference, modes_left_out=dict(preset.modes_left_out)),
        workloads=list(request.workloads),
        frameworks=list(request.frameworks),
        device_requested=request.device,
        device=device,
        processes_per_case=request.processes_per_case or preset.processes_per_case,
        reference_processes=request.processes_per_case or preset.reference_processes,
        warmup_steps=preset.warmup_steps,
        measured_steps=preset.measured_steps,
        latency_calls=preset.latency_calls,
        timeout_seconds=request.timeout_seconds or preset.timeout_seconds,
        threads=len(os.sched_getaffinity(0)),
        calibrate=request.calibrate,
        tasks=request.tasks or [],
        modes=request.modes or [],
        precisions=request.precisions or [],
        studies=(study_runner.default_studies(request.preset, device) if request.studies is None
                 else list(request.studies)),
        shard=request.shard,
        frameworks_not_installed=[fw for fw, info in runtimes.items() if not info.installed],
    )
    if len(settings.frameworks_not_installed) == len(settings.frameworks):
        raise RunError(f"none of the requested frameworks is installed on this machine "
                       f"({', '.join(settings.frameworks)}); install one (see README) and run again")
    cases = plan_cases(settings)
    source = provenance.collect(gpus, runtimes)
    workloads = {
        name: WorkloadInfo(title=w.title, description=w.description, hyperparameters=dict(w.hyperparameters),
                           notes=dict(w.notes), source_dir=registry.workload_dir(name))
        for name, w in registry.workloads().items() if name in settings.workloads
    }
    for case in cases:
        case.code_hash = code_identity.code_hash(
            source.code_files, code_identity.case_paths(case.framework, workloads[case.workload].source_dir))
    return RunResult(
        schema_version=SCHEMA_VERSION,
        run_id=new_run_id(started),
        status="incomplete",
        started_utc=started,
        command=privacy.redact(request.command),
        settings=settings,
        provenance=source,
        workloads=workloads,
        cases=cases,
        study_info={name: StudyInfo(title=s.title, description=s.description, notes=dict(s.notes),
                                    parameters=dict(s.parameters), source_dir=registry.study_dir(name))
                    for name, s in registry.studies().items() if name in settings.studies},
        rules=stats.judging_rules(DEFAULT_MODES, timing_run=preset.timing and bool(cases),
                                  reference_run=preset.reference, load_gated=preset.load_gated),
    )


def planned_processes(case: CaseResult, settings: RunSettings) -> int:
    return case.planned_processes if case.planned_processes is not None else settings.processes_per_case


def repeat_done(case: CaseResult, repeat: int, max_retries: int) -> bool:
    """A repeat is done once a process of it was admitted or failed, or its re-runs after load rejections ran out."""
    mine = [s for s in case.samples if s.repeat_index == repeat]
    return any(s.admitted or s.status != "ok" for s in mine) or len(mine) > max_retries


def next_attempt(case: CaseResult, repeat: int) -> int:
    return sum(1 for s in case.samples if s.repeat_index == repeat)


def pending_samples(run: RunResult) -> list[tuple[CaseResult, int]]:
    """Interleaved A B A B: every framework's process for repeat k runs before any repeat k+1."""
    retries = run.rules.max_load_retries if run.rules.load_gated else 0
    todo = []
    for repeat in range(max((planned_processes(c, run.settings) for c in run.cases), default=0)):
        for case in run.cases:
            if repeat < planned_processes(case, run.settings) and not repeat_done(case, repeat, retries):
                todo.append((case, repeat))
    return todo
