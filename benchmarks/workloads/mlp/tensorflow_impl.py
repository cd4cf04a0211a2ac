"""The MLP in idiomatic TensorFlow: a Keras model, keras SGD, a GradientTape step inside tf.function."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import tensorflow as tf
import keras

from benchmarks.data import batches, synthetic_classification
from benchmarks.workload import Workload


def build_model(sizes: Mapping[str, int], seed: int) -> keras.Model:
    dense = dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seed), bias_initializer="zeros")
    layers = [keras.Input(shape=(sizes["input_dim"],))]
    layers += [keras.layers.Dense(sizes["hidden_units"], activation="relu", **dense) for _ in range(sizes["hidden_layers"])]
    layers.append(keras.layers.Dense(sizes["n_classes"], **dense))
    return keras.Sequential(layers)


class TensorFlowMLPCase:
    def __init__(self, workload: Workload, sizes: Mapping[str, int], device: str, threads: int) -> None:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        gpus = tf.config.list_physical_devices("GPU")
        for gpu in gpus:
            # Without growth TF reserves nearly all GPU memory at start, which also falsifies memory figures.
            tf.config.experimental.set_memory_growth(gpu, True)
        if device == "cuda" and not gpus:
            raise RuntimeError("device cuda requested but TensorFlow sees no GPU")
        self.device = "/GPU:0" if device == "cuda" else "/CPU:0"
        hp = workload.hyperparameters
        with tf.device(self.device):
            self.model = build_model(sizes, workload.data_seed)
            self.set_weights(workload.initial_weights(sizes, workload.data_seed))
            self.optimizer = keras.optimizers.SGD(learning_rate=hp["learning_rate"], momentum=hp["momentum"])
            self.optimizer.build(self.model.trainable_variables)
            self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            x, y = synthetic_classification(sizes["n_samples"], sizes["input_dim"], sizes["n_classes"], workload.data_seed)
            # Data lives on the device before timing starts: the step time is the model's, not the input pipeline's.
            self.example = batches(x, y, sizes["batch_size"])[0]
            self.batches = [(tf.constant(bx), tf.constant(by)) for bx, by in batches(x, y, sizes["batch_size"])]
        self.next_batch = 0
        self._compiled_step = tf.function(self._step)
        self.framework_version = tf.__version__
        self.device_name = gpus[0].name if device == "cuda" else "cpu"
        self.intra_op_threads = tf.config.threading.get_intra_op_parallelism_threads()
        self.inter_op_threads = tf.config.threading.get_inter_op_parallelism_threads()

    def _step(self, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = self.loss_fn(y, self.model(x, training=True))
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss

    def train_step(self) -> tf.Tensor:
        x, y = self.batches[self.next_batch % len(self.batches)]
        self.next_batch += 1
        with tf.device(self.device):
            return self._compiled_step(x, y)

    def loss_value(self, handle: tf.Tensor) -> float:
        return float(handle.numpy())  # .numpy() waits for the device

    def device_peak_memory_bytes(self) -> int | None:
        if self.device == "/CPU:0":
            return None
        return int(tf.config.experimental.get_memory_info("GPU:0")["peak"])

    def _dense_layers(self) -> list[keras.layers.Dense]:
        return [layer for layer in self.model.layers if isinstance(layer, keras.layers.Dense)]

    def trainable_parameters(self) -> int:
        return int(sum(np.prod(v.shape) for v in self.model.trainable_variables))

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]:
        return self.example

    def get_weights(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self._dense_layers()):
            out[f"dense_{i}.kernel"] = layer.kernel.numpy()
            out[f"dense_{i}.bias"] = layer.bias.numpy()
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        for i, layer in enumerate(self._dense_layers()):
            layer.kernel.assign(weights[f"dense_{i}.kernel"])
            layer.bias.assign(weights[f"dense_{i}.bias"])

    def forward(self, x: np.ndarray) -> np.ndarray:
        with tf.device(self.device):
            return self.model(tf.constant(x), training=False).numpy()

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float:
        with tf.device(self.device):
            return self.loss_value(self._compiled_step(tf.constant(x), tf.constant(y)))


def create(workload: Workload, sizes: Mapping[str, int], device: str, threads: int) -> TensorFlowMLPCase:
    return TensorFlowMLPCase(workload, sizes, device, threads)
