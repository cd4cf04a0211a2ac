"""The ResNet in idiomatic PyTorch, torchvision-style modules; modes, precision and layout come from TorchCase."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.frameworks.torch_runtime import TorchCase
from benchmarks.workloads.resnet import BN_STATISTICS, Block, ConvBN, ResNetPlan, plan

# Canonical BN names -> torch.nn.BatchNorm2d attributes (momentum 0.1 and eps 1e-5 are torch's defaults).
BN_ATTRIBUTES = dict(zip(BN_STATISTICS, ("weight", "bias", "running_mean", "running_var")))


class ConvBNLayer(nn.Module):
    def __init__(self, unit: ConvBN) -> None:
        super().__init__()
        self.name = unit.name
        self.conv = nn.Conv2d(unit.in_channels, unit.out_channels, unit.kernel_size, stride=unit.stride,
                              padding=unit.kernel_size // 2, bias=False)
        self.bn = nn.BatchNorm2d(unit.out_channels, eps=1e-5, momentum=0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv(x))


class ResidualBlock(nn.Module):
    """BasicBlock or Bottleneck, depending on how many convs the plan gives it."""

    def __init__(self, block: Block) -> None:
        super().__init__()
        self.convs = nn.ModuleList(ConvBNLayer(unit) for unit in block.convs)
        self.shortcut = ConvBNLayer(block.shortcut) if block.shortcut else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        for i, layer in enumerate(self.convs):
            out = layer(out)
            if i < len(self.convs) - 1:
                out = F.relu(out)
        identity = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, resnet: ResNetPlan) -> None:
        super().__init__()
        self.stem = ConvBNLayer(resnet.stem)
        self.stem_max_pool = nn.MaxPool2d(3, stride=2, padding=1) if resnet.stem_max_pool else nn.Identity()
        self.blocks = nn.Sequential(*(ResidualBlock(block) for block in resnet.blocks))
        self.head = nn.Linear(resnet.features, resnet.n_classes)

    def conv_bn_layers(self) -> list[ConvBNLayer]:
        return [m for m in self.modules() if isinstance(m, ConvBNLayer)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem_max_pool(F.relu(self.stem(x)))
        x = self.blocks(x)
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TorchResNet(TorchCase):
    def build_model(self, config: Mapping[str, Any]) -> ResNet:
        return ResNet(plan(config))

    def to_input(self, array: np.ndarray) -> torch.Tensor:
        """Canonical NHWC images to NCHW; channels_last keeps NHWC memory under the NCHW shape torch expects."""
        images = torch.from_numpy(array).to(self.device).permute(0, 3, 1, 2)
        if self.layout == "channels_last":
            return images.contiguous(memory_format=torch.channels_last)
        return images.contiguous()

    def get_weights(self) -> dict[str, np.ndarray]:
        """Canonical layout: conv kernels HWIO (torch keeps OIHW), dense kernel (in, out)."""
        out: dict[str, np.ndarray] = {}
        for layer in self.model.conv_bn_layers():
            out[f"{layer.name}.kernel"] = layer.conv.weight.detach().cpu().numpy().transpose(2, 3, 1, 0).copy()
            for name, attribute in BN_ATTRIBUTES.items():
                out[f"{layer.name}.{name}"] = getattr(layer.bn, attribute).detach().cpu().numpy().copy()
        out["head.kernel"] = self.model.head.weight.detach().cpu().numpy().T.copy()
        out["head.bias"] = self.model.head.bias.detach().cpu().numpy().copy()
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        with torch.no_grad():
            for layer in self.model.conv_bn_layers():
                layer.conv.weight.copy_(self.tensor(weights[f"{layer.name}.kernel"].transpose(3, 2, 0, 1)))
                for name, attribute in BN_ATTRIBUTES.items():
                    getattr(layer.bn, attribute).copy_(self.tensor(weights[f"{layer.name}.{name}"]))
            self.model.head.weight.copy_(self.tensor(weights["head.kernel"].T))
            self.model.head.bias.copy_(self.tensor(weights["head.bias"]))


def create(workload, config, device: str, threads: int) -> TorchResNet:
    return TorchResNet(workload, config, device, threads)
