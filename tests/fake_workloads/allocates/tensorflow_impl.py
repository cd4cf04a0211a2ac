from tests.fake_workloads.allocating_case import AllocatingCase


def create(workload, sizes, device, threads):
    return AllocatingCase(sizes, "tensorflow")
