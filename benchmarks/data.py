"""Synthetic data generated from a seed, so both frameworks train on exactly the same numbers."""

from __future__ import annotations

import numpy as np


def synthetic_classification(
    n_samples: int, input_dim: int, n_classes: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian inputs labelled by a fixed random linear teacher: learnable, so the loss falls."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_samples, input_dim), dtype=np.float32)
    teacher = rng.standard_normal((input_dim, n_classes), dtype=np.float32)
    y = np.argmax(x @ teacher, axis=1).astype(np.int64)
    return x, y


def batches(x: np.ndarray, y: np.ndarray, batch_size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Fixed, in-order batches: the harness cycles through them so data order is identical."""
    n = (len(x) // batch_size) * batch_size
    if n == 0:
        raise ValueError(f"{len(x)} samples cannot fill one batch of {batch_size}")
    return [(x[i : i + batch_size], y[i : i + batch_size]) for i in range(0, n, batch_size)]


def cycled_batches(all_batches: list, wanted: int | None) -> list:
    """The first `wanted` batches, which the step cycles through (the settings study's `data_batches`: a minimal
    loop often steps on one batch); all of them when a case sets none."""
    if wanted is None:
        return all_batches
    if not 1 <= int(wanted) <= len(all_batches):
        raise ValueError(f"data_batches={wanted}: choose 1 to {len(all_batches)} (the batches in the data set)")
    return all_batches[:int(wanted)]


def glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """The initialisation both frameworks use by name (Keras glorot_uniform, torch xavier_uniform_)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)
