"""The training loop of the parity study, shared by both frameworks through the Case interface.

Framework code stays in the workloads' implementations; this loop only decides data,
order and what is recorded, so the two frameworks cannot differ in anything but themselves.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np

from benchmarks import registry
from benchmarks.harness.child_main import framework_module
from benchmarks.presets import DEFAULT_MODES
from benchmarks.studies.accuracy_parity import SPLIT_SEED, VALIDATION_FRACTION, WORKLOAD_SETTINGS


def digits_split(workload: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fixed split, shaped for the workload (flat 64 for the MLP, 16×16×3 NHWC for the CNN)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=VALIDATION_FRACTION, random_state=SPLIT_SEED,
                                                      stratify=y)
    mean, std = x_train.mean(), x_train.std()
    x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    if workload == "resnet":
        x_train, x_val = (np.repeat(np.repeat(a, 2, axis=1), 2, axis=2)[..., None].repeat(3, axis=-1)
                          for a in (x_train, x_val))
    else:
        x_train, x_val = x_train.reshape(len(x_train), -1), x_val.reshape(len(x_val), -1)
    return (np.ascontiguousarray(x_train, dtype=np.float32), y_train,
            np.ascontiguousarray(x_val, dtype=np.float32), y_val)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Mean loss and accuracy, computed in numpy the same way for both frameworks' logits."""
    logits = logits.astype(np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-log_probs[np.arange(len(labels)), labels].mean())
    accuracy = float((logits.argmax(axis=1) == labels).mean())
    return loss, accuracy


def train(spec: dict[str, Any]) -> dict[str, Any]:
    framework, name, config = spec["framework"], spec["workload"], spec["config"]
    workload = registry.workloads()[name]
    settings = WORKLOAD_SETTINGS[name]
    seed, epochs, batch = int(config["seed"]), int(config["epochs"]), int(config["batch_size"])
    x_train, y_train, x_val, y_val = digits_split(name)

    rng = np.random.default_rng(seed)
    steps_per_epoch = len(x_train) // batch
    orders = [rng.permutation(len(x_train))[: steps_per_epoch * batch] for _ in range(epochs)]
    x_stream = np.concatenate([x_train[order] for order in orders])
    y_stream = np.concatenate([y_train[order] for order in orders])
    # The case loads the declared data and weights; here they are the digits in this seed's order
    # and this seed's initial weights, identical for both frameworks.
    adapted = replace(workload, dataset=lambda sizes, _seed: (x_stream, y_stream),
                      initial_weights=lambda sizes, _seed: workload.initial_weights(sizes, seed))
    mode = DEFAULT_MODES[framework][0]
    case_config = {**settings["model"], "n_samples": len(x_stream), "task": "train", "precision": "fp32",
                   "mode": mode, "batch_size": batch}
    if workload.layouts.get(framework):
        case_config["layout"] = workload.layouts[framework][-1]
    case = framework_module(name, framework).create(adapted, case_config, spec["device"], spec["threads"])

    history, train_seconds, reached = [], 0.0, None
    for epoch in range(1, epochs + 1):
        losses = []
        started = time.perf_counter()
        for _ in range(steps_per_epoch):
            losses.append(case.finish(case.step()))
        train_seconds += time.perf_counter() - started
        train_loss_eval, train_accuracy = softmax_cross_entropy(case.forward(x_train), y_train)
        val_loss, val_accuracy = softmax_cross_entropy(case.forward(x_val), y_val)
        history.append({"epoch": epoch, "train_loss": float(np.mean(losses)), "train_accuracy": train_accuracy,
                        "val_loss": val_loss, "val_accuracy": val_accuracy, "train_seconds": train_seconds})
        if reached is None and val_accuracy >= settings["target_accuracy"]:
            reached = (epoch, train_seconds)
    return {
        "seed": seed, "epochs": epochs, "batch_size": batch, "train_samples": len(x_train), "val_samples": len(x_val),
        "target_accuracy": settings["target_accuracy"], "framework_version": case.framework_version,
        "mode": case.mode_detail or mode, "history": history,
        "seconds_to_target": reached[1] if reached else None, "epoch_to_target": reached[0] if reached else None,
    }
