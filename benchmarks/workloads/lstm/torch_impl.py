"""The LSTM classifier in idiomatic PyTorch: nn.LSTM (batch_first) and an nn.Linear head.

Modes and precision come from TorchCase. Weights are exchanged in the Keras layout:
torch's weight_ih / weight_hh are the transposed kernel / recurrent_kernel (same gate order
i, f, g, o), and b_ih is the Keras bias while b_hh stays at zero, frozen (see the workload notes).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import torch
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
    def __init__(self, workload, config: Mapping[str, Any], device: str, threads: int) -> None:
        if config.get("precision") == "bf16":
            require_bf16_lstm(device)
        super().__init__(workload, config, device, threads)

    def describe_mode(self) -> str:
        # Recorded, not worked around. Dynamo refuses to wrap nn.LSTM by default, cannot resume
        # after that break ("WON'T CONVERT forward"), and so runs the whole forward eagerly.
        if self.mode == "compile" and not rnn_compiles():
            return ("torch.compile (inductor, default mode) compiles nothing here: Dynamo does not "
                    "trace nn.LSTM (torch._dynamo.config.allow_rnn=False) and falls back to eager "
                    "for the whole forward, head included")
        if self.compiled_update is not None and not rnn_compiles():
            return (f"{super().describe_mode()}; Dynamo does not trace nn.LSTM (torch._dynamo.config.allow_rnn="
                    "False), so the model's forward runs eagerly inside it")
        return super().describe_mode()

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


ONEDNN_NO_PRIMITIVE = "could not create a primitive descriptor"


def require_bf16_lstm(device: str) -> None:
    """Raise NotImplementedError where torch cannot run nn.LSTM under bf16 autocast.

    CPU autocast casts mkldnn_rnn_layer to bf16, and oneDNN has no bf16 LSTM primitive on
    CPUs without AVX-512 (torch.ops.mkldnn._is_mkldnn_bf16_supported() is False there):
    the layer then fails on its first call. A one-unit probe finds out before the case is built,
    so the harness records "unsupported" with the reason instead of a crash.
    """
    probe = nn.LSTM(1, 1).to(device)
    try:
        with torch.autocast(torch.device(device).type, dtype=torch.bfloat16):
            probe(torch.zeros(1, 1, 1, device=device))
    except RuntimeError as exc:
        if ONEDNN_NO_PRIMITIVE not in str(exc):
            raise
        raise NotImplementedError(
            "nn.LSTM under bf16 autocast: torch casts mkldnn_rnn_layer to bf16 and oneDNN has no bf16 LSTM "
            f"primitive on this CPU (no AVX-512 bf16 support): {str(exc).splitlines()[0]}"
        ) from None


def rnn_compiles() -> bool:
    import torch._dynamo.config  # imported only by compile cases, which load Dynamo anyway

    return bool(torch._dynamo.config.allow_rnn)


def create(workload, config, device: str, threads: int) -> TorchLSTM:
    return TorchLSTM(workload, config, device, threads)
