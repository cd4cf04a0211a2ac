"""Step-by-step upgrades of older result files: UPGRADES[v] turns a version-v dict into version v+1.

Each upgrade states what the older version did not record and fills it with what the code of
that time did, so an old run is described by its own rules, never by today's constants.
"""

from __future__ import annotations

from typing import Any, Callable

from contract.schema import case_id_for


def upgrade_v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (the walking skeleton) measured fp32 training only, in each framework's default mode."""
    default_mode = {"torch": "eager", "tensorflow": "function"}
    for case in raw.get("cases", []):
        case["config"] = {"task": "train", "precision": "fp32",
                          "mode": default_mode.get(case["framework"], "default"), **case["config"]}
        case["case_id"] = case_id_for(case["workload"], case["framework"], case["device"], case["config"])
    for comparison in raw.get("comparisons", []):
        comparison["config"] = {"task": "train", "precision": "fp32", **comparison["config"]}
        comparison["numerator_mode"] = default_mode.get(comparison["numerator"])
        comparison["denominator_mode"] = default_mode.get(comparison["denominator"])
    return raw


def upgrade_v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added memory by phase per process and the studies; version 2 measured neither."""
    raw.setdefault("studies", [])
    raw["settings"].setdefault("studies", [])
    return raw


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: upgrade_v1_to_v2, 2: upgrade_v2_to_v3}
