"""The encoder in idiomatic Keras: a functional model of keras.layers.MultiHeadAttention blocks.

Modes and precision come from TensorFlowCase. Keras's own layout is the neutral one of
benchmarks.workloads.transformer, so weights are assigned as they are.
"""

from __future__ import annotations

from typing import Any, Mapping

import keras
import numpy as np

from benchmarks.frameworks.tensorflow_runtime import TensorFlowCase
from benchmarks.workloads.transformer import LAYER_NORM_EPSILON


class PositionEmbedding(keras.layers.Layer):
    """Adds a learned (seq_len, d_model) position embedding; Keras has no built-in layer for it."""

    def build(self, input_shape) -> None:
        self.embedding = self.add_weight(name="embedding", shape=tuple(input_shape[1:]), initializer="zeros")

    def call(self, x):
        return x + self.embedding


class EncoderBlock(keras.layers.Layer):
    """Post-LayerNorm, as BERT: each sublayer's output is added to its input, then normalised."""

    def __init__(self, d_model: int, n_heads: int, ffn_dim: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.attention = keras.layers.MultiHeadAttention(n_heads, d_model // n_heads, name="attention")
        self.attention_norm = keras.layers.LayerNormalization(epsilon=LAYER_NORM_EPSILON, name="attention_norm")
        # Keras's gelu is exact (erf) by default, as torch's.
        self.ffn_in = keras.layers.Dense(ffn_dim, activation="gelu", name="ffn_in")
        self.ffn_out = keras.layers.Dense(d_model, name="ffn_out")
        self.ffn_norm = keras.layers.LayerNormalization(epsilon=LAYER_NORM_EPSILON, name="ffn_norm")

    def call(self, x):
        x = self.attention_norm(x + self.attention(x, x))
        return self.ffn_norm(x + self.ffn_out(self.ffn_in(x)))


def build_encoder_classifier(config: Mapping[str, Any]) -> keras.Model:
    d_model = config["d_model"]
    tokens = keras.Input(shape=(config["seq_len"],), dtype="int64")
    x = keras.layers.Embedding(config["vocab_size"], d_model, name="token_embedding")(tokens)
    x = PositionEmbedding(name="position_embedding")(x)
    x = keras.layers.LayerNormalization(epsilon=LAYER_NORM_EPSILON, name="embedding_norm")(x)
    for i in range(config["n_layers"]):
        x = EncoderBlock(d_model, config["n_heads"], config["ffn_dim"], name=f"block_{i}")(x)
    pooled = keras.layers.Dense(d_model, activation="tanh", name="pooler")(x[:, 0])  # BERT's pooler on [CLS]
    # Logits in float32 under mixed precision, as the Keras mixed-precision guide asks of the last layer.
    logits = keras.layers.Dense(config["n_classes"], dtype="float32", name="head")(pooled)
    return keras.Model(tokens, logits)


class TensorFlowTransformer(TensorFlowCase):
    def build_model(self, config: Mapping[str, Any]) -> keras.Model:
        return build_encoder_classifier(config)

    def _named_variables(self) -> dict[str, keras.Variable]:
        """Every trainable variable under its neutral name."""
        model = self.model
        variables = {"token_embedding": model.get_layer("token_embedding").embeddings,
                     "position_embedding": model.get_layer("position_embedding").embedding}

        def layer_norm(name: str, norm: keras.layers.LayerNormalization) -> None:
            variables[f"{name}.gamma"], variables[f"{name}.beta"] = norm.gamma, norm.beta

        def dense(name: str, layer) -> None:  # Dense or MultiHeadAttention's EinsumDense projections
            variables[f"{name}.kernel"], variables[f"{name}.bias"] = layer.kernel, layer.bias

        layer_norm("embedding_norm", model.get_layer("embedding_norm"))
        for i in range(self.config["n_layers"]):
            block = model.get_layer(f"block_{i}")
            attention = block.attention
            dense(f"block_{i}.attention.query", attention.query_dense)
            dense(f"block_{i}.attention.key", attention.key_dense)
            dense(f"block_{i}.attention.value", attention.value_dense)
            dense(f"block_{i}.attention.output", attention.output_dense)
            layer_norm(f"block_{i}.attention_norm", block.attention_norm)
            dense(f"block_{i}.ffn_in", block.ffn_in)
            dense(f"block_{i}.ffn_out", block.ffn_out)
            layer_norm(f"block_{i}.ffn_norm", block.ffn_norm)
        dense("pooler", model.get_layer("pooler"))
        dense("head", model.get_layer("head"))
        if len(variables) != len(model.trainable_variables):
            raise RuntimeError("a variable of the encoder has no neutral name")
        return variables

    def get_weights(self) -> dict[str, np.ndarray]:
        return {name: np.asarray(variable.numpy()) for name, variable in self._named_variables().items()}

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        for name, variable in self._named_variables().items():
            variable.assign(weights[name])


def create(workload, config, device: str, threads: int) -> TensorFlowTransformer:
    return TensorFlowTransformer(workload, config, device, threads)
