"""The MLP in idiomatic Keras: a Sequential of Dense layers; modes and precision come from TensorFlowCase."""

from __future__ import annotations

from typing import Any, Mapping

import keras
import numpy as np

from benchmarks.frameworks.tensorflow_runtime import TensorFlowCase


def build_mlp(config: Mapping[str, Any], seed: int) -> keras.Model:
    dense = dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seed), bias_initializer="zeros")
    layers = [keras.Input(shape=(config["input_dim"],))]
    layers += [keras.layers.Dense(config["hidden_units"], activation="relu", **dense) for _ in range(config["hidden_layers"])]
    # Logits in float32 under mixed precision, as the Keras mixed-precision guide asks of the last layer.
    layers.append(keras.layers.Dense(config["n_classes"], dtype="float32", **dense))
    return keras.Sequential(layers)


class TensorFlowMLP(TensorFlowCase):
    def build_model(self, config: Mapping[str, Any]) -> keras.Model:
        return build_mlp(config, seed=0)

    def _dense_layers(self) -> list[keras.layers.Dense]:
        return [layer for layer in self.model.layers if isinstance(layer, keras.layers.Dense)]

    def get_weights(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self._dense_layers()):
            out[f"dense_{i}.kernel"] = np.asarray(layer.kernel.numpy())
            out[f"dense_{i}.bias"] = np.asarray(layer.bias.numpy())
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        for i, layer in enumerate(self._dense_layers()):
            layer.kernel.assign(weights[f"dense_{i}.kernel"])
            layer.bias.assign(weights[f"dense_{i}.bias"])


def create(workload, config, device: str, threads: int) -> TensorFlowMLP:
    return TensorFlowMLP(workload, config, device, threads)
