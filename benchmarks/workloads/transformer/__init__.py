"""BERT-style Transformer encoder classifier on synthetic token sequences.

The attention-and-matmul workload: each framework runs its own attention block
(torch's scaled_dot_product_attention, Keras's MultiHeadAttention) from the same weights.
"""

from typing import Mapping

import numpy as np

from benchmarks.workload import ConfigValue, PresetSizes, Workload

CLS_TOKEN = 0  # every sequence starts with it, as BERT's [CLS]; the classifier reads its hidden state
INIT_STDDEV = 0.02  # BERT's initializer_range
# BERT's LayerNorm epsilon, set explicitly in both frameworks (Keras's default is 1e-3, torch's 1e-5).
LAYER_NORM_EPSILON = 1e-12


def initial_weights(sizes: Mapping[str, ConfigValue], seed: int) -> dict[str, np.ndarray]:
    """Normal(0, 0.02) kernels and embeddings, zero biases, LayerNorm gamma 1 and beta 0, as BERT initialises.

    The layout is Keras's: dense kernels (in, out); attention query/key/value kernels
    (d_model, heads, head_dim) with biases (heads, head_dim); attention output kernel
    (heads, head_dim, d_model).
    """
    rng = np.random.default_rng(seed)
    d, heads, ffn = sizes["d_model"], sizes["n_heads"], sizes["ffn_dim"]
    head_dim = d // heads

    def normal(*shape: int) -> np.ndarray:
        return rng.normal(0.0, INIT_STDDEV, size=shape).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def layer_norm(name: str) -> dict[str, np.ndarray]:
        return {f"{name}.gamma": np.ones(d, dtype=np.float32), f"{name}.beta": zeros(d)}

    weights = {"token_embedding": normal(sizes["vocab_size"], d), "position_embedding": normal(sizes["seq_len"], d)}
    weights |= layer_norm("embedding_norm")
    for i in range(sizes["n_layers"]):
        block = f"block_{i}"
        for projection in ("query", "key", "value"):
            weights[f"{block}.attention.{projection}.kernel"] = normal(d, heads, head_dim)
            weights[f"{block}.attention.{projection}.bias"] = zeros(heads, head_dim)
        weights[f"{block}.attention.output.kernel"] = normal(heads, head_dim, d)
        weights[f"{block}.attention.output.bias"] = zeros(d)
        weights |= layer_norm(f"{block}.attention_norm")
        weights |= {f"{block}.ffn_in.kernel": normal(d, ffn), f"{block}.ffn_in.bias": zeros(ffn),
                    f"{block}.ffn_out.kernel": normal(ffn, d), f"{block}.ffn_out.bias": zeros(d)}
        weights |= layer_norm(f"{block}.ffn_norm")
    weights |= {"pooler.kernel": normal(d, d), "pooler.bias": zeros(d),
                "head.kernel": normal(d, sizes["n_classes"]), "head.bias": zeros(sizes["n_classes"])}
    return weights


def forward_flops(config: Mapping[str, ConfigValue]) -> float:
    """One forward pass, per sequence of S tokens at width d with F the FFN width, per block:
    Q, K, V and output projections 4·2·S·d², attention QK^T and AV 2·2·S²·d (summed over heads),
    FFN 2·2·S·d·F; then the pooler 2·d² and the head 2·d·classes on the [CLS] token.
    The embedding lookups, LayerNorms, softmax and GELU are not counted."""
    s, d, ffn = config["seq_len"], config["d_model"], config["ffn_dim"]
    block = 4 * 2 * s * d * d + 2 * 2 * s * s * d + 2 * 2 * s * d * ffn
    return float(config["batch_size"] * (config["n_layers"] * block + 2 * d * d + 2 * d * config["n_classes"]))


def dataset(sizes: Mapping[str, ConfigValue], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """[CLS] then uniform random token ids; labels from a fixed random bag-of-words teacher, so the loss can fall.

    The teacher gives each token id a random score per class; a sequence's label is the
    class with the highest summed score over its tokens.
    """
    rng = np.random.default_rng(seed)
    n, seq_len, vocab, n_classes = sizes["n_samples"], sizes["seq_len"], sizes["vocab_size"], sizes["n_classes"]
    tokens = rng.integers(CLS_TOKEN + 1, vocab, size=(n, seq_len), dtype=np.int64)
    tokens[:, 0] = CLS_TOKEN
    teacher = rng.standard_normal((vocab, n_classes), dtype=np.float32)
    labels = np.argmax(teacher[tokens[:, 1:]].sum(axis=1), axis=1).astype(np.int64)
    return tokens, labels


WORKLOAD = Workload(
    name="transformer",
    title="Transformer encoder",
    description=(
        "BERT-style encoder classifier: token and learned position embeddings summed and layer-normalised, "
        "post-LayerNorm blocks of multi-head self-attention and a GELU (exact, erf) feed-forward layer, "
        "BERT's tanh pooler on the [CLS] token, then a linear head; softmax cross-entropy, SGD with momentum. "
        "Attention is each framework's own (torch scaled_dot_product_attention, Keras MultiHeadAttention), "
        "bidirectional with no padding mask (every sequence is full length). No dropout, so every run is "
        "deterministic. Inputs are uniform random token ids labelled by a fixed random bag-of-words teacher."
    ),
    hyperparameters={
        # SGD with momentum, not Adam (as the MLP; the runtimes map nothing else): Keras and
        # torch place Adam's epsilon differently, so their "Adam" steps differ.
        "optimizer": "sgd_momentum",
        "learning_rate": 0.01,
        "momentum": 0.9,
        "activation": "gelu (exact, erf)",
        "attention": "bidirectional, no mask, scale 1/sqrt(head_dim)",
        "pooler": "dense d_model→d_model with tanh on the [CLS] token (as BERT)",
        "layer_norm_epsilon": LAYER_NORM_EPSILON,
        "dropout": 0.0,
        "kernel_init": f"normal(0, {INIT_STDDEV})",
        "bias_init": "zeros",
        "loss": "softmax cross-entropy, mean over the batch",
    },
    initial_weights=initial_weights,
    dataset=dataset,
    flops=forward_flops,
    presets={
        "quick": PresetSizes(
            model={"vocab_size": 1000, "seq_len": 32, "d_model": 64, "n_heads": 4, "n_layers": 2,
                   "ffn_dim": 256, "n_classes": 4, "n_samples": 256},
            batch_size=32, inference_batch=128,
        ),
        # BERT-mini width (d_model 256, 4 heads) at sequence 128 with 2 layers, and a small vocabulary.
        "full": PresetSizes(
            # 2 layers (BERT-tiny depth at BERT-mini width) keep the full preset inside its hour on 2 cores.
            model={"vocab_size": 8192, "seq_len": 128, "d_model": 256, "n_heads": 4, "n_layers": 2,
                   "ffn_dim": 1024, "n_classes": 4, "n_samples": 128},
            batch_size=8, batch_sweep=(2, 32), inference_batch=64,
        ),
        # BERT-base's shape.
        "gpu": PresetSizes(
            model={"vocab_size": 30522, "seq_len": 128, "d_model": 768, "n_heads": 12, "n_layers": 12,
                   "ffn_dim": 3072, "n_classes": 4, "n_samples": 2048},
            batch_size=32, batch_sweep=(16, 64), inference_batch=128,
        ),
    },
)
