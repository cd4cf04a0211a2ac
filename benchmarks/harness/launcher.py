"""The small process between the parent and each child: the child's own peak RSS, and a child that dies with its parent.

Run as a script, `python -I -S launcher.py REPORT PARENT_PID -- COMMAND...`, never imported by the parent.

Why it exists: ru_maxrss survives fork and exec, so a child forked by the parent (about 115 MiB with pydantic,
rich and numpy loaded) never reports a peak below the parent's own RSS, and an early crash is misreported. This
launcher is a bare interpreter of a few MiB: the child it forks starts from that, so the ru_maxrss it reaps with
os.wait4 is the child's own. It writes REPORT (the child's wait status and rusage) for the parent.

It also ties the child's life to the parent's, on Linux, with PR_SET_PDEATHSIG: the launcher gets SIGTERM when the
parent dies for any reason (SIGKILL included) and kills its whole process group, the child and anything the
child started; the child itself gets SIGKILL if the launcher dies. The standard library only: it must stay small.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # linux/prctl.h
EXIT_NO_START = 127


def die_with_parent(sig: int, expected_parent: int) -> None:
    """Ask the kernel for `sig` when the parent dies; if it already has (we were re-parented), die now."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's own signal handling still kills the group
        pass
    if os.getppid() != expected_parent:
        os.killpg(0, signal.SIGKILL)


def kill_group(signum: int, frame: object) -> None:
    """The launcher leads the child's session and process group: SIGKILL to the group ends all of it, itself too."""
    os.killpg(0, signal.SIGKILL)


def write_json(path: str, value: dict) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    report, parent, separator, command = argv[0], int(argv[1]), argv[2], argv[3:]
    if separator != "--" or not command:
        print("usage: launcher.py REPORT PARENT_PID -- COMMAND...", file=sys.stderr)
        return 2
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, kill_group)
    die_with_parent(signal.SIGTERM, parent)
    launcher = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            for sig in (signal.SIGPIPE, signal.SIGXFSZ):  # as subprocess.Popen leaves them for a child
                signal.signal(sig, signal.SIG_DFL)
            die_with_parent(signal.SIGKILL, launcher)
            os.execv(command[0], command)
        except BaseException as exc:  # anything here means the child never started
            os.write(2, f"fwbench launcher: cannot start {command[0]}: {exc}\n".encode())
        finally:
            os._exit(EXIT_NO_START)
    write_json(f"{report}.pid", {"pid": pid})
    _, status, usage = os.wait4(pid, 0)
    write_json(report, {"wait_status": status, "maxrss_kib": usage.ru_maxrss,
                        "utime": usage.ru_utime, "stime": usage.ru_stime})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
