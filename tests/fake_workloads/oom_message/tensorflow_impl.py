import os
import sys


def create(workload, sizes, device, threads):
    # A C++ allocation failure inside a framework: the runtime prints this and aborts (SIGABRT).
    sys.stderr.write("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\n")
    sys.stderr.flush()
    os.abort()
