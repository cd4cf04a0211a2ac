import time


def create(workload, sizes, device, threads):
    time.sleep(3600)
