from tests.fake_workloads.fake_case import FakeCase


def create(workload, sizes, device, threads):
    return FakeCase(sizes)
