"""Two-layer LSTM sequence classifier on synthetic sequences: a recurrent model, where each
framework's own LSTM kernel (oneDNN/MKL on CPU, cuDNN on GPU) carries the work."""

from typing import Mapping

import numpy as np

from benchmarks.data import glorot_uniform
from benchmarks.workload import ConfigValue, PresetSizes, Workload

N_LAYERS = 2
GATES = 4  # input, forget, cell candidate, output: the order of both torch and Keras


def orthogonal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Keras' Orthogonal initialiser (the LSTM recurrent_kernel default), drawn in numpy.

    QR of a tall Gaussian matrix, signs fixed by diag(R) so the draw is uniform over
    orthogonal matrices, transposed when the target is wide, as Keras does.
    """
    tall = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(tall)
    q *= np.sign(np.diag(r))
    return (q.T if rows < cols else q).astype(np.float32)


def initial_weights(sizes: Mapping[str, ConfigValue], seed: int) -> dict[str, np.ndarray]:
    """Keras LSTM defaults, in the Keras layout (gates concatenated along the last axis).

    kernel (input, 4·units) Glorot-uniform, recurrent_kernel (units, 4·units) orthogonal,
    bias (4·units) zero except the forget gate at 1 (unit_forget_bias); the head's kernel
    Glorot-uniform, its bias zero.
    """
    rng = np.random.default_rng(seed)
    units = sizes["hidden_units"]
    weights = {}
    for layer, fan_in in enumerate([sizes["n_features"]] + [units] * (N_LAYERS - 1)):
        bias = np.zeros(GATES * units, dtype=np.float32)
        bias[units : 2 * units] = 1.0
        weights[f"lstm_{layer}.kernel"] = glorot_uniform(rng, fan_in, GATES * units)
        weights[f"lstm_{layer}.recurrent_kernel"] = orthogonal(rng, units, GATES * units)
        weights[f"lstm_{layer}.bias"] = bias
    weights["head.kernel"] = glorot_uniform(rng, units, sizes["n_classes"])
    weights["head.bias"] = np.zeros(sizes["n_classes"], dtype=np.float32)
    return weights


def forward_flops(config: Mapping[str, ConfigValue]) -> float:
    """One forward pass: per layer and time step the gate matmuls, 2·4H·(input + H) per sample,
    (x_t·W_ih and h_{t-1}·W_hh, the first step's product with the zero initial state included),
    then the head on the last step's hidden state only, 2·H·classes per sample."""
    batch, steps, units = config["batch_size"], config["seq_len"], config["hidden_units"]
    inputs = [config["n_features"]] + [units] * (N_LAYERS - 1)
    gates = sum(2 * GATES * units * (fan_in + units) for fan_in in inputs) * steps
    return float(batch * (gates + 2 * units * config["n_classes"]))


def synthetic_sequences(
    n_samples: int, seq_len: int, n_features: int, n_classes: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian sequences [sample, time, feature] labelled by a fixed random linear teacher on
    the time-mean: the label depends on every step, so the model must carry memory, and the
    loss can fall."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_samples, seq_len, n_features), dtype=np.float32)
    teacher = rng.standard_normal((n_features, n_classes), dtype=np.float32)
    y = np.argmax(x.mean(axis=1) @ teacher, axis=1).astype(np.int64)
    return x, y


def dataset(sizes: Mapping[str, ConfigValue], seed: int) -> tuple[np.ndarray, np.ndarray]:
    return synthetic_sequences(sizes["n_samples"], sizes["seq_len"], sizes["n_features"], sizes["n_classes"], seed)


HIDDEN_BIAS_NOTE = (
    "torch's nn.LSTM has two bias vectors per layer (b_ih and b_hh, the cuDNN layout), Keras one. "
    "With both trainable torch would train 4·units more parameters per layer and SGD would move the "
    "effective bias (b_ih + b_hh) twice as far per step. So torch's b_hh is held at zero and frozen "
    "(requires_grad=False) and b_ih plays the Keras bias: the same function, the same update, the "
    "same count of trainable parameters. Keras does the same when it calls cuDNN, which also takes two "
    "bias vectors: it passes zeros for one of them (keras/src/backend/tensorflow/rnn.py, "
    "full_bias = concat(zeros_like(bias), bias)). Alternatives are worse: bias=False drops both vectors; "
    "a custom Keras cell with two biases leaves the cuDNN path; halving the bias learning rate in torch "
    "still trains more parameters."
)

WORKLOAD = Workload(
    name="lstm",
    title="LSTM sequence classifier",
    description=(
        "Two stacked LSTM layers (batch-first) whose last hidden state feeds a linear softmax head, trained "
        "with SGD and momentum on Gaussian sequences labelled by a fixed random teacher on their time-mean. "
        "Each framework's standard LSTM layer (torch nn.LSTM, keras.layers.LSTM with its cuDNN-eligible "
        "defaults). torch's second bias vector per layer (b_hh) is held at zero and frozen, so both train "
        "the same parameters with the same update."
    ),
    hyperparameters={
        # SGD with momentum for the reason given in the MLP workload: the same update in both frameworks.
        "optimizer": "sgd_momentum",
        "learning_rate": 0.05,
        "momentum": 0.9,
        "layers": N_LAYERS,
        "gate_activation": "sigmoid",
        "cell_activation": "tanh",
        "kernel_init": "glorot_uniform",
        "recurrent_kernel_init": "orthogonal",
        "bias_init": "zeros, forget gate 1 (Keras unit_forget_bias)",
        "torch_hidden_bias": "b_hh held at zero, not trained",
        "loss": "softmax cross-entropy, mean over the batch",
    },
    initial_weights=initial_weights,
    dataset=dataset,
    flops=forward_flops,
    presets={
        "quick": PresetSizes(
            model={"n_samples": 512, "seq_len": 16, "n_features": 16, "hidden_units": 32, "n_classes": 10},
            batch_size=64, inference_batch=256,
        ),
        "full": PresetSizes(
            # seq_len 32 (not 64) keeps the full preset inside its hour: torch eager ≈ 0.1 s a step here.
            model={"n_samples": 512, "seq_len": 32, "n_features": 32, "hidden_units": 256, "n_classes": 10},
            batch_size=64, batch_sweep=(16, 256), inference_batch=512,
        ),
        "gpu": PresetSizes(
            model={"n_samples": 8192, "seq_len": 128, "n_features": 64, "hidden_units": 1024, "n_classes": 10},
            batch_size=256, batch_sweep=(128, 512), inference_batch=1024,
        ),
    },
    notes={"torch_hidden_bias": HIDDEN_BIAS_NOTE},
)
