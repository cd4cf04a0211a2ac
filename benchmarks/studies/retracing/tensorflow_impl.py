"""TensorFlow side of the retracing study: tf.function under varying batch sizes.

Traces are counted by TensorFlow itself (`Function.experimental_get_tracing_count()`); each
scenario runs in its own child, so no trace is shared between settings. TensorFlow has no
graph breaks: a Python branch on a tensor is converted by AutoGraph to `tf.cond` (or fails).
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import time
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from benchmarks.studies.retracing import FEATURES, HIDDEN, call_sequence  # noqa: E402


class _Collect(logging.Handler):
    """TensorFlow reports excessive retracing as a logged warning: keep what it said."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = re.sub(r" at 0x[0-9a-f]+", "", record.getMessage().splitlines()[0])
        self.messages.add(message[:300])


def _model() -> tf.keras.Model:
    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential([tf.keras.layers.Dense(HIDDEN, activation="relu"), tf.keras.layers.Dense(10)])


SIGNATURE = [tf.TensorSpec([None, FEATURES], tf.float32)]
# scenario -> (what the user writes, tf.function keyword arguments or None for eager, branch on a value)
SCENARIOS = {
    "eager": ("model(x), no tf.function", None, False),
    "function_default": ("tf.function(forward)", {}, False),
    "function_reduce_retracing": ("tf.function(forward, reduce_retracing=True)", {"reduce_retracing": True}, False),
    "function_input_signature": ("tf.function(forward, input_signature=[TensorSpec([None, features])])",
                                 {"input_signature": SIGNATURE}, False),
    "function_branch": ("tf.function(forward), forward has `if tf.reduce_mean(h) > 0.5:`", {}, True),
}


def run(spec: dict[str, Any]) -> dict[str, Any]:
    config = spec.get("config", {})
    scenario = str(config.get("scenario", "function_default"))
    if scenario not in SCENARIOS:
        raise NotImplementedError(f"unknown tensorflow retracing scenario {scenario!r}")
    api, function_options, branches = SCENARIOS[scenario]
    if spec.get("threads"):
        tf.config.threading.set_intra_op_parallelism_threads(int(spec["threads"]))
        tf.config.threading.set_inter_op_parallelism_threads(1)
    device = "/GPU:0" if spec.get("device") == "cuda" else "/CPU:0"
    if spec.get("device") == "cuda" and not tf.config.list_physical_devices("GPU"):
        raise NotImplementedError("CUDA requested but TensorFlow sees no GPU")
    sizes = call_sequence(str(config.get("sizes", spec.get("preset", "quick"))))

    collected = _Collect()
    tf.get_logger().addHandler(collected)
    with tf.device(device):
        model = _model()
        model.build((None, FEATURES))  # variables exist before tracing: a trace counts shapes, not the build

        def forward(x):
            if not branches:
                return model(x)
            h = model.layers[0](x)
            if tf.reduce_mean(h) > 0.5:
                h = h * 0.5
            return model.layers[1](h)

        function = forward if function_options is None else tf.function(forward, **function_options)
        inputs = [tf.random.stateless_normal((n, FEATURES), seed=(0, n)) for n in sizes]
        seconds = []
        for x in inputs:
            start = time.perf_counter()
            function(x).numpy()  # .numpy() waits for the result, on any device
            seconds.append(time.perf_counter() - start)
    traces = 0 if function_options is None else int(function.experimental_get_tracing_count())
    result = {
        "scenario": scenario, "api": api, "batch_sizes": sizes, "traces": traces, "graph_breaks": 0,
        "call_seconds": seconds, "first_call_seconds": seconds[0], "total_seconds": sum(seconds),
        "steady_call_seconds": statistics.median(seconds[len(sizes) // 2:]),
        "warnings": sorted(collected.messages),
    }
    return {"framework_version": tf.__version__, "features": FEATURES, "hidden_units": HIDDEN, "scenario": result}
