"""What every child does around its task: read the spec, run the task, turn an exception into a status,
write the outcome where the parent looks. Shared by the timing, study and calibration children.
"""

from __future__ import annotations

import importlib
import json
import traceback
from pathlib import Path
from typing import Any, Callable

from benchmarks import registry
from benchmarks.harness.out_of_memory import exception_is_out_of_memory
from contract.files import write_atomically

FRAMEWORK_PACKAGES = {"torch": "torch", "tensorflow": "tensorflow"}


def framework_module(workload_name: str, framework: str):
    """The workload's module for this framework; a missing framework is 'unsupported', not a crash."""
    try:
        return importlib.import_module(registry.framework_module_name(workload_name, framework))
    except ModuleNotFoundError as exc:
        if exc.name == FRAMEWORK_PACKAGES.get(framework):
            raise NotImplementedError(f"{framework} is not installed in this environment") from None
        raise


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
        status = "out_of_memory" if exception_is_out_of_memory(type(exc).__name__, str(exc)) else "crashed"
        outcome = {"status": status, "reason": f"{type(exc).__name__}: {exc}".splitlines()[0][:500]}
    write_atomically(out_path, json.dumps(outcome))
    return 0 if outcome["status"] == "ok" else 3
