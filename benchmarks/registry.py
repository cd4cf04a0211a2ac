"""Workloads are discovered, never listed: every subpackage of benchmarks.workloads that declares WORKLOAD.

FWBENCH_EXTRA_WORKLOADS names further packages searched the same way (the tests use it
for deliberately crashing and hanging workloads). The child process inherits it.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from functools import cache

from benchmarks.workload import Workload

DEFAULT_PACKAGES = ("benchmarks.workloads",)


def _packages() -> tuple[str, ...]:
    extra = [p for p in os.environ.get("FWBENCH_EXTRA_WORKLOADS", "").split(",") if p.strip()]
    return DEFAULT_PACKAGES + tuple(p.strip() for p in extra)


@cache
def _discover(packages: tuple[str, ...]) -> dict[str, tuple[str, Workload]]:
    found: dict[str, tuple[str, Workload]] = {}
    for package_name in packages:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.ispkg:
                continue
            module_name = f"{package_name}.{info.name}"
            workload = getattr(importlib.import_module(module_name), "WORKLOAD", None)
            if isinstance(workload, Workload):
                if workload.name in found:
                    raise RuntimeError(f"two workloads are named {workload.name!r}")
                found[workload.name] = (module_name, workload)
    return found


def workloads() -> dict[str, Workload]:
    return {name: w for name, (_, w) in sorted(_discover(_packages()).items())}


def framework_module_name(workload_name: str, framework: str) -> str:
    module_name, _ = _discover(_packages())[workload_name]
    return f"{module_name}.{framework}_impl"
