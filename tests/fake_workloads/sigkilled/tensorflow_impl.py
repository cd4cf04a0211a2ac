import os
import signal


def create(workload, sizes, device, threads):
    # Killed from outside with no sign of memory pressure: the kernel's OOM killer is one cause among many.
    os.kill(os.getpid(), signal.SIGKILL)
