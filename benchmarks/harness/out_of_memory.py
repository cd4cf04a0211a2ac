"""Whether a child ran out of memory, decided from evidence, never from how it died alone.

The evidence: the messages each framework (and the C library) writes when an allocation fails, the cgroup's
oom_kill counter where the kernel exposes it, and the child's peak RSS against the memory limit. A SIGKILL with
none of these is "killed by SIGKILL (cause unknown)": anyone may send one. Matched by text, so neither the
parent nor a child has to import a framework to recognise its errors.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

# Exception class names that mean "out of memory" in torch, TensorFlow and Python.
OUT_OF_MEMORY_EXCEPTIONS = {"OutOfMemoryError", "ResourceExhaustedError", "MemoryError"}

# What an allocation failure prints: torch's CPU allocator ("DefaultCPUAllocator: can't allocate memory: you tried
# to allocate N bytes. Error code 12 (Cannot allocate memory)"), CUDA's, TensorFlow's allocator ("OOM when
# allocating tensor", "ran out of memory trying to allocate"), a failed mmap (ENOMEM's strerror), C++'s bad_alloc.
OUT_OF_MEMORY_MESSAGES = re.compile(
    r"DefaultCPUAllocator: (?:can't allocate memory|not enough memory)"
    r"|CUDA out of memory|CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED"
    r"|OOM when allocating|ran out of memory|ResourceExhaustedError|RESOURCE_EXHAUSTED"
    r"|Cannot allocate memory|std::bad_alloc|\bMemoryError\b|failed to allocate memory",
    re.IGNORECASE,
)
# A peak this close to the limit, then a SIGKILL: the limit was reached.
NEAR_LIMIT_FRACTION = 0.9


def message_evidence(text: str | None) -> str | None:
    """The allocation-failure phrase in `text` (a message or a stderr tail), or None."""
    found = OUT_OF_MEMORY_MESSAGES.search(text or "")
    return found.group(0) if found else None


def exception_is_out_of_memory(type_name: str, message: str) -> bool:
    """An exception a child caught: out of memory by its class (torch.OutOfMemoryError, ...) or by its message
    (torch's CPU allocator raises a plain RuntimeError; a failed mmap can surface as SystemError or OSError)."""
    return type_name in OUT_OF_MEMORY_EXCEPTIONS or message_evidence(message) is not None


CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def _cgroup_dir(cgroup_root: Path, controller_file: str, proc_cgroup: Path) -> Path | None:
    """This process's cgroup folder holding `controller_file` (cgroup v2, else the v1 memory hierarchy)."""
    try:
        lines = proc_cgroup.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        for base in ((cgroup_root,) if hierarchy == "0" else
                     (cgroup_root / "memory",) if "memory" in controllers.split(",") else ()):
            candidate = base / path.lstrip("/")
            if (candidate / controller_file).is_file():
                return candidate
    return None


def oom_kills(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int | None:
    """The kernel's count of out-of-memory kills in this cgroup: memory.events (v2) or memory.oom_control (v1)."""
    for name in ("memory.events", "memory.oom_control"):
        folder = _cgroup_dir(cgroup_root, name, proc_cgroup)
        if folder is None:
            continue
        try:
            for line in (folder / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            return None
    return None


def memory_limit_bytes(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int | None:
    """The memory a child may use: the cgroup's limit where one is set, else the machine's RAM."""
    for name in ("memory.max", "memory.limit_in_bytes"):
        folder = _cgroup_dir(cgroup_root, name, proc_cgroup)
        if folder is None:
            continue
        try:
            text = (folder / name).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:  # v1 writes a huge number for "no limit", v2 writes "max"
            return int(text)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return None


def classify_death(wait_status: int, stderr_tail: str | None, *, oom_kills_before: int | None,
                   oom_kills_after: int | None, peak_rss_bytes: int | None,
                   limit_bytes: int | None) -> tuple[str, str]:
    """(status, reason) of a child that died without writing a result."""
    evidence = message_evidence(stderr_tail)
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGKILL:
            if oom_kills_before is not None and oom_kills_after is not None and oom_kills_after > oom_kills_before:
                return "out_of_memory", (f"killed by SIGKILL: the cgroup's oom_kill counter rose from {oom_kills_before} "
                                         f"to {oom_kills_after} meanwhile (the kernel's out-of-memory killer)")
            if peak_rss_bytes and limit_bytes and peak_rss_bytes >= NEAR_LIMIT_FRACTION * limit_bytes:
                return "out_of_memory", (f"killed by SIGKILL at {peak_rss_bytes / 2**20:,.0f} MiB RSS of a "
                                         f"{limit_bytes / 2**20:,.0f} MiB limit (the out-of-memory killer)")
            if evidence:
                return "out_of_memory", f"killed by SIGKILL after '{evidence}' in its stderr"
            return "crashed", "killed by SIGKILL (cause unknown: no out-of-memory evidence in the cgroup, RSS or stderr)"
        if evidence:
            return "out_of_memory", f"killed by {name} after '{evidence}' in its stderr: an allocation failed"
        return "crashed", f"killed by {name}"
    code = os.WEXITSTATUS(wait_status)
    if evidence:
        return "out_of_memory", f"exited with code {code} after '{evidence}' in its stderr: an allocation failed"
    return "crashed", f"exited with code {code} without writing a result"
