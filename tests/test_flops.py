"""Each workload's declared FLOP formula (Workload.flops) against torch.utils.flop_counter.

The counter sees no FLOPs in two fused CPU kernels: nn.LSTM's oneDNN kernel (mkldnn_rnn_layer)
and scaled_dot_product_attention's CPU flash kernel (_scaled_dot_product_flash_attention_for_cpu),
neither of which has a formula in torch 2.13's flop_counter. The check therefore counts with
oneDNN disabled (nn.LSTM then runs torch's own decomposition into addmm/mm/bmm, same weights)
and SDPA's math backend (QK^T and AV as bmm), through the harness's own count_step_flops on the
real torch case; `test_the_harness_counter_misses_fused_kernels` records what it misses without.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib

import pytest
import torch
from torch.nn.attention import SDPBackend, sdpa_kernel

from benchmarks import registry
from benchmarks.frameworks import torch_runtime
from benchmarks.workload import TRAIN_FORWARD_MULTIPLE, step_flops
from benchmarks.workloads import lstm, resnet

# Exact, up to float rounding: each formula counts the very products the counter counts, both are
# integer sums far below 2**53, so any difference is a missing or extra term. A looser 1 % would let
# real errors through: the smallest term, the transformer's classifier head, is 5e-6 of its full count.
RELATIVE_TOLERANCE = 1e-9

WORKLOADS = {name: w for name, w in registry.workloads().items() if w.flops is not None}
# quick and full at their reference batch, forward and a training step (each well under a second here);
# gpu sizes (ResNet-50 at 224², BERT-base, the 1024-unit LSTM) forward only, at batch 2.
GPU_BATCH = 2
CASES = [(name, preset) for name in WORKLOADS for preset in ("quick", "full")]


def config(name: str, preset: str, task: str) -> dict:
    sizes = WORKLOADS[name].sizes(preset)
    if preset == "gpu":
        sizes |= {"batch_size": GPU_BATCH, "n_samples": GPU_BATCH}
    return {**sizes, "task": task, "precision": "fp32", "mode": "eager"}


@pytest.fixture(autouse=True)
def one_process_many_cases(monkeypatch):
    """torch allows set_num_interop_threads once per process; these cases keep the process's threads."""
    monkeypatch.setattr(torch_runtime, "configure_threads", lambda threads, inter_op_threads=None: None)


@contextlib.contextmanager
def decomposed():
    """Fused kernels the counter cannot see, replaced by the matmuls it counts."""
    # None leaves oneDNN's other flags alone (flags() would otherwise set allow_tf32, which warns on CPU).
    oneDNN_off = torch.backends.mkldnn.flags(enabled=False, deterministic=None, allow_tf32=None, fp32_precision=None)
    with oneDNN_off, sdpa_kernel(SDPBackend.MATH):
        yield


def counted(name: str, cfg: dict, context=decomposed) -> float:
    """FLOPs of one harness step (torch, CPU, eager, fp32), as the harness's count_step_flops counts them."""
    module = importlib.import_module(registry.framework_module_name(name, "torch"))
    case = module.create(WORKLOADS[name], cfg, "cpu", 1)
    with context():
        return torch_runtime.count_step_flops(case)


def not_executed(name: str, cfg: dict) -> float:
    """Backward products that 3x forward counts but no framework runs: none needs the gradient with respect
    to the data (the first layer's input), nor, in the LSTM, to the zero initial state (step 0's h·W_hh)."""
    b = cfg["batch_size"]
    if name == "mlp":
        return 2.0 * b * cfg["input_dim"] * (cfg["hidden_units"] if cfg["hidden_layers"] else cfg["n_classes"])
    if name == "resnet":
        return float(b * resnet.conv_flops(cfg["image_size"], resnet.plan(cfg).stem)[0])
    if name == "transformer":
        return 0.0  # its first matmuls take the embeddings, whose gradient is needed
    if name == "lstm":
        h = cfg["hidden_units"]
        first_input = 2 * b * cfg["seq_len"] * cfg["n_features"] * lstm.GATES * h
        initial_state = lstm.N_LAYERS * 2 * b * h * lstm.GATES * h
        return float(first_input + initial_state)
    raise KeyError(f"no statement of {name!r}'s unexecuted backward products: add one here")


@pytest.mark.parametrize("name,preset", CASES + [(name, "gpu") for name in WORKLOADS])
def test_forward_formula_matches_the_counter(name, preset):
    cfg = config(name, preset, "infer")
    analytic = WORKLOADS[name].flops(cfg)
    assert step_flops(WORKLOADS[name], cfg) == analytic
    assert counted(name, cfg) == pytest.approx(analytic, rel=RELATIVE_TOLERANCE)


@pytest.mark.parametrize("name,preset", CASES)
def test_training_step_is_three_forwards_less_the_unneeded_input_gradients(name, preset):
    cfg = config(name, preset, "train")
    forward = WORKLOADS[name].flops(cfg)
    assert step_flops(WORKLOADS[name], cfg) == TRAIN_FORWARD_MULTIPLE * forward
    assert counted(name, cfg) == pytest.approx(TRAIN_FORWARD_MULTIPLE * forward - not_executed(name, cfg),
                                               rel=RELATIVE_TOLERANCE)


def test_the_harness_counter_misses_fused_kernels():
    """Why the formulas exist: as count_step_flops runs (oneDNN on, default SDPA) the LSTM layers and the
    attention products count zero, while the MLP and ResNet (plain addmm/convolution) count in full."""
    for name in ("mlp", "resnet"):
        cfg = config(name, "quick", "infer")
        assert counted(name, cfg, contextlib.nullcontext) == WORKLOADS[name].flops(cfg)
    cfg = config("lstm", "full", "train")
    assert counted("lstm", cfg, contextlib.nullcontext) == 983_040  # the number: the head alone
    cfg = config("transformer", "quick", "infer")
    attention = cfg["batch_size"] * cfg["n_layers"] * 2 * 2 * cfg["seq_len"] ** 2 * cfg["d_model"]
    assert counted("transformer", cfg, contextlib.nullcontext) == WORKLOADS["transformer"].flops(cfg) - attention


def test_lstm_count_includes_its_layers():
    # full, training: 3 × 64 × (32 × 2·1024·(32+256) + 32 × 2·1024·(256+256) + 2·256·10), by hand.
    full = config("lstm", "full", "train")
    assert step_flops(WORKLOADS["lstm"], full) == 3 * 64 * (32 * 2 * 1024 * 288 + 32 * 2 * 1024 * 512 + 2 * 256 * 10)
    assert step_flops(WORKLOADS["lstm"], full) > 10_000 * 983_040
    quick = config("lstm", "quick", "train")
    head_only = TRAIN_FORWARD_MULTIPLE * 2 * quick["batch_size"] * quick["hidden_units"] * quick["n_classes"]
    assert step_flops(WORKLOADS["lstm"], quick) > 500 * head_only


def test_the_four_workloads_declare_a_formula():
    # A workload without one is allowed (it gets no fraction-of-peak); each with one is checked above.
    assert {"lstm", "mlp", "resnet", "transformer"} <= set(WORKLOADS)


def test_step_flops_conventions_and_bad_input():
    mlp = WORKLOADS["mlp"]
    cfg = config("mlp", "quick", "infer")
    assert step_flops(mlp, {**cfg, "task": "train"}) == 3 * step_flops(mlp, cfg)
    assert step_flops(dataclasses.replace(mlp, flops=None), cfg) is None
    with pytest.raises(ValueError, match="unknown task 'predict'"):
        step_flops(mlp, {**cfg, "task": "predict"})
