"""The encoder in idiomatic PyTorch: nn.Linear projections around F.scaled_dot_product_attention.

Modes and precision come from TorchCase. Weights are exchanged in the Keras layout of
benchmarks.workloads.transformer, so nn.Linear weights are transposed and the attention
projections reshaped from (d_model, heads, head_dim) on the way in.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.frameworks.torch_runtime import TorchCase
from benchmarks.workloads.transformer import LAYER_NORM_EPSILON


class SelfAttention(nn.Module):
    """Multi-head self-attention whose core is torch's fused scaled_dot_product_attention (no mask, no dropout)."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.value = nn.Linear(d_model, d_model)
        self.output = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, seq_len, d_model = x.shape

        def split_heads(t: torch.Tensor) -> torch.Tensor:  # (batch, heads, seq, head_dim)
            return t.view(batch, seq_len, self.n_heads, d_model // self.n_heads).transpose(1, 2)

        attended = F.scaled_dot_product_attention(split_heads(self.query(x)), split_heads(self.key(x)),
                                                  split_heads(self.value(x)))
        return self.output(attended.transpose(1, 2).reshape(batch, seq_len, d_model))


class EncoderBlock(nn.Module):
    """Post-LayerNorm, as BERT: each sublayer's output is added to its input, then normalised."""

    def __init__(self, d_model: int, n_heads: int, ffn_dim: int) -> None:
        super().__init__()
        self.attention = SelfAttention(d_model, n_heads)
        self.attention_norm = nn.LayerNorm(d_model, eps=LAYER_NORM_EPSILON)
        self.ffn_in = nn.Linear(d_model, ffn_dim)
        self.gelu = nn.GELU(approximate="none")  # exact (erf), as Keras's gelu by default
        self.ffn_out = nn.Linear(ffn_dim, d_model)
        self.ffn_norm = nn.LayerNorm(d_model, eps=LAYER_NORM_EPSILON)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.attention_norm(x + self.attention(x))
        return self.ffn_norm(x + self.ffn_out(self.gelu(self.ffn_in(x))))


class EncoderClassifier(nn.Module):
    def __init__(self, vocab_size: int, seq_len: int, d_model: int, n_heads: int, n_layers: int, ffn_dim: int,
                 n_classes: int) -> None:
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Parameter(torch.zeros(seq_len, d_model))
        self.embedding_norm = nn.LayerNorm(d_model, eps=LAYER_NORM_EPSILON)
        self.blocks = nn.ModuleList(EncoderBlock(d_model, n_heads, ffn_dim) for _ in range(n_layers))
        self.pooler = nn.Linear(d_model, d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embedding_norm(self.token_embedding(tokens) + self.position_embedding[: tokens.shape[1]])
        for block in self.blocks:
            x = block(x)
        pooled = torch.tanh(self.pooler(x[:, 0]))  # BERT's pooler on the [CLS] token
        return self.head(pooled)


class TorchTransformer(TorchCase):
    def build_model(self, config: Mapping[str, Any]) -> EncoderClassifier:
        return EncoderClassifier(config["vocab_size"], config["seq_len"], config["d_model"], config["n_heads"],
                                 config["n_layers"], config["ffn_dim"], config["n_classes"])

    def _named_parameters(self) -> dict[str, tuple[torch.Tensor, str]]:
        """Every parameter under its neutral name, with how its layout differs from the neutral one.

        "linear": nn.Linear weight (out, in), neutral (in, out). "heads_in": query/key/value
        weight (heads·head_dim, d_model), neutral (d_model, heads, head_dim); its bias is
        "heads_bias", neutral (heads, head_dim). "heads_out": output weight (d_model,
        heads·head_dim), neutral (heads, head_dim, d_model). "same": identical layout.
        """
        model = self.model
        params: dict[str, tuple[torch.Tensor, str]] = {
            "token_embedding": (model.token_embedding.weight, "same"),
            "position_embedding": (model.position_embedding, "same"),
        }

        def layer_norm(name: str, norm: nn.LayerNorm) -> None:
            params[f"{name}.gamma"] = (norm.weight, "same")
            params[f"{name}.beta"] = (norm.bias, "same")

        def linear(name: str, layer: nn.Linear, weight_kind: str = "linear", bias_kind: str = "same") -> None:
            params[f"{name}.kernel"] = (layer.weight, weight_kind)
            params[f"{name}.bias"] = (layer.bias, bias_kind)

        layer_norm("embedding_norm", model.embedding_norm)
        for i, block in enumerate(model.blocks):
            prefix = f"block_{i}"
            for projection in ("query", "key", "value"):
                linear(f"{prefix}.attention.{projection}", getattr(block.attention, projection), "heads_in",
                       "heads_bias")
            linear(f"{prefix}.attention.output", block.attention.output, "heads_out")
            layer_norm(f"{prefix}.attention_norm", block.attention_norm)
            linear(f"{prefix}.ffn_in", block.ffn_in)
            linear(f"{prefix}.ffn_out", block.ffn_out)
            layer_norm(f"{prefix}.ffn_norm", block.ffn_norm)
        linear("pooler", model.pooler)
        linear("head", model.head)
        if len(params) != len(list(model.parameters())):
            raise RuntimeError("a parameter of the encoder has no neutral name")
        return params

    def get_weights(self) -> dict[str, np.ndarray]:
        heads = self.config["n_heads"]
        return {name: TO_NEUTRAL[kind](param.detach().cpu().numpy(), heads).copy()
                for name, (param, kind) in self._named_parameters().items()}

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        heads = self.config["n_heads"]
        with torch.no_grad():
            for name, (param, kind) in self._named_parameters().items():
                param.copy_(self.tensor(FROM_NEUTRAL[kind](weights[name], heads)))


# Torch layout → neutral layout, per kind of parameter (see TorchTransformer._named_parameters).
TO_NEUTRAL = {
    "same": lambda w, heads: w,
    "linear": lambda w, heads: w.T,
    "heads_in": lambda w, heads: w.T.reshape(w.shape[1], heads, -1),
    "heads_bias": lambda b, heads: b.reshape(heads, -1),
    "heads_out": lambda w, heads: w.T.reshape(heads, -1, w.shape[0]),
}
# Neutral layout → torch layout.
FROM_NEUTRAL = {
    "same": lambda k, heads: k,
    "linear": lambda k, heads: k.T,
    "heads_in": lambda k, heads: k.reshape(k.shape[0], -1).T,
    "heads_bias": lambda b, heads: b.reshape(-1),
    "heads_out": lambda k, heads: k.reshape(-1, k.shape[-1]).T,
}


def create(workload, config, device: str, threads: int) -> TorchTransformer:
    return TorchTransformer(workload, config, device, threads)
