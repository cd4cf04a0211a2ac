"""The LSTM classifier in idiomatic PyTorch: nn.LSTM (batch_first) and an nn.Linear head.

Modes and precision come from TorchCase. Weights are exchanged in the Keras layout:
torch's weight_ih / weight_hh are the transposed kernel / recurrent_kernel (same gate order
i, f, g, o), and b_ih is the Keras bias while b_hh stays at zero, frozen (see the workload notes).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import torch
import torch._dynamo.config
from torch import nn

from benchmarks.frameworks.torch_runtime import TorchCase
from benchmarks.workloads.lstm import N_LAYERS


class LSTMClassifier(nn.Module):
    def __init__(self, n_features: int, hidden_units: int, n_classes: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden_units, num_layers=N_LAYERS, batch_first=True)
        self.head = nn.Linear(hidden_units, n_classes)
        for layer in range(N_LAYERS):
            hidden_bias = self.hidden_bias(layer)
            nn.init.zeros_(hidden_bias)
            hidden_bias.requires_grad_(False)  # Keras has one bias per layer: b_ih plays it

    def hidden_bias(self, layer: int) -> nn.Parameter:
        return getattr(self.lstm, f"bias_hh_l{layer}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h_n, _) = self.lstm(x)
        return self.head(h_n[-1])  # the top layer's hidden state after the last time step


class TorchLSTM(TorchCase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.mode == "compile" and not torch._dynamo.config.allow_rnn:
            # Recorded, not worked around: Dynamo's default is to graph-break at nn.LSTM.
            self.mode_detail = ("torch.compile (inductor, default mode); Dynamo graph-breaks at nn.LSTM "
                                "(torch._dynamo.config.allow_rnn=False), so the LSTM runs eagerly "
                                "and only the head is compiled")

    def build_model(self, config: Mapping[str, Any]) -> LSTMClassifier:
        return LSTMClassifier(config["n_features"], config["hidden_units"], config["n_classes"])

    def get_weights(self) -> dict[str, np.ndarray]:
        """Keras layout; the bias is the effective one, b_ih + b_hh (b_hh is zero)."""
        lstm = self.model.lstm

        def array(name: str) -> np.ndarray:
            return getattr(lstm, name).detach().cpu().numpy()

        out: dict[str, np.ndarray] = {}
        for layer in range(N_LAYERS):
            out[f"lstm_{layer}.kernel"] = array(f"weight_ih_l{layer}").T.copy()
            out[f"lstm_{layer}.recurrent_kernel"] = array(f"weight_hh_l{layer}").T.copy()
            out[f"lstm_{layer}.bias"] = array(f"bias_ih_l{layer}") + array(f"bias_hh_l{layer}")
        out["head.kernel"] = self.model.head.weight.detach().cpu().numpy().T.copy()
        out["head.bias"] = self.model.head.bias.detach().cpu().numpy().copy()
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        """In place (copy_), so nn.LSTM's flattened cuDNN weight buffer stays valid on GPU."""
        lstm = self.model.lstm
        with torch.no_grad():
            for layer in range(N_LAYERS):
                getattr(lstm, f"weight_ih_l{layer}").copy_(self.tensor(weights[f"lstm_{layer}.kernel"].T))
                getattr(lstm, f"weight_hh_l{layer}").copy_(self.tensor(weights[f"lstm_{layer}.recurrent_kernel"].T))
                getattr(lstm, f"bias_ih_l{layer}").copy_(self.tensor(weights[f"lstm_{layer}.bias"]))
                self.model.hidden_bias(layer).zero_()
            self.model.head.weight.copy_(self.tensor(weights["head.kernel"].T))
            self.model.head.bias.copy_(self.tensor(weights["head.bias"]))


def create(workload, config, device: str, threads: int) -> TorchLSTM:
    return TorchLSTM(workload, config, device, threads)
