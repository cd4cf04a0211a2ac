"""The parent side of a run: plans cases, starts one fresh child per (case, repeat), records everything.

The parent never imports a framework. It owns process isolation, timeouts, peak RSS per
child (os.wait4: RUSAGE_CHILDREN would be a high-water mark over all children), failure
classification, atomic saving after every process, and resuming.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from benchmarks import registry
from benchmarks.harness import provenance, stats
from benchmarks.presets import PRESETS
from benchmarks.schema import (
    SCHEMA_VERSION,
    CaseResult,
    GpuInfo,
    ProcessSample,
    ResultFileError,
    RunResult,
    RunSettings,
    WorkloadInfo,
    dump_run,
    final_path,
    load_run,
    partial_path,
)
from benchmarks.workload import FRAMEWORKS

STDERR_TAIL_CHARS = 3000
POLL_SECONDS = 0.02


class RunError(Exception):
    """A run that cannot start or continue; the message is one line meant for the user."""


class Reporter(Protocol):
    def planned(self, total: int, already_done: int) -> None: ...

    def sample_started(self, case: CaseResult, repeat_index: int) -> None: ...

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None: ...


class SilentReporter:
    def planned(self, total: int, already_done: int) -> None:
        pass

    def sample_started(self, case: CaseResult, repeat_index: int) -> None:
        pass

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None:
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
    if request.device not in ("auto", "cpu", "cuda"):
        raise RunError(f"unknown device {request.device!r}; choose auto, cpu or cuda")
    for name in request.workloads:
        if request.preset not in known[name].presets:
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
    known = registry.workloads()
    cases = []
    for name in settings.workloads:
        sizes = dict(known[name].sizes(settings.preset))
        for framework in settings.frameworks:
            cases.append(CaseResult(
                case_id=f"{name}/{framework}/{settings.device}/{settings.preset}",
                workload=name, framework=framework, device=settings.device, config=sizes,
            ))
    return cases


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
        timeout_seconds=request.timeout_seconds or preset.timeout_seconds,
        threads=len(os.sched_getaffinity(0)),
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
            name: WorkloadInfo(title=w.title, description=w.description, hyperparameters=dict(w.hyperparameters))
            for name, w in registry.workloads().items() if name in settings.workloads
        },
        cases=plan_cases(settings),
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
    for case in run.cases:
        case.summary = stats.summarize(case)
    run.comparisons = stats.compare(run.cases)
    dump_run(run, partial_path(out_dir, run.run_id), overwrite=True)


def execute(run: RunResult, out_dir: Path, reporter: Reporter = SilentReporter()) -> Path:
    """Run every pending process, saving after each; on success the partial file becomes the final one."""
    out_dir = Path(out_dir)
    if final_path(out_dir, run.run_id).exists():
        raise RunError(f"{final_path(out_dir, run.run_id)} already exists; result files are never overwritten")
    todo = pending_samples(run)
    total = len(run.cases) * run.settings.processes_per_case
    reporter.planned(total, total - len(todo))
    save(run, out_dir)
    for case, repeat in todo:
        reporter.sample_started(case, repeat)
        sample = run_process(case, repeat, run.settings)
        case.samples.append(sample)
        case.samples.sort(key=lambda s: s.repeat_index)
        save(run, out_dir)
        reporter.sample_finished(case, sample)
    run.status = "complete"
    run.finished_utc = utc_now()
    save(run, out_dir)
    final = final_path(out_dir, run.run_id)
    os.replace(partial_path(out_dir, run.run_id), final)
    return final


def run_process(case: CaseResult, repeat_index: int, settings: RunSettings) -> ProcessSample:
    """One fresh child; whatever happens to it becomes a ProcessSample, never an exception."""
    spec = {
        "workload": case.workload,
        "framework": case.framework,
        "device": case.device,
        "config": case.config,
        "threads": settings.threads,
        "warmup_steps": settings.warmup_steps,
        "measured_steps": settings.measured_steps,
    }
    started_utc = utc_now()
    with tempfile.TemporaryDirectory(prefix="fwbench-") as tmp:
        spec_path, out_path, stderr_path = Path(tmp, "spec.json"), Path(tmp, "out.json"), Path(tmp, "stderr.txt")
        spec_path.write_text(json.dumps(spec))
        started = time.monotonic()
        with open(stderr_path, "wb") as stderr:
            child = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.harness.child", str(spec_path), str(out_path)],
                cwd=provenance.REPO_ROOT,
                env=provenance.child_environment(settings.threads),
                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
                start_new_session=True,  # Ctrl-C reaches the parent only; the parent kills the child's group
            )
            wait_status, rusage, timed_out = _wait_with_timeout(child, settings.timeout_seconds)
        wall = time.monotonic() - started
        stderr_tail = stderr_path.read_text(errors="replace")[-STDERR_TAIL_CHARS:] or None
        outcome = json.loads(out_path.read_text()) if out_path.exists() else None

    common = dict(
        repeat_index=repeat_index, started_utc=started_utc, wall_seconds=wall,
        peak_host_rss_bytes=rusage.ru_maxrss * 1024,  # Linux reports kibibytes
    )
    if timed_out:
        return ProcessSample(**common, status="timeout", stderr_tail=stderr_tail,
                             reason=f"exceeded the {settings.timeout_seconds:g} s per-process timeout and was killed")
    if outcome is not None:
        if outcome["status"] == "ok":
            return ProcessSample(**common, **outcome)
        return ProcessSample(**common, stderr_tail=stderr_tail, **outcome)
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        if sig == signal.SIGKILL:
            return ProcessSample(**common, status="out_of_memory", stderr_tail=stderr_tail,
                                 reason="killed by SIGKILL without a timeout: most likely the kernel's out-of-memory killer")
        reason = f"killed by signal {signal.Signals(sig).name}"
    else:
        reason = f"exited with code {os.WEXITSTATUS(wait_status)} without writing a result"
    return ProcessSample(**common, status="crashed", stderr_tail=stderr_tail, reason=reason)


def _wait_with_timeout(child: subprocess.Popen, timeout: float) -> tuple[int, os.struct_rusage, bool]:
    """Reap the child with os.wait4 (its own rusage), killing its whole group at the deadline or on Ctrl-C."""
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                _kill_group(child.pid)
                _, status, rusage = os.wait4(child.pid, 0)
                break
            time.sleep(POLL_SECONDS)
    except BaseException:
        _kill_group(child.pid)
        os.wait4(child.pid, 0)
        child.returncode = -signal.SIGKILL
        raise
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return status, rusage, timed_out


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
