"""Workloads and studies are discovered, never listed: every subpackage of benchmarks.workloads that
declares WORKLOAD, and of benchmarks.studies that declares STUDY.

FWBENCH_EXTRA_WORKLOADS and FWBENCH_EXTRA_STUDIES name further packages searched the same
way (the tests use them for deliberately crashing and hanging code). Children inherit them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.study import Study
from benchmarks.workload import Workload

DEFAULT_PACKAGES = ("benchmarks.workloads",)
DEFAULT_STUDY_PACKAGES = ("benchmarks.studies",)


def _packages(defaults: tuple[str, ...] = DEFAULT_PACKAGES, variable: str = "FWBENCH_EXTRA_WORKLOADS") -> tuple[str, ...]:
    extra = [p for p in os.environ.get(variable, "").split(",") if p.strip()]
    return defaults + tuple(p.strip() for p in extra)


@cache
def _discover(packages: tuple[str, ...], attribute: str = "WORKLOAD", kind: type = Workload) -> dict[str, tuple[str, Any]]:
    found: dict[str, tuple[str, Any]] = {}
    for package_name in packages:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.ispkg:
                continue
            module_name = f"{package_name}.{info.name}"
            declared = getattr(importlib.import_module(module_name), attribute, None)
            if isinstance(declared, kind):
                if declared.name in found:
                    raise RuntimeError(f"two {attribute.lower()}s are named {declared.name!r}")
                found[declared.name] = (module_name, declared)
    return found


def workloads() -> dict[str, Workload]:
    return {name: w for name, (_, w) in sorted(_discover(_packages()).items())}


def _source_dir(module_name: str) -> str | None:
    """The package's folder relative to the checkout, or None for one outside it."""
    from benchmarks.paths import REPO_ROOT

    folder = Path(importlib.import_module(module_name).__file__).resolve().parent
    try:
        return folder.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return None


def workload_dir(workload_name: str) -> str | None:
    return _source_dir(_discover(_packages())[workload_name][0])


def study_dir(study_name: str) -> str | None:
    return _source_dir(_discover(_study_packages(), "STUDY", Study)[study_name][0])


def framework_module_name(workload_name: str, framework: str) -> str:
    module_name, _ = _discover(_packages())[workload_name]
    return f"{module_name}.{framework}_impl"


def _study_packages() -> tuple[str, ...]:
    return _packages(DEFAULT_STUDY_PACKAGES, "FWBENCH_EXTRA_STUDIES")


def studies() -> dict[str, Study]:
    return {name: s for name, (_, s) in sorted(_discover(_study_packages(), "STUDY", Study).items())}


def study_module_name(study_name: str, framework: str | None) -> str:
    """`<study package>.<framework>_impl`, or `<study package>.task` for a framework-free study."""
    module_name, _ = _discover(_study_packages(), "STUDY", Study)[study_name]
    return f"{module_name}.{framework}_impl" if framework else f"{module_name}.task"
