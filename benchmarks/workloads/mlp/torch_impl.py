"""The MLP in idiomatic PyTorch: an nn.Module of nn.Linear layers; modes and precision come from TorchCase."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.frameworks.torch_runtime import TorchCase


class MLP(nn.Module):
    def __init__(self, input_dim: int, hidden_units: int, hidden_layers: int, n_classes: int) -> None:
        super().__init__()
        widths = [input_dim] + [hidden_units] * hidden_layers
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.head = nn.Linear(widths[-1], n_classes)
        for layer in self.linear_layers():
            nn.init.xavier_uniform_(layer.weight)  # = Keras glorot_uniform (then replaced by the shared weights)
            nn.init.zeros_(layer.bias)

    def linear_layers(self) -> list[nn.Linear]:
        return [*self.hidden, self.head]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.head(x)


class TorchMLP(TorchCase):
    def build_model(self, config: Mapping[str, Any]) -> MLP:
        return MLP(config["input_dim"], config["hidden_units"], config["hidden_layers"], config["n_classes"])

    def get_weights(self) -> dict[str, np.ndarray]:
        """Framework-neutral layout: kernel (in, out), as Keras stores it."""
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self.model.linear_layers()):
            out[f"dense_{i}.kernel"] = layer.weight.detach().cpu().numpy().T.copy()
            out[f"dense_{i}.bias"] = layer.bias.detach().cpu().numpy().copy()
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        with torch.no_grad():
            for i, layer in enumerate(self.model.linear_layers()):
                layer.weight.copy_(self.tensor(weights[f"dense_{i}.kernel"].T))
                layer.bias.copy_(self.tensor(weights[f"dense_{i}.bias"]))


def create(workload, config, device: str, threads: int) -> TorchMLP:
    return TorchMLP(workload, config, device, threads)
