"""One run at a time per results folder: a lock on `--out` held for the life of the run.

Without it, two `fwbench run --resume` in one folder both took the newest partial file, ran the same processes,
and one final file replaced the other. The lock is an flock on `<out>/.fwbench.lock`: the kernel releases it when
the holder exits in any way, SIGKILL included, so a stale lock never blocks a later run. The holder writes who it
is into the file, so the refusal can say which run is in the way.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from benchmarks.harness.run_request import RunError

LOCK_NAME = ".fwbench.lock"


def usable_out_dir(out_dir: Path, option: str = "--out") -> Path:
    """The results folder, created if need be; a file in the way, or a read-only disk, is one line."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise RunError(f"{option} {out_dir}: is a file, not a folder; give a folder for the result files")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"{option} {out_dir}: cannot create the results folder ({exc.strerror or exc}); "
                       f"give a folder you can write to") from None
    return out_dir


@contextmanager
def holding(out_dir: Path, what: str) -> Iterator[Callable[[str], None]]:
    """Hold `out_dir`'s lock while inside, or refuse at once; yields a function that updates the holder's line."""
    out_dir = usable_out_dir(out_dir)
    path = out_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise RunError(f"--out {out_dir}: cannot write there ({exc.strerror or exc}); give a folder you can "
                       f"write to") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", errors="replace").strip() or "another fwbench process"
            raise RunError(f"{out_dir} is in use by {holder}; runs in one results folder never run at once: wait "
                           f"for it to finish, or give another --out") from None

        def describe(text: str) -> None:
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{text} (pid {os.getpid()})\n".encode(), 0)
            except OSError:  # a full disk: the lock holds all the same, only the refusal says less
                pass

        describe(what)
        yield describe
    finally:
        os.close(fd)  # releases the lock
