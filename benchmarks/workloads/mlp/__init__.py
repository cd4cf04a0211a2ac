"""MLP classifier on synthetic data: the smallest model, on which framework overhead shows most."""

from typing import Mapping

import numpy as np

from benchmarks.data import glorot_uniform, synthetic_classification
from benchmarks.workload import ConfigValue, PresetSizes, Workload


def initial_weights(sizes: Mapping[str, ConfigValue], seed: int) -> dict[str, np.ndarray]:
    """Glorot-uniform kernels (in, out) and zero biases, as both frameworks' own initialisers would draw."""
    rng = np.random.default_rng(seed)
    widths = [sizes["input_dim"]] + [sizes["hidden_units"]] * sizes["hidden_layers"] + [sizes["n_classes"]]
    weights = {}
    for i, (fan_in, fan_out) in enumerate(zip(widths, widths[1:])):
        weights[f"dense_{i}.kernel"] = glorot_uniform(rng, fan_in, fan_out)
        weights[f"dense_{i}.bias"] = np.zeros(fan_out, dtype=np.float32)
    return weights


def forward_flops(config: Mapping[str, ConfigValue]) -> float:
    """One forward pass: 2·in·out per dense layer (hidden layers and the head) per sample."""
    widths = [config["input_dim"]] + [config["hidden_units"]] * config["hidden_layers"] + [config["n_classes"]]
    return float(config["batch_size"] * sum(2 * a * b for a, b in zip(widths, widths[1:])))


def dataset(sizes: Mapping[str, ConfigValue], seed: int) -> tuple[np.ndarray, np.ndarray]:
    return synthetic_classification(sizes["n_samples"], sizes["input_dim"], sizes["n_classes"], seed)


WORKLOAD = Workload(
    name="mlp",
    title="MLP classifier",
    description=(
        "Fully connected ReLU network with a softmax cross-entropy loss, trained with SGD and momentum "
        "on Gaussian inputs labelled by a fixed random linear teacher."
    ),
    hyperparameters={
        # SGD with momentum, not Adam: Keras adds Adam's epsilon before bias correction and torch
        # after it, so "the same" Adam is a different update where gradients are small. SGD with
        # momentum is the same update in both (torch: v = m·v + g, p -= lr·v; Keras: v = m·v - lr·g, p += v).
        "optimizer": "sgd_momentum",
        "learning_rate": 0.01,
        "momentum": 0.9,
        "activation": "relu",
        "kernel_init": "glorot_uniform",
        "bias_init": "zeros",
        "loss": "softmax cross-entropy, mean over the batch",
    },
    initial_weights=initial_weights,
    dataset=dataset,
    flops=forward_flops,
    presets={
        "quick": PresetSizes(
            model={"n_samples": 1024, "input_dim": 128, "hidden_units": 256, "hidden_layers": 2, "n_classes": 10},
            batch_size=128, inference_batch=512,
        ),
        "full": PresetSizes(
            model={"n_samples": 8192, "input_dim": 784, "hidden_units": 1024, "hidden_layers": 3, "n_classes": 10},
            batch_size=256, batch_sweep=(32, 1024), inference_batch=2048,
        ),
        "gpu": PresetSizes(
            model={"n_samples": 65536, "input_dim": 784, "hidden_units": 4096, "hidden_layers": 3, "n_classes": 10},
            batch_size=1024, batch_sweep=(256, 4096), inference_batch=8192,
        ),
    },
)
