"""Runs inside one fresh subprocess per (case, repeat): the one timing loop of the project.

A fresh process per measurement because imports, thread pools, allocator state and
compilation caches leak between cases; the parent never imports a framework at all.
Usage: python -m benchmarks.harness.child SPEC.json OUT.json
"""

from __future__ import annotations

import importlib
import json
import math
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from benchmarks import registry
from benchmarks.harness.memory import PhaseRecorder
from contract.files import write_atomically

# Exception class names that mean "out of memory" in torch, TensorFlow and Python;
# matched by name so this module never has to import a framework to recognise them.
OUT_OF_MEMORY_EXCEPTIONS = {"OutOfMemoryError", "ResourceExhaustedError", "MemoryError"}
FRAMEWORK_PACKAGES = {"torch": "torch", "tensorflow": "tensorflow"}


def framework_module(workload_name: str, framework: str):
    """The workload's module for this framework; a missing framework is 'unsupported', not a crash."""
    try:
        return importlib.import_module(registry.framework_module_name(workload_name, framework))
    except ModuleNotFoundError as exc:
        if exc.name == FRAMEWORK_PACKAGES.get(framework):
            raise NotImplementedError(f"{framework} is not installed in this environment") from None
        raise


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

    for _ in range(spec["warmup_steps"]):
        value = case.finish(case.step())

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
    return {
        "status": "ok",
        "framework_version": case.framework_version,
        "device_name": case.device_name,
        "intra_op_threads": case.intra_op_threads,
        "inter_op_threads": case.inter_op_threads,
        "mode_detail": case.mode_detail,
        "first_step_seconds": first_step_seconds,
        "steps_per_call": per_call,
        "step_seconds": step_seconds,
        "final_loss": value,
        "device_peak_memory_bytes": case.device_peak_memory_bytes(),
        "memory_phases": phases.rss or None,
        "phase_seconds": phases.seconds,
        "device_memory_phases": device_phases or None,
    }


def run_and_record(task: Callable[[dict[str, Any]], dict[str, Any]], argv: list[str]) -> int:
    """Run `task(spec)` and write its outcome, or why it has none, where the parent will look."""
    spec_path, out_path = Path(argv[0]), Path(argv[1])
    spec = json.loads(spec_path.read_text())
    try:
        outcome = task(spec)
    except NotImplementedError as exc:
        outcome = {"status": "unsupported", "reason": str(exc) or "not implemented for this framework"}
    except Exception as exc:  # recorded as data; the parent adds the stderr tail
        traceback.print_exc()
        status = "out_of_memory" if type(exc).__name__ in OUT_OF_MEMORY_EXCEPTIONS else "crashed"
        outcome = {"status": status, "reason": f"{type(exc).__name__}: {exc}".splitlines()[0][:500]}
    write_atomically(out_path, json.dumps(outcome))
    return 0 if outcome["status"] == "ok" else 3


if __name__ == "__main__":
    sys.exit(run_and_record(measure, sys.argv[1:]))
