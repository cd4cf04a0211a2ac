"""The footprint task itself, the same for every framework: only the names differ."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Mapping

from benchmarks.studies.footprint import DISTRIBUTIONS, FRESH_VENV_PRESETS, IMPORT_REPEATS
from benchmarks.studies.footprint.fresh_env import NoPackageIndex
from benchmarks.studies.footprint.fresh_env import measure as measure_fresh_venv
from benchmarks.studies.footprint.import_time import import_seconds
from benchmarks.studies.footprint.metadata import installed_finder, installed_size, requirement_closure

CONSTRAINTS = Path(__file__).resolve().parents[3] / "constraints.txt"


def run(spec: Mapping[str, Any]) -> dict:
    candidates, module = DISTRIBUTIONS[spec["framework"]]
    find = installed_finder()
    distribution = next((name for name in candidates if find(name) is not None), None)
    if distribution is None:
        raise NotImplementedError(f"none of {', '.join(candidates)} is installed in this environment")
    closure, missing = requirement_closure(distribution, find)
    sizes = [installed_size(d) for d in closure]
    root = sizes[0]
    return {
        "distribution": distribution,
        "version": root.version,
        "module": module,
        "closure": [vars(s) for s in sorted(sizes, key=lambda s: -s.installed_bytes)],
        "missing": missing,
        "root_installed_bytes": root.installed_bytes,
        "closure_installed_bytes": sum(s.installed_bytes for s in sizes),
        "import_seconds": import_seconds(sys.executable, module, IMPORT_REPEATS),
        "fresh_venv": fresh_venv(spec, f"{distribution}=={root.version}", module),
    }


def fresh_venv(spec: Mapping[str, Any], requirement: str, module: str) -> dict:
    if not spec["config"].get("fresh_venv"):
        return {"status": "not_run", "reason": f"measured in the {', '.join(FRESH_VENV_PRESETS)} preset only "
                                               "(it downloads and installs the framework: minutes)"}
    try:
        return measure_fresh_venv(requirement, module, CONSTRAINTS if CONSTRAINTS.exists() else None, IMPORT_REPEATS)
    except NoPackageIndex as exc:
        return {"status": "unsupported", "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - recorded with the rest of the task's data
        return {"status": "failed", "reason": f"{type(exc).__name__}: {' '.join(str(exc).split())[:600]}"}
