"""The LSTM classifier in idiomatic Keras: two keras.layers.LSTM and a Dense head.

Every LSTM argument not set here is left at its default, which is what keeps Keras on
the cuDNN kernel on GPU (tanh/sigmoid, no recurrent dropout, unroll=False, use_bias=True).
Modes and precision come from TensorFlowCase.
"""

from __future__ import annotations

from typing import Any, Mapping

import keras
import numpy as np

from benchmarks.frameworks.tensorflow_runtime import TensorFlowCase
from benchmarks.workloads.lstm import N_LAYERS


def build_lstm_classifier(config: Mapping[str, Any]) -> keras.Model:
    layers = [keras.Input(shape=(config["seq_len"], config["n_features"]))]
    # Every layer but the top one hands its whole sequence up; the top one returns its last hidden state.
    layers += [keras.layers.LSTM(config["hidden_units"], return_sequences=layer < N_LAYERS - 1)
               for layer in range(N_LAYERS)]
    # Logits in float32 under mixed precision, as the Keras mixed-precision guide asks of the last layer.
    layers.append(keras.layers.Dense(config["n_classes"], dtype="float32"))
    return keras.Sequential(layers)


class TensorFlowLSTM(TensorFlowCase):
    def build_model(self, config: Mapping[str, Any]) -> keras.Model:
        return build_lstm_classifier(config)

    def _lstm_layers(self) -> list[keras.layers.LSTM]:
        return [layer for layer in self.model.layers if isinstance(layer, keras.layers.LSTM)]

    def _head(self) -> keras.layers.Dense:
        return self.model.layers[-1]

    def get_weights(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self._lstm_layers()):
            cell = layer.cell
            out[f"lstm_{i}.kernel"] = np.asarray(cell.kernel.numpy())
            out[f"lstm_{i}.recurrent_kernel"] = np.asarray(cell.recurrent_kernel.numpy())
            out[f"lstm_{i}.bias"] = np.asarray(cell.bias.numpy())
        out["head.kernel"] = np.asarray(self._head().kernel.numpy())
        out["head.bias"] = np.asarray(self._head().bias.numpy())
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        for i, layer in enumerate(self._lstm_layers()):
            cell = layer.cell
            cell.kernel.assign(weights[f"lstm_{i}.kernel"])
            cell.recurrent_kernel.assign(weights[f"lstm_{i}.recurrent_kernel"])
            cell.bias.assign(weights[f"lstm_{i}.bias"])
        self._head().kernel.assign(weights["head.kernel"])
        self._head().bias.assign(weights["head.bias"])


def create(workload, config, device: str, threads: int) -> TensorFlowLSTM:
    return TensorFlowLSTM(workload, config, device, threads)
