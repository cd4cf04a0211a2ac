"""One fresh `python -m MODULE` child: started through a small launcher in its own session, watched, killed at its
deadline, reaped.

Owns what every child shares, whether it measures a case, calibrates or runs a study:
the timeout, the child's own peak RSS (reaped by the launcher, which is small, so the parent's RSS is not
inherited through fork and exec), RSS sampled from outside while it runs, the machine's load from other
processes, and the classification of a child that died without writing a result. Every live child's process
group is known here, so a signal to the parent kills them all (stop_signals), and the launcher kills the group
when the parent dies of SIGKILL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import out_of_memory, privacy, provenance
from benchmarks.harness.memory import RssSampler
from benchmarks.paths import REPO_ROOT
from contract.schema import STDERR_TAIL_MAX_CHARS, RunSettings

STDERR_TAIL_CHARS = STDERR_TAIL_MAX_CHARS
POLL_SECONDS = 0.02
LAUNCHER = Path(__file__).with_name("launcher.py")
# Temp folders are named after the parent's pid, so a later run can remove those of a parent that was SIGKILLed.
TEMP_PREFIX = "fwbench-"
_TEMP_NAME = re.compile(rf"^{TEMP_PREFIX}(\d+)-")

# Process groups of the children running now (the launcher's pid is its group's id).
_live_groups: set[int] = set()


@dataclass
class ChildOutcome:
    """What one child left behind: its JSON result, or why there is none."""

    result: dict | None
    wall_seconds: float
    peak_host_rss_bytes: int | None
    foreign_cpu_fraction: float | None
    stderr_tail: str | None
    host_rss_timeline: list[tuple[float, int]] | None = None
    failure_status: str | None = None
    failure_reason: str | None = None
    peak_host_rss_source: str | None = None


def kill_live_children() -> None:
    """SIGKILL to every running child's process group (called from a signal handler: it must not block)."""
    for group in list(_live_groups):
        _kill_group(group)


def remove_orphaned_temp_dirs() -> None:
    """Temp folders left by a parent that no longer exists (SIGKILL leaves no chance to clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        match = _TEMP_NAME.match(folder.name)
        if match and folder.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_child(module_args: list[str], settings: RunSettings, *, timeout: float, spec: dict | None = None) -> ChildOutcome:
    """One fresh `python -m MODULE ...` child; a failure is classified, never raised."""
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        spec_path, out_path, stderr_path = Path(tmp, "spec.json"), Path(tmp, "out.json"), Path(tmp, "stderr.txt")
        report_path = Path(tmp, "launcher.json")
        args = list(module_args)
        if spec is not None:
            spec_path.write_text(json.dumps(spec))
            args.append(str(spec_path))
        args.append(str(out_path))
        env = provenance.child_environment(settings.threads)
        # A fresh compiler cache per process: torch.compile's time is reported cold, as a new user meets it.
        env["TORCHINDUCTOR_CACHE_DIR"] = str(Path(tmp, "inductor-cache"))
        env["TRITON_CACHE_DIR"] = str(Path(tmp, "triton-cache"))
        oom_kills_before = out_of_memory.oom_kills()
        busy_before = machine_busy_seconds()
        started = time.monotonic()
        if spec is not None:  # the child's phase marks then share the parent's clock (CLOCK_MONOTONIC is system-wide)
            spec_path.write_text(json.dumps({**spec, "started_monotonic": started}))
        command = [sys.executable, "-I", "-S", str(LAUNCHER), str(report_path), str(os.getpid()), "--",
                   sys.executable, "-m", *args]
        with open(stderr_path, "wb") as stderr:
            launcher = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
                start_new_session=True,  # Ctrl-C reaches the parent only; the parent kills the child's group
            )
            _live_groups.add(launcher.pid)
            try:
                sampler = RssSampler(None, started)
                wait_status, rusage, timed_out = _wait_with_timeout(launcher, timeout, sampler, report_path)
            finally:
                _live_groups.discard(launcher.pid)
        wall = time.monotonic() - started
        busy_after = machine_busy_seconds()
        oom_kills_after = out_of_memory.oom_kills()
        report = _read_json(report_path)
        if report is not None:  # the launcher reaped the child: its own status and high-water mark
            wait_status = int(report["wait_status"])
            peak, peak_source = int(report["maxrss_kib"]) * 1024, "child"  # Linux reports kibibytes
        else:  # the launcher was killed with it (a timeout): the highest RSS seen from outside is all there is
            peak, peak_source = sampler.peak(), "sampled"
        foreign = None
        if busy_before is not None and busy_after is not None and wall > 0:
            child_cpu = rusage.ru_utime + rusage.ru_stime  # the launcher's, which holds the child's once reaped
            foreign = max(0.0, (busy_after - busy_before - child_cpu) / (wall * (os.cpu_count() or 1)))
        stderr_text = privacy.redact(stderr_path.read_text(errors="replace"))
        outcome = ChildOutcome(
            result=_read_json(out_path) if not timed_out else None,
            wall_seconds=wall,
            peak_host_rss_bytes=peak,
            peak_host_rss_source=peak_source if peak is not None else None,
            foreign_cpu_fraction=foreign,
            stderr_tail=stderr_text[-STDERR_TAIL_CHARS:] or None,
            host_rss_timeline=sampler.timeline(),
        )
    if outcome.result is not None:  # a reason or a study's messages may name the checkout or the home directory
        outcome.result = privacy.redact_all(outcome.result)
    if timed_out:
        outcome.failure_status, outcome.failure_reason = "timeout", f"exceeded the {timeout:g} s timeout and was killed"
    elif outcome.result is None:
        outcome.failure_status, outcome.failure_reason = out_of_memory.classify_death(
            wait_status, outcome.stderr_tail, oom_kills_before=oom_kills_before, oom_kills_after=oom_kills_after,
            peak_rss_bytes=max(peak or 0, sampler.peak() or 0) or None,
            limit_bytes=out_of_memory.memory_limit_bytes())
    return outcome


def _read_json(path: Path) -> dict | None:
    """A file a child wrote: a dict, or None when it is missing or not a JSON object (a child killed mid-write)."""
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def machine_busy_seconds() -> float | None:
    """CPU seconds all processes have spent busy since boot (/proc/stat), to tell how loaded the machine was."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _wait_with_timeout(launcher: subprocess.Popen, timeout: float, sampler: RssSampler,
                       report_path: Path) -> tuple[int, os.struct_rusage, bool]:
    """Reap the launcher with os.wait4, killing its whole group at the deadline or on any signal to the parent."""
    deadline = time.monotonic() + timeout
    timed_out = False
    pid_path = Path(f"{report_path}.pid")
    try:
        while True:
            pid, status, rusage = os.wait4(launcher.pid, os.WNOHANG)
            if pid:
                break
            if sampler.pid is None:
                sampler.pid = (_read_json(pid_path) or {}).get("pid")
            sampler.sample()
            if time.monotonic() > deadline:
                timed_out = True
                _kill_group(launcher.pid)
                _, status, rusage = os.wait4(launcher.pid, 0)
                break
            time.sleep(POLL_SECONDS)
    except BaseException:
        _kill_group(launcher.pid)
        os.wait4(launcher.pid, 0)
        launcher.returncode = -signal.SIGKILL
        raise
    launcher.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return status, rusage, timed_out


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
