"""Deliberately broken workloads for the harness tests (found via FWBENCH_EXTRA_WORKLOADS).

Their framework modules import no framework: they stand in for one that crashes,
hangs, dies of a signal or declares a mode unsupported, so the tests stay fast.
"""
