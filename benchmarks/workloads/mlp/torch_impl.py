"""The MLP in idiomatic PyTorch: an nn.Module, torch.optim.SGD, an explicit eager training step."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.data import batches, synthetic_classification
from benchmarks.workload import Workload


class MLP(nn.Module):
    def __init__(self, input_dim: int, hidden_units: int, hidden_layers: int, n_classes: int) -> None:
        super().__init__()
        widths = [input_dim] + [hidden_units] * hidden_layers
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.head = nn.Linear(widths[-1], n_classes)
        for layer in self.linear_layers():
            nn.init.xavier_uniform_(layer.weight)  # = Keras glorot_uniform
            nn.init.zeros_(layer.bias)

    def linear_layers(self) -> list[nn.Linear]:
        return [*self.hidden, self.head]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.head(x)


class TorchMLPCase:
    def __init__(self, workload: Workload, sizes: Mapping[str, int], device: str, threads: int) -> None:
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(threads)
        torch.manual_seed(workload.data_seed)
        self.device = torch.device(device)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True
        hp = workload.hyperparameters
        self.model = MLP(sizes["input_dim"], sizes["hidden_units"], sizes["hidden_layers"], sizes["n_classes"]).to(self.device)
        self.set_weights(workload.initial_weights(sizes, workload.data_seed))
        # fused=True: the implementation torch's docs call fastest, on CPU and CUDA alike.
        self.optimizer = torch.optim.SGD(
            self.model.parameters(), lr=hp["learning_rate"], momentum=hp["momentum"], fused=True
        )
        x, y = synthetic_classification(sizes["n_samples"], sizes["input_dim"], sizes["n_classes"], workload.data_seed)
        # Data lives on the device before timing starts: the step time is the model's, not the input pipeline's.
        self.example = batches(x, y, sizes["batch_size"])[0]
        self.batches = [(self._tensor(bx), self._tensor(by)) for bx, by in batches(x, y, sizes["batch_size"])]
        self.next_batch = 0
        self.framework_version = torch.__version__
        self.device_name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        self.intra_op_threads = torch.get_num_threads()
        self.inter_op_threads = torch.get_num_interop_threads()

    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(array).to(self.device)

    def _step(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        self.model.train()
        self.optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        return loss.detach()

    def train_step(self) -> torch.Tensor:
        x, y = self.batches[self.next_batch % len(self.batches)]
        self.next_batch += 1
        return self._step(x, y)

    def loss_value(self, handle: torch.Tensor) -> float:
        return float(handle.item())  # .item() waits for the device

    def device_peak_memory_bytes(self) -> int | None:
        return int(torch.cuda.max_memory_allocated(self.device)) if self.device.type == "cuda" else None

    def trainable_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters() if p.requires_grad)

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]:
        return self.example

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
                layer.weight.copy_(self._tensor(np.ascontiguousarray(weights[f"dense_{i}.kernel"].T)))
                layer.bias.copy_(self._tensor(weights[f"dense_{i}.bias"]))

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.model.eval()
        with torch.no_grad():
            return self.model(self._tensor(x)).cpu().numpy()

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float:
        return self.loss_value(self._step(self._tensor(x), self._tensor(y)))


def create(workload: Workload, sizes: Mapping[str, int], device: str, threads: int) -> TorchMLPCase:
    return TorchMLPCase(workload, sizes, device, threads)
