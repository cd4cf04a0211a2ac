def create(workload, sizes, device, threads):
    # What torch's CPU allocator raises when malloc fails: a plain RuntimeError, not an OutOfMemoryError.
    raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: can't allocate memory: you "
                       "tried to allocate 132426121216 bytes. Error code 12 (Cannot allocate memory)")
