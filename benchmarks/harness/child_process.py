"""One fresh `python -m MODULE` child: started in its own session, watched, killed at its deadline, reaped.

Owns what every child shares, whether it measures a case, calibrates or runs a study:
the timeout, peak RSS of this child alone (os.wait4: RUSAGE_CHILDREN would be a high-water
mark over all children), RSS sampled from outside while it runs, the machine's load from
other processes, and the classification of a child that died without writing a result.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import provenance
from benchmarks.harness.memory import RssSampler
from benchmarks.paths import REPO_ROOT
from contract.schema import RunSettings

STDERR_TAIL_CHARS = 3000
POLL_SECONDS = 0.02


@dataclass
class ChildOutcome:
    """What one child left behind: its JSON result, or why there is none."""

    result: dict | None
    wall_seconds: float
    peak_host_rss_bytes: int
    foreign_cpu_fraction: float | None
    stderr_tail: str | None
    host_rss_timeline: list[tuple[float, int]] | None = None
    failure_status: str | None = None
    failure_reason: str | None = None


def run_child(module_args: list[str], settings: RunSettings, *, timeout: float, spec: dict | None = None) -> ChildOutcome:
    """One fresh `python -m MODULE ...` child, reaped with os.wait4; a failure is classified, never raised."""
    with tempfile.TemporaryDirectory(prefix="fwbench-") as tmp:
        spec_path, out_path, stderr_path = Path(tmp, "spec.json"), Path(tmp, "out.json"), Path(tmp, "stderr.txt")
        args = list(module_args)
        if spec is not None:
            spec_path.write_text(json.dumps(spec))
            args.append(str(spec_path))
        args.append(str(out_path))
        env = provenance.child_environment(settings.threads)
        # A fresh compiler cache per process: torch.compile's time is reported cold, as a new user meets it.
        env["TORCHINDUCTOR_CACHE_DIR"] = str(Path(tmp, "inductor-cache"))
        env["TRITON_CACHE_DIR"] = str(Path(tmp, "triton-cache"))
        busy_before = machine_busy_seconds()
        started = time.monotonic()
        if spec is not None:  # the child's phase marks then share the parent's clock (CLOCK_MONOTONIC is system-wide)
            spec_path.write_text(json.dumps({**spec, "started_monotonic": started}))
        with open(stderr_path, "wb") as stderr:
            child = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
                start_new_session=True,  # Ctrl-C reaches the parent only; the parent kills the child's group
            )
            sampler = RssSampler(child.pid, started)
            wait_status, rusage, timed_out = _wait_with_timeout(child, timeout, sampler)
        wall = time.monotonic() - started
        busy_after = machine_busy_seconds()
        foreign = None
        if busy_before is not None and busy_after is not None and wall > 0:
            child_cpu = rusage.ru_utime + rusage.ru_stime
            foreign = max(0.0, (busy_after - busy_before - child_cpu) / (wall * (os.cpu_count() or 1)))
        outcome = ChildOutcome(
            result=json.loads(out_path.read_text()) if out_path.exists() and not timed_out else None,
            wall_seconds=wall,
            peak_host_rss_bytes=rusage.ru_maxrss * 1024,  # Linux reports kibibytes
            foreign_cpu_fraction=foreign,
            stderr_tail=stderr_path.read_text(errors="replace")[-STDERR_TAIL_CHARS:] or None,
            host_rss_timeline=sampler.timeline(),
        )
    if timed_out:
        outcome.failure_status, outcome.failure_reason = "timeout", f"exceeded the {timeout:g} s timeout and was killed"
    elif outcome.result is None:
        outcome.failure_status, outcome.failure_reason = _classify_exit(wait_status)
    return outcome


def machine_busy_seconds() -> float | None:
    """CPU seconds all processes have spent busy since boot (/proc/stat), to tell how loaded the machine was."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _classify_exit(wait_status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        if sig == signal.SIGKILL:
            return "out_of_memory", "killed by SIGKILL without a timeout: most likely the kernel's out-of-memory killer"
        return "crashed", f"killed by signal {signal.Signals(sig).name}"
    return "crashed", f"exited with code {os.WEXITSTATUS(wait_status)} without writing a result"


def _wait_with_timeout(child: subprocess.Popen, timeout: float,
                       sampler: RssSampler) -> tuple[int, os.struct_rusage, bool]:
    """Reap the child with os.wait4 (its own rusage), killing its whole group at the deadline or on Ctrl-C."""
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            sampler.sample()
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
