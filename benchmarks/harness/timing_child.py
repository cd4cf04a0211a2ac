"""Runs inside one fresh subprocess per (case, repeat): the one timing loop of the project.

A fresh process per measurement because imports, thread pools, allocator state and
compilation caches leak between cases; the parent never imports a framework at all.
Usage: python -m benchmarks.harness.timing_child SPEC.json OUT.json
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

from benchmarks import registry
from benchmarks.harness.child_main import framework_module, run_and_record
from benchmarks.harness.memory import PhaseRecorder


def create_case(spec: dict[str, Any], phases: PhaseRecorder | None = None):
    workload = registry.workloads()[spec["workload"]]
    module = framework_module(workload.name, spec["framework"])
    if phases:
        phases.mark("import")
    return module.create(workload, spec["config"], spec["device"], spec["threads"])


def device_memory(case) -> dict[str, int] | None:
    """The framework's own device counters, where the case has any (none on the CPU)."""
    reader = getattr(case, "device_memory_bytes", None)
    return reader() if reader else None


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    phases = PhaseRecorder(spec.get("started_monotonic", time.monotonic()))
    phases.mark("harness")
    case = create_case(spec, phases)
    phases.mark("build")
    device_phases = {f"build_{k}": v for k, v in (device_memory(case) or {}).items()}
    per_call = case.steps_per_call

    started = time.perf_counter()
    value = case.finish(case.step())
    first_step_seconds = time.perf_counter() - started

    # Each warm-up call is timed too: a compiled training step compiles again on its second call (the optimizer has
    # state by then), and that belongs to the compile time, not to the steady state.
    warmup_seconds: list[float] = []
    for _ in range(spec["warmup_steps"]):
        started = time.perf_counter()
        value = case.finish(case.step())
        warmup_seconds.append(round(time.perf_counter() - started, 9))

    step_seconds: list[float] = []
    for _ in range(spec["measured_steps"]):
        started = time.perf_counter()
        handle = case.step()
        value = case.finish(handle)  # synchronises before the clock is read
        step_seconds.append(round((time.perf_counter() - started) / per_call, 9))

    phases.mark("steady")
    device_phases.update({f"steady_{k}": v for k, v in (device_memory(case) or {}).items()})
    if not math.isfinite(value):
        raise FloatingPointError(f"loss or output is not finite ({value}) after {len(step_seconds)} measured calls")
    bare_step_seconds = bare_loop(case, spec["measured_steps"], per_call)
    return {
        "status": "ok",
        "framework_version": case.framework_version,
        "device_name": case.device_name,
        "intra_op_threads": case.intra_op_threads,
        "inter_op_threads": case.inter_op_threads,
        "mode_detail": case.mode_detail,
        "first_step_seconds": first_step_seconds,
        "warmup_seconds": warmup_seconds,
        "steps_per_call": per_call,
        "step_seconds": step_seconds,
        "final_loss": value,
        "device_peak_memory_bytes": case.device_peak_memory_bytes(),
        "memory_phases": phases.rss or None,
        "phase_seconds": phases.seconds,
        "device_memory_phases": device_phases or None,
        "bare_step_seconds": bare_step_seconds,
        "precision_path": getattr(case, "precision_path", None),
        "precision_detail": getattr(case, "precision_detail", None),
        "graph_breaks": case.graph_breaks() if hasattr(case, "graph_breaks") else None,
        # The settings behind the step (the settings study varies them): recorded so a page can state them.
        "optimizer_implementation": getattr(case, "optimizer_implementation", None),
        "data_batches": getattr(case, "data_batches", None),
    }


def bare_loop(case, steps: int, per_call: int) -> float | None:
    """The same step with no per-step clock read or bookkeeping, timed as one block in this process: the measured
    loop's mean over this is the harness's overhead (reported on Methodology; it must stay under 2 %)."""
    if steps < 1:
        return None
    started = time.perf_counter()
    for _ in range(steps):
        case.finish(case.step())
    return (time.perf_counter() - started) / (steps * per_call)


if __name__ == "__main__":
    sys.exit(run_and_record(measure, sys.argv[1:]))
