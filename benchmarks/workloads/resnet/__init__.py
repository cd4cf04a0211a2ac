"""ResNet image classifier: the convolution workload (CIFAR-style ResNet-18 on CPU, ResNet-50 at 224² on GPU).

The architecture is described once here, as a framework-neutral plan of conv+BN units,
so that both implementations build the same layers and the canonical weights carry
the same names. Canonical layout is Keras': images NHWC, conv kernels HWIO, dense (in, out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from benchmarks.data import glorot_uniform
from benchmarks.workload import ConfigValue, PresetSizes, Workload

# depth -> (block kind, blocks per stage), as in torchvision's resnet18 / resnet50.
BLOCKS_PER_STAGE = {18: ("basic", (2, 2, 2, 2)), 50: ("bottleneck", (3, 4, 6, 3))}
EXPANSION = {"basic": 1, "bottleneck": 4}
STAGE_WIDTH_MULTIPLIERS = (1, 2, 4, 8)
IMAGE_CHANNELS = 3
BN_STATISTICS = ("gamma", "beta", "moving_mean", "moving_variance")


@dataclass(frozen=True)
class ConvBN:
    """A bias-free convolution followed by batch norm; its weights are `{name}.kernel` and `{name}.<BN_STATISTICS>`."""

    name: str
    kernel_size: int
    in_channels: int
    out_channels: int
    stride: int = 1


@dataclass(frozen=True)
class Block:
    """A residual block: `convs` in sequence (ReLU between them), plus the shortcut, then ReLU.

    `shortcut` is the 1×1 projection (conv+BN) used when the shape changes; None means identity.
    """

    name: str
    convs: tuple[ConvBN, ...]
    shortcut: ConvBN | None


@dataclass(frozen=True)
class ResNetPlan:
    stem: ConvBN
    stem_max_pool: bool  # the ImageNet stem's 3×3 stride-2 max-pool
    blocks: tuple[Block, ...]
    features: int  # channels entering global average pooling and the dense head
    n_classes: int


def _block(name: str, kind: str, in_channels: int, width: int, stride: int) -> Block:
    out_channels = width * EXPANSION[kind]
    if kind == "basic":
        convs = (ConvBN(f"{name}.conv1", 3, in_channels, width, stride), ConvBN(f"{name}.conv2", 3, width, width))
    else:  # torchvision's ResNet v1.5 bottleneck: the stride sits on the 3×3 conv, not the first 1×1
        convs = (ConvBN(f"{name}.conv1", 1, in_channels, width),
                 ConvBN(f"{name}.conv2", 3, width, width, stride),
                 ConvBN(f"{name}.conv3", 1, width, out_channels))
    needs_projection = stride != 1 or in_channels != out_channels
    shortcut = ConvBN(f"{name}.shortcut", 1, in_channels, out_channels, stride) if needs_projection else None
    return Block(name, convs, shortcut)


def plan(sizes: Mapping[str, ConfigValue]) -> ResNetPlan:
    """The layer plan for `sizes` (depth, base_width, stem, n_classes), shared by both frameworks."""
    depth, base_width, stem_kind = int(sizes["depth"]), int(sizes["base_width"]), str(sizes["stem"])
    if depth not in BLOCKS_PER_STAGE:
        raise ValueError(f"ResNet depth {depth} is not declared; choose one of {sorted(BLOCKS_PER_STAGE)}")
    if stem_kind == "cifar":
        stem, max_pool = ConvBN("stem", 3, IMAGE_CHANNELS, base_width), False
    elif stem_kind == "imagenet":
        stem, max_pool = ConvBN("stem", 7, IMAGE_CHANNELS, base_width, stride=2), True
    else:
        raise ValueError(f"unknown stem {stem_kind!r}; choose 'cifar' or 'imagenet'")
    kind, counts = BLOCKS_PER_STAGE[depth]
    blocks, channels = [], base_width
    for stage, (count, multiplier) in enumerate(zip(counts, STAGE_WIDTH_MULTIPLIERS), start=1):
        for index in range(count):
            stride = 2 if stage > 1 and index == 0 else 1
            block = _block(f"stage{stage}.block{index}", kind, channels, base_width * multiplier, stride)
            blocks.append(block)
            channels = block.convs[-1].out_channels
    return ResNetPlan(stem, max_pool, tuple(blocks), channels, int(sizes["n_classes"]))


def conv_bn_units(resnet: ResNetPlan) -> list[ConvBN]:
    """Every conv+BN unit in a fixed order (the order weights are drawn in)."""
    units = [resnet.stem]
    for block in resnet.blocks:
        units += [*block.convs, *([block.shortcut] if block.shortcut else [])]
    return units


def conv_output_size(size: int, unit: ConvBN) -> int:
    """Output height (= width) of a unit: padding kernel_size // 2 on each side, as both frameworks pad."""
    return (size + 2 * (unit.kernel_size // 2) - unit.kernel_size) // unit.stride + 1


def conv_flops(size: int, unit: ConvBN) -> tuple[int, int]:
    """(FLOPs per sample, output size) of a unit's convolution: 2·Cin·Cout·k²·Hout·Wout."""
    out = conv_output_size(size, unit)
    return 2 * unit.in_channels * unit.out_channels * unit.kernel_size**2 * out * out, out


def forward_flops(config: Mapping[str, ConfigValue]) -> float:
    """One forward pass: every convolution of the plan (stem, each block's convs in sequence and its
    1×1 projection shortcut on the block input) at its output size, then the dense head 2·features·classes.
    Batch norm, ReLU, the residual add and the pooling are not counted."""
    resnet = plan(config)
    total, size = conv_flops(int(config["image_size"]), resnet.stem)
    if resnet.stem_max_pool:  # 3×3, stride 2, padding 1
        size = (size + 2 - 3) // 2 + 1
    for block in resnet.blocks:
        if block.shortcut is not None:
            total += conv_flops(size, block.shortcut)[0]
        for unit in block.convs:
            flops, size = conv_flops(size, unit)
            total += flops
    return float(config["batch_size"] * (total + 2 * resnet.features * resnet.n_classes))


def initial_weights(sizes: Mapping[str, ConfigValue], seed: int) -> dict[str, np.ndarray]:
    """torchvision's initialisation with `zero_init_residual=True`; the head is Glorot-uniform with zero bias.

    Kaiming-normal convs (fan_out, ReLU gain), BN β=0 and γ=1 except γ=0 on the last BN of each
    residual branch, so that every block starts as the identity (see the "initialisation" note for why).
    """
    rng = np.random.default_rng(seed)
    resnet = plan(sizes)
    weights: dict[str, np.ndarray] = {}
    # With γ=1 there the first steps are chaotic: fp32 rounding differences grow ~10× per step, and after
    # 16 steps at lr 0.05 torch and TensorFlow (even torch NCHW and channels_last) end 1e-2 to 6e-2 apart
    # in loss. With γ=0 they end ≤ 2e-6 apart (measured on quick and full, here).
    last_in_branch = {block.convs[-1].name for block in resnet.blocks}
    for unit in conv_bn_units(resnet):
        k, c_in, c_out = unit.kernel_size, unit.in_channels, unit.out_channels
        std = np.sqrt(2.0 / (c_out * k * k))
        weights[f"{unit.name}.kernel"] = (rng.standard_normal((k, k, c_in, c_out)) * std).astype(np.float32)
        weights[f"{unit.name}.gamma"] = np.full(c_out, 0.0 if unit.name in last_in_branch else 1.0, dtype=np.float32)
        weights[f"{unit.name}.beta"] = np.zeros(c_out, dtype=np.float32)
        weights[f"{unit.name}.moving_mean"] = np.zeros(c_out, dtype=np.float32)
        weights[f"{unit.name}.moving_variance"] = np.ones(c_out, dtype=np.float32)
    weights["head.kernel"] = glorot_uniform(rng, resnet.features, resnet.n_classes)
    weights["head.bias"] = np.zeros(resnet.n_classes, dtype=np.float32)
    return weights


def dataset(sizes: Mapping[str, ConfigValue], seed: int, teacher_grid: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian NHWC images labelled by a fixed random linear teacher on a coarse average-pooled grid.

    A teacher on the pooled grid rather than on every pixel: at 224² with 1000 classes a
    per-pixel teacher would be a 600 MB matrix, and the pooled one is still learnable.
    """
    rng = np.random.default_rng(seed)
    n, size = int(sizes["n_samples"]), int(sizes["image_size"])
    if size % teacher_grid:
        raise ValueError(f"image_size {size} must be a multiple of the teacher grid {teacher_grid}")
    x = rng.standard_normal((n, size, size, IMAGE_CHANNELS), dtype=np.float32)
    cell = size // teacher_grid
    pooled = x.reshape(n, teacher_grid, cell, teacher_grid, cell, IMAGE_CHANNELS).mean(axis=(2, 4)).reshape(n, -1)
    teacher = rng.standard_normal((pooled.shape[1], int(sizes["n_classes"])), dtype=np.float32)
    y = np.argmax(pooled @ teacher, axis=1).astype(np.int64)
    return x, y


WORKLOAD = Workload(
    name="resnet",
    title="ResNet image classifier",
    description=(
        "Residual convolutional network with batch norm (a CIFAR-style ResNet-18 at 32×32 on the CPU, "
        "ResNet-50 at 224×224 on the GPU), trained with SGD and momentum on Gaussian images labelled "
        "by a fixed random teacher."
    ),
    hyperparameters={
        # SGD with momentum for the same reason as the MLP: the same update in both frameworks.
        "optimizer": "sgd_momentum",
        "learning_rate": 0.05,
        "momentum": 0.9,
        "activation": "relu",
        "kernel_init": "he_normal (fan_out), as torchvision",
        "batch_norm_init": "gamma 1, beta 0; gamma 0 on each residual branch's last BN (zero_init_residual)",
        "head_init": "glorot_uniform, zero bias",
        "batch_norm": "momentum 0.1 (torch) = 0.9 (Keras), epsilon 1e-5",
        "loss": "softmax cross-entropy, mean over the batch",
    },
    initial_weights=initial_weights,
    dataset=dataset,
    flops=forward_flops,
    # torch runs NCHW (its default) and channels_last (its preferred CPU layout for convolutions); TensorFlow runs
    # NHWC, Keras' default and TensorFlow's preferred CPU layout. TF 2.21 also trains NCHW (channels_first) on the
    # CPU, in tf.function and XLA alike (checked at tiny sizes), but no tutorial or guide recommends it there.
    layouts={"torch": ("channels_first", "channels_last")},
    presets={
        "quick": PresetSizes(
            model={"depth": 18, "base_width": 8, "image_size": 32, "stem": "cifar", "n_classes": 10,
                   "n_samples": 256},
            batch_size=16, inference_batch=128,
        ),
        "full": PresetSizes(
            model={"depth": 18, "base_width": 16, "image_size": 32, "stem": "cifar", "n_classes": 10,
                   "n_samples": 256},
            # Batch 32 (sweep 8, 64) keeps the full preset inside its hour: torch eager ≈ 75 ms a step here.
            batch_size=32, batch_sweep=(8, 64), inference_batch=128,
        ),
        "gpu": PresetSizes(
            model={"depth": 50, "base_width": 64, "image_size": 224, "stem": "imagenet", "n_classes": 1000,
                   "n_samples": 512},
            batch_size=128, batch_sweep=(64, 256), inference_batch=256,
        ),
    },
    notes={
        "initialisation": (
            "The last batch norm of each residual branch starts at γ=0 (torchvision's zero_init_residual, "
            "timm's default): with γ=1 the first training steps are chaotic, and fp32 rounding differences "
            "between any two implementations grow past the 1e-3 loss fingerprint within a few steps."
        ),
        "batch_norm": (
            "torch keeps the unbiased batch variance in its running variance, Keras the biased one; "
            "the TensorFlow side uses a BatchNormalization subclass that keeps the unbiased one, so both "
            "hold the same statistics (normalisation during training is the same in both regardless)."
        ),
        "padding": (
            "torch pads stride-2 convolutions and the max-pool symmetrically, Keras 'same' pads only "
            "bottom/right; the TensorFlow side uses ZeroPadding2D + 'valid' there, which is exact."
        ),
    },
)
