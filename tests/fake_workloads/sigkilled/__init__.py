from tests.fake_workloads.fake_case import declare

WORKLOAD = declare("sigkilled")
