"""The labelled quantities of which several pages show figures: one label and one definition each.

Inference latency, framework import time and time to a target accuracy each appear on more than one page, measured
in different ways (batch, threads, first call or steady state, what the clock includes). A table shows such a figure
only under a label registered here and prints the label's one definition beside it (`definitions`), so the same
label never means two things and a reader sees in one sentence why two figures of the same kind differ.
tests/test_quantities.py holds every built page to this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    kind: str  # what a reader compares across pages
    label: str  # the column header every table showing it uses
    definition: str  # one sentence: batch, threads, first call or steady state, what is included


@dataclass(frozen=True)
class Kind:
    name: str
    # A table header that matches this names a figure of this kind, so it must be one of the kind's labels.
    header_pattern: re.Pattern


KINDS = {k.name: k for k in (
    Kind("inference latency", re.compile(r"latenc|\bp50\b|\bp99\b", re.I)),
    Kind("framework import time", re.compile(r"\bimport\b(?!.*MiB)", re.I)),
    Kind("time to target", re.compile(r"(seconds|time) to target", re.I)),
)}

QUANTITIES = {key: q for key, q in {
    "latency_per_call": Quantity(
        "inference latency", "latency per call (ms, log scale)",
        "every measured call of every process at batch 1, pooled: one sample per call through the harness's timing "
        "loop in fresh processes (inference mode, the input already on the device, the run's threads), after "
        "warm-up."),
    "latency_p50": Quantity(
        "inference latency", "inference latency at batch 1, p50 (ms)",
        "one sample per call in a fresh process of its own through the harness's timing loop (inference mode, the "
        "input already on the device, the run's threads, the case's mode), after warm-up: each process's median "
        "call, then the median over processes."),
    "latency_p99": Quantity(
        "inference latency", "inference latency at batch 1, p99 (ms)",
        "the same calls as the p50: each process's 99th-percentile call, then the median over processes."),
    "latency_verdict": Quantity(
        "inference latency", "batch-1 latency",
        "which framework's call at batch 1 is shorter, not a time: the ratio of the two frameworks' median inference "
        "step times at batch 1, paired process by process (each framework's best path where the run measured "
        "several, its default otherwise), judged by the run's own rule."),
    "export_latency": Quantity(
        "inference latency", "exported model's latency at the export batch, median",
        "the export study's batch in the export study's one process, each path's artifact in its own runtime, from "
        "NumPy input to NumPy output, the median of its timed calls after one untimed call, with the other paths' "
        "runtimes loaded in the same process and no load gate (the task's machine load is shown with it)."),
    "export_original_latency": Quantity(
        "inference latency", "original model's latency at the export batch, median",
        "the framework's own model called directly (PyTorch eager, TensorFlow eager: no tf.function) at the export "
        "batch in the export study's process after every export path ran there, from NumPy input to NumPy output, "
        "the median of its timed calls after one untimed call."),
    "import_in_timing_process": Quantity(
        "framework import time", "framework import in a timing process (s)",
        "in each fresh timing process, from the harness loaded (NumPy, pydantic and the harness already imported) to "
        "the workload's framework module imported (the framework, its neural-network modules and the model's code): "
        "the median over the case's processes."),
    "import_fresh_interpreter": Quantity(
        "framework import time", "framework import in a fresh interpreter (s)",
        "only `import torch` or `import tensorflow`, timed inside `python -c` in fresh interpreters of the run's "
        "environment, nothing imported before it: the first and the median of several processes."),
    "time_to_target": Quantity(
        "time to target", "median seconds to target",
        "training steps only (evaluation excluded), summed epoch by epoch until the validation accuracy first "
        "reaches the target, on the digits (a small model, batch 32, each framework's default mode, the first "
        "step's tracing included), median over the seeds that reached it; the Performance page times steady steps "
        "of a larger model at a larger batch after warm-up, so the two can rank the frameworks differently."),
    "time_to_target_per_seed": Quantity(
        "time to target", "seconds to target",
        "the same clock for one seed: training steps only, summed until the validation accuracy first reaches the "
        "target."),
}.items()}


def label(key: str) -> str:
    return QUANTITIES[key].label


def definition_line(key: str) -> str:
    """`**label**: definition` as the pages print it (the test reads it back in this form)."""
    quantity = QUANTITIES[key]
    return f"**{quantity.label}**: {quantity.definition}"


def definitions(*keys: str) -> str:
    """The definitions of the quantities a table shows, one line each, to print under it."""
    return "\n\n".join(definition_line(key) for key in keys)
