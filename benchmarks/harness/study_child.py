"""Runs one study task inside a fresh subprocess: imports the study's framework file and calls run(spec).

Usage: python -m benchmarks.harness.study_child SPEC.json OUT.json
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from benchmarks import registry
from benchmarks.harness.child_main import FRAMEWORK_PACKAGES, run_and_record


def run_task(spec: dict[str, Any]) -> dict[str, Any]:
    framework = spec.get("framework")
    try:
        module = importlib.import_module(registry.study_module_name(spec["study"], framework))
    except ModuleNotFoundError as exc:
        if framework and exc.name == FRAMEWORK_PACKAGES.get(framework):
            raise NotImplementedError(f"{framework} is not installed in this environment") from None
        raise
    return {"status": "ok", "data": module.run(spec)}


if __name__ == "__main__":
    sys.exit(run_and_record(run_task, sys.argv[1:]))
