"""Host memory readings from /proc: the child's own phase levels and the parent's outside sampling.

RSS includes each framework's runtime (shared libraries, thread pools, allocator caches),
which is what a user's process pays; that is why phases start from the bare interpreter.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TIMELINE_POINTS = 60  # enough to show the phases' shape; a full run stays a few hundred KB


def current_rss_bytes(pid: int | str = "self") -> int | None:
    """Resident set size now, from /proc/PID/statm (one read, cheap enough to sample every 20 ms)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return None


class PhaseRecorder:
    """Marks the end of each phase in the child: RSS at that moment and seconds since the child started."""

    def __init__(self, started_monotonic: float) -> None:
        self.started = started_monotonic
        self.rss: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def mark(self, phase: str) -> None:
        rss = current_rss_bytes()
        if rss is not None:
            self.rss[phase] = rss
        self.seconds[phase] = round(time.monotonic() - self.started, 4)


class RssSampler:
    """The parent's view from outside: RSS of a child at each poll, reduced to TIMELINE_POINTS maxima.
    `pid` may be None until the launcher has said which process the child is."""

    def __init__(self, pid: int | None, started_monotonic: float) -> None:
        self.pid = pid
        self.started = started_monotonic
        self.samples: list[tuple[float, int]] = []

    def sample(self) -> None:
        rss = current_rss_bytes(self.pid) if self.pid is not None else None
        if rss is not None:
            self.samples.append((time.monotonic() - self.started, rss))

    def peak(self) -> int | None:
        """The highest RSS sampled: a lower bound of the true peak (a spike between two polls is missed)."""
        return max((b for _, b in self.samples), default=None)

    def timeline(self, points: int = TIMELINE_POINTS) -> list[tuple[float, int]] | None:
        return downsample_max(self.samples, points) if self.samples else None


def downsample_max(samples: list[tuple[float, int]], points: int) -> list[tuple[float, int]]:
    """Split into `points` equal runs of samples and keep each run's highest reading: peaks survive."""
    if len(samples) <= points:
        return [(round(t, 3), b) for t, b in samples]
    size = len(samples) / points
    reduced = []
    for i in range(points):
        chunk = samples[int(i * size) : int((i + 1) * size)] or [samples[-1]]
        t, b = max(chunk, key=lambda s: s[1])
        reduced.append((round(t, 3), b))
    return reduced
