"""Runs one ecosystem check (its id is spec["config"]["check"]); each import happens inside its
check, because KERAS_BACKEND must be set before keras is first imported."""

from __future__ import annotations

import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from benchmarks.studies.ecosystem_checks import CHECKS

SCALARS = [2.5, 1.25, 0.625]


def torch_tensorboard(threads: int) -> dict:
    """Write scalars with torch.utils.tensorboard, then read the event file with TensorBoard's accumulator."""
    import torch
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from torch.utils.tensorboard import SummaryWriter

    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory(prefix="fwbench-tb-") as logdir:
        with SummaryWriter(logdir) as writer:
            for step, value in enumerate(SCALARS):
                writer.add_scalar("loss", value, step)
        (event_file,) = Path(logdir).glob("events.out.tfevents.*")
        accumulator = EventAccumulator(logdir)
        accumulator.Reload()
        read_back = [event.value for event in accumulator.Scalars("loss")]
        size = event_file.stat().st_size
    return {
        "passed": read_back == SCALARS,
        "evidence": {"written": SCALARS, "read_back": read_back, "event_file_bytes": size,
                     "writer": "torch.utils.tensorboard.SummaryWriter",
                     "reader": "tensorboard.backend.event_processing.event_accumulator.EventAccumulator"},
        "versions": {"torch": version("torch"), "tensorboard": version("tensorboard")},
    }


def keras_torch_backend(threads: int) -> dict:
    """Fit a small classifier for a few epochs on the torch backend; the loss must fall."""
    os.environ["KERAS_BACKEND"] = "torch"
    import keras
    import torch

    torch.set_num_threads(threads)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 16)).astype("float32")
    y = (x @ rng.standard_normal(16) > 0).astype("int64")
    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    losses = [float(v) for v in history.history["loss"]]
    weight_type = type(model.layers[0].kernel.value).__module__ + "." + type(model.layers[0].kernel.value).__name__
    return {
        "passed": keras.backend.backend() == "torch" and losses[-1] < losses[0],
        "evidence": {"backend": keras.backend.backend(), "epochs": len(losses), "loss_per_epoch": losses,
                     "weight_tensor_type": weight_type},
        "versions": {"keras": version("keras"), "torch": version("torch")},
    }


def run(spec: Mapping[str, Any]) -> dict:
    check = str(spec["config"]["check"])
    if check not in CHECKS:
        raise ValueError(f"unknown ecosystem check {check!r}; known: {', '.join(CHECKS)}")
    result = {"torch_tensorboard": torch_tensorboard, "keras_torch_backend": keras_torch_backend}[check](int(spec["threads"]))
    return {"check": check, "claim": CHECKS[check], **result}
