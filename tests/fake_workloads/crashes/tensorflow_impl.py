def create(workload, sizes, device, threads):
    raise RuntimeError("deliberate crash while building the model")
