"""What both framework files share: build the workload's case for inference, pick the inputs,
time the original, and run every declared path as a cell."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from benchmarks import registry
from benchmarks.studies.export import EXPORT_BATCH, OTHER_BATCH, PATHS
from benchmarks.studies.export.cells import ExportPath, median_latency, run_cell


def inference_case(spec: Mapping[str, Any], mode: str) -> Any:
    """The workload's own case, fp32 inference, at the export batch: the model every path exports."""
    workload = registry.workloads()[spec["workload"]]
    sizes = workload.preset(str(spec["config"].get("sizes", spec["preset"])))
    config = {**sizes.model, "task": "infer", "precision": "fp32", "mode": mode,
              "batch_size": int(spec["config"].get("export_batch", EXPORT_BATCH))}
    module = importlib.import_module(registry.framework_module_name(workload.name, spec["framework"]))
    return module.create(workload, config, spec["device"], int(spec["threads"]))


def run_matrix(spec: Mapping[str, Any], case: Any, paths: Callable[[Path], list[ExportPath]],
               native: Callable[[np.ndarray], np.ndarray], framework_version: str) -> dict:
    """Every path of the framework, in the declared order, on the same two input batches.

    `native` turns the case's framework-neutral batch into what the model itself takes (torch's
    ResNet takes NCHW), so exported artifacts are fed exactly what the original was fed.
    """
    other_batch = int(spec["config"].get("other_batch", OTHER_BATCH))
    x_all, _ = case.example_batch()
    x, other_x = x_all, x_all[:other_batch]
    expected, other_expected = case.forward(x), case.forward(other_x)
    declared = PATHS[spec["framework"]]
    with tempfile.TemporaryDirectory(prefix=f"fwbench-export-{spec['workload']}-") as root:
        built = paths(Path(root))
        if [p.path_id for p in built] != list(declared):
            raise RuntimeError(f"{spec['framework']} paths {[p.path_id for p in built]} differ from the declared {list(declared)}")
        cells = []
        for path in built:
            directory = Path(root) / path.path_id
            directory.mkdir()
            cells.append(run_cell(path, directory, native(x), expected, native(other_x), other_expected))
    native_x = native(x)
    return {
        "framework_version": framework_version,
        "export_batch": int(x.shape[0]),
        "other_batch": int(other_x.shape[0]),
        "input_shape": list(native_x.shape),
        "input_dtype": str(native_x.dtype),
        "reference_latency_seconds_median": median_latency(case.forward, x),
        "threads": int(spec["threads"]),
        "cells": [c.model_dump() for c in cells],
    }
