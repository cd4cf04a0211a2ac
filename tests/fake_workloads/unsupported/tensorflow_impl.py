def create(workload, sizes, device, threads):
    raise NotImplementedError("this mode is not available in the fake framework")
