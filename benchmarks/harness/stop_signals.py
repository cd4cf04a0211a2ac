"""Every catchable signal that would end a run ends it as Ctrl-C does: no child outlives it, what was saved stays.

Children run in their own session (a terminal's Ctrl-C reaches the parent only), so a signal the parent dies of
would leave them running under PID 1. While a run is under way, SIGINT, SIGTERM (what `timeout` and CI send),
SIGHUP and the other signals whose default is to terminate first kill every live child's process group, then
raise `Stopped` where the run loop is, so temp folders are removed and the partial file keeps every finished
process. SIGKILL cannot be caught: the launcher's PR_SET_PDEATHSIG covers it (benchmarks/harness/launcher.py).
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Callable, Iterator

# The signals whose default action ends a process and that a process may catch.
CATCHABLE = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
             signal.SIGALRM, signal.SIGXCPU, signal.SIGVTALRM, signal.SIGPROF)


class Stopped(KeyboardInterrupt):
    """The run was stopped by a signal; a KeyboardInterrupt, so every cleanup written for Ctrl-C runs for it too."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number (130 for Ctrl-C)."""
        return 128 + self.signum


@contextmanager
def stopping_on_signals(kill_children: Callable[[], None]) -> Iterator[None]:
    """While inside: each catchable signal calls `kill_children` at once, and the first one raises Stopped."""
    stopped = False

    def handler(signum: int, frame: object) -> None:
        nonlocal stopped
        kill_children()  # first, whatever happens next: no child outlives the parent
        if not stopped:  # a second signal during cleanup must not interrupt the cleanup
            stopped = True
            raise Stopped(signum)

    previous = {}
    for sig in CATCHABLE:
        try:
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread: the caller's own handling stands
            pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
