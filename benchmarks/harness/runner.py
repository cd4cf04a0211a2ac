"""The parent side of a run: plans cases, starts one fresh child per (case, repeat), records everything.

The parent never imports a framework. It owns the plan, the order of processes (each a
fresh child, see child_process), atomic saving after every process, and resuming.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from benchmarks import registry
from benchmarks.harness import provenance, shards, study_runner
from benchmarks.harness.child_process import run_child
from benchmarks.presets import ALL_TRAINING_MODES, PRESETS, plan_configs
from benchmarks.workload import FRAMEWORKS, PRECISIONS, TASKS
from contract import stats
from contract.files import ResultFileError, dump_run, final_path, load_run, partial_path
from contract.schema import (
    FRAMEWORK_SPECIFIC_KEYS,
    SCHEMA_VERSION,
    CaseResult,
    EquivalenceRecord,
    GpuInfo,
    PeakMatmul,
    ProcessSample,
    RunResult,
    RunSettings,
    StudyInfo,
    StudyRecord,
    WorkloadInfo,
    case_id_for,
)

# `--tasks none`: no cases, only the studies (a run of the export matrix, say, without the speed cases).
NO_CASES = "none"


class RunError(Exception):
    """A run that cannot start or continue; the message is one line meant for the user."""


class Reporter(Protocol):
    def planned(self, total: int, already_done: int) -> None: ...

    def sample_started(self, case: CaseResult, repeat_index: int) -> None: ...

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None: ...

    def phase(self, description: str) -> None: ...

    def task_started(self, record_id: str) -> None: ...

    def task_finished(self, record: StudyRecord) -> None: ...


class SilentReporter:
    def planned(self, total: int, already_done: int) -> None:
        pass

    def sample_started(self, case: CaseResult, repeat_index: int) -> None:
        pass

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None:
        pass

    def phase(self, description: str) -> None:
        pass

    def task_started(self, record_id: str) -> None:
        pass

    def task_finished(self, record: StudyRecord) -> None:
        pass


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


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def new_run_id(started: datetime) -> str:
    """UTC time first so names sort by time; a short random hash keeps two runs in one second apart."""
    suffix = hashlib.sha256(f"{started.isoformat()}{secrets.token_hex(8)}".encode()).hexdigest()[:6]
    return f"{started.strftime('%Y%m%dT%H%M%SZ')}-{suffix}"


def validate_request(request: RunRequest) -> None:
    known = registry.workloads()
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
        for by_framework in shards.select(list(groups.values()), settings.shard):
            queues = [list(by_framework.get(f, [])) for f in settings.frameworks]
            while any(queues):
                for framework, queue in zip(settings.frameworks, queues):
                    if queue:
                        config = queue.pop(0)
                        cases.append(CaseResult(
                            case_id=case_id_for(name, framework, settings.device, config),
                            workload=name, framework=framework, device=settings.device, config=config,
                        ))
    return cases


def _wanted(config: dict, settings: RunSettings) -> bool:
    return all(not chosen or config[key] in chosen for key, chosen in
               (("task", settings.tasks), ("mode", settings.modes), ("precision", settings.precisions)))


def start_run(request: RunRequest) -> RunResult:
    validate_request(request)
    preset = PRESETS[request.preset]
    device, gpus = resolve_device(request.device, request.frameworks)
    started = utc_now()
    settings = RunSettings(
        preset=request.preset,
        workloads=list(request.workloads),
        frameworks=list(request.frameworks),
        device_requested=request.device,
        device=device,
        processes_per_case=request.processes_per_case or preset.processes_per_case,
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
    )
    return RunResult(
        schema_version=SCHEMA_VERSION,
        run_id=new_run_id(started),
        status="incomplete",
        started_utc=started,
        command=request.command,
        settings=settings,
        provenance=provenance.collect(gpus),
        workloads={
            name: WorkloadInfo(title=w.title, description=w.description, hyperparameters=dict(w.hyperparameters),
                               notes=dict(w.notes))
            for name, w in registry.workloads().items() if name in settings.workloads
        },
        cases=plan_cases(settings),
        study_info={name: StudyInfo(title=s.title, description=s.description, notes=dict(s.notes))
                    for name, s in registry.studies().items() if name in settings.studies},
    )


def resumable_run(out_dir: Path) -> RunResult:
    """The newest unfinished run in out_dir, refused if the benchmark code changed since it started."""
    partials = sorted(Path(out_dir).glob("*.partial.json"))
    if not partials:
        raise RunError(f"nothing to resume: no unfinished run (*.partial.json) in {out_dir}")
    try:
        run = load_run(partials[-1])
    except ResultFileError as exc:
        raise RunError(str(exc)) from None
    if run.provenance.code_hash != provenance.code_hash():
        raise RunError(
            f"cannot resume {run.run_id}: the benchmark code changed since it started; start a fresh run without --resume"
        )
    return run


def pending_samples(run: RunResult) -> list[tuple[CaseResult, int]]:
    """Interleaved A B A B: every framework's process for repeat k runs before any repeat k+1."""
    todo = []
    for repeat in range(run.settings.processes_per_case):
        for case in run.cases:
            if all(s.repeat_index != repeat for s in case.samples):
                todo.append((case, repeat))
    return todo


def save(run: RunResult, out_dir: Path) -> None:
    peaks = {(p.framework, p.precision): p.flops_per_second for p in run.peak_matmul}
    for case in run.cases:
        case.summary = stats.summarize(case, peaks.get((case.framework, case.config.get("precision", "fp32"))))
    run.comparisons = stats.compare(run.cases)
    dump_run(run, partial_path(out_dir, run.run_id), overwrite=True)


def execute(run: RunResult, out_dir: Path, reporter: Reporter = SilentReporter()) -> Path:
    """Calibrate once, then run every pending process, saving after each; the partial file becomes the final one."""
    out_dir = Path(out_dir)
    if final_path(out_dir, run.run_id).exists():
        raise RunError(f"{final_path(out_dir, run.run_id)} already exists; result files are never overwritten")
    todo = pending_samples(run)
    studies_todo = study_runner.pending_tasks(run)
    total = len(run.cases) * run.settings.processes_per_case + len(study_runner.planned_tasks(run.settings))
    save(run, out_dir)
    if run.settings.calibrate:
        calibrate(run, out_dir, reporter)
    reporter.planned(total, total - len(todo) - len(studies_todo))
    for case, repeat in todo:
        reporter.sample_started(case, repeat)
        sample = run_process(case, repeat, run.settings)
        case.samples.append(sample)
        case.samples.sort(key=lambda s: s.repeat_index)
        save(run, out_dir)
        reporter.sample_finished(case, sample)
    for study, task in studies_todo:
        reporter.task_started(study_runner.record_id(study, task))
        record = study_runner.run_task(study, task, run.settings)
        run.studies.append(record)
        save(run, out_dir)
        reporter.task_finished(record)
    run.status = "complete"
    run.finished_utc = utc_now()
    save(run, out_dir)
    final = final_path(out_dir, run.run_id)
    os.replace(partial_path(out_dir, run.run_id), final)
    return final


def calibrate(run: RunResult, out_dir: Path, reporter: Reporter) -> None:
    """Peak matmul per framework and precision, the equivalence proof, FLOPs per configuration; each saved once."""
    settings = run.settings
    if not run.peak_matmul:
        reporter.phase("measuring peak matmul FLOP/s")
        precisions = sorted({c.config.get("precision", "fp32") for c in run.cases})
        run.peak_matmul = [measure_peak(framework, settings, precision)
                           for framework in settings.frameworks for precision in precisions]
        save(run, out_dir)
    first_shard = settings.shard is None or shards.parse(settings.shard)[0] == 1  # the proof is per code, not machine
    if not run.equivalence and set(FRAMEWORKS) <= set(settings.frameworks) and first_shard:
        for name in settings.workloads:
            reporter.phase(f"proving {name} equivalent in both frameworks")
            run.equivalence.append(check_equivalence(name, PRESETS[settings.preset].sizes_name))
        save(run, out_dir)
    flops_by_key: dict[str, float | None] = {}
    for case in run.cases:
        if case.flops_per_step is not None:
            continue
        key = json.dumps([case.workload, {k: v for k, v in case.shared_config.items() if k != "precision"}],
                         sort_keys=True)
        if key not in flops_by_key:
            reporter.phase(f"counting FLOPs of {case.workload} {case.config.get('task')} batch {case.config.get('batch_size')}")
            flops_by_key[key] = count_flops(case, settings)
        case.flops_per_step = flops_by_key[key]
    save(run, out_dir)


def measure_peak(framework: str, settings: RunSettings, precision: str) -> PeakMatmul:
    n = PRESETS[settings.preset].matmul_size
    outcome = run_child(["benchmarks.harness.calibrate", "peak", framework, settings.device, precision, str(n),
                         str(settings.threads)], settings, timeout=300.0)
    common = dict(framework=framework, device=settings.device, precision=precision, matrix_size=n)
    if outcome.result is not None and "unsupported" in outcome.result:
        return PeakMatmul(**common, status="unsupported", reason=outcome.result["unsupported"])
    if outcome.result is not None:
        return PeakMatmul(**common, flops_per_second=outcome.result["flops_per_second"])
    return PeakMatmul(**common, status=outcome.failure_status, reason=outcome.failure_reason)


def count_flops(case: CaseResult, settings: RunSettings) -> float | None:
    """Counted on the PyTorch implementation in eager fp32; None where torch cannot run here."""
    spec = {"workload": case.workload, "device": settings.device, "threads": settings.threads,
            "config": {**case.config, "mode": "eager", "precision": "fp32", "layout": None}}
    outcome = run_child(["benchmarks.harness.calibrate", "flops"], settings, timeout=600.0, spec=spec)
    return None if outcome.result is None else outcome.result.get("flops")


def check_equivalence(workload: str, preset: str) -> EquivalenceRecord:
    from benchmarks import equivalence

    try:
        report = equivalence.check(workload, preset)
    except Exception as exc:  # recorded, and shown on the site as a failed proof
        return EquivalenceRecord(workload=workload, status="failed", reason=str(exc).strip().splitlines()[-1][:500])
    return EquivalenceRecord(
        workload=workload, status="ok", sizes=report.sizes, optimizer_steps=report.optimizer_steps,
        trainable_parameters=report.trainable_parameters,
        forward_max_abs_diff=report.forward_max_abs_diff, loss_abs_diff=report.loss_abs_diff,
        loss_after_step_abs_diff=report.loss_after_step_abs_diff,
        forward_after_step_max_abs_diff=report.forward_after_step_max_abs_diff,
        weights_after_step_max_abs_diff=report.weights_after_step_max_abs_diff,
        tolerances=report.tolerance.as_dict(), equivalent=report.equivalent,
    )


def run_process(case: CaseResult, repeat_index: int, settings: RunSettings) -> ProcessSample:
    """One fresh measuring child; whatever happens to it becomes a ProcessSample, never an exception."""
    latency_case = case.config.get("task") == "infer" and case.config.get("batch_size") == 1
    spec = {
        "workload": case.workload,
        "framework": case.framework,
        "device": case.device,
        "config": case.config,
        "threads": settings.threads,
        "warmup_steps": settings.warmup_steps,
        "measured_steps": settings.latency_calls if latency_case and settings.latency_calls else settings.measured_steps,
    }
    started_utc = utc_now()
    outcome = run_child(["benchmarks.harness.child"], settings, timeout=settings.timeout_seconds, spec=spec)
    common = dict(repeat_index=repeat_index, started_utc=started_utc, wall_seconds=outcome.wall_seconds,
                  peak_host_rss_bytes=outcome.peak_host_rss_bytes, foreign_cpu_fraction=outcome.foreign_cpu_fraction,
                  host_rss_timeline=outcome.host_rss_timeline)
    if outcome.failure_status == "timeout":
        return ProcessSample(**common, status="timeout", stderr_tail=outcome.stderr_tail,
                             reason=f"exceeded the {settings.timeout_seconds:g} s per-process timeout and was killed")
    if outcome.result is not None:
        if outcome.result["status"] == "ok":
            return ProcessSample(**common, **outcome.result)
        return ProcessSample(**common, stderr_tail=outcome.stderr_tail, **outcome.result)
    return ProcessSample(**common, status=outcome.failure_status, stderr_tail=outcome.stderr_tail,
                         reason=outcome.failure_reason)

def merge_shard_files(paths: list[Path], out_dir: Path, command: str) -> Path:
    """Merge finished shard files into one run file in out_dir; the shards stay where they are."""
    try:
        runs = [load_run(Path(p)) for p in paths]
        merged = shards.merge(runs, new_run_id(utc_now()), command)
    except (ResultFileError, shards.MergeError) as exc:
        raise RunError(str(exc)) from None
    planned = {c.case_id for c in plan_cases(merged.settings)}
    measured = {c.case_id for c in merged.cases}
    if planned != measured:
        missing = sorted(planned - measured)[:1] or sorted(measured - planned)[:1]
        raise RunError(f"the shards do not add up to the plan ({len(planned)} cases planned, {len(measured)} measured; "
                       f"first difference: {missing[0]})")
    order = {case_id: i for i, case_id in enumerate(c.case_id for c in plan_cases(merged.settings))}
    merged.cases.sort(key=lambda c: order[c.case_id])
    peaks = {(p.framework, p.precision): p.flops_per_second for p in merged.peak_matmul}
    for case in merged.cases:
        case.summary = stats.summarize(case, peaks.get((case.framework, case.config.get("precision", "fp32"))))
    merged.comparisons = stats.compare(merged.cases)
    final = final_path(Path(out_dir), merged.run_id)
    dump_run(merged, final)
    return final
