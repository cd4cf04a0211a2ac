"""The ResNet in idiomatic Keras (functional API, NHWC); modes and precision come from TensorFlowCase.

Two details make it compute exactly what the torch model computes: padding of strided layers
(`pad_then`) and the batch-norm running variance (`TorchStatisticsBatchNormalization`).
"""

from __future__ import annotations

from typing import Any, Mapping

import keras
import numpy as np
from keras import ops

from benchmarks.frameworks.tensorflow_runtime import TensorFlowCase
from benchmarks.workloads.resnet import BN_STATISTICS, IMAGE_CHANNELS, Block, ConvBN, ResNetPlan, plan


class TorchStatisticsBatchNormalization(keras.layers.BatchNormalization):
    """Keras batch norm whose moving variance averages the unbiased batch variance, as torch's does.

    Normalisation uses the biased batch variance in both frameworks; only the running
    statistic differs (Keras averages the biased one), by (1 − momentum)·var/(n − 1)
    per step. This is Keras' own training path (no mask, no renorm) with that one factor.
    """

    def call(self, inputs, training=None, mask=None):
        if not training or not self.trainable or mask is not None or self.renorm:
            return super().call(inputs, training=training, mask=mask)
        x = ops.cast(inputs, keras.backend.result_type(inputs.dtype, "float32"))
        mean, variance = ops.moments(x, axes=self._reduction_axes)
        count = ops.cast(ops.size(x), x.dtype) / ops.cast(ops.shape(x)[self.axis], x.dtype)
        unbiased_variance = variance * count / (count - 1.0)
        self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
        self.moving_variance.assign(self.moving_variance * self.momentum + unbiased_variance * (1.0 - self.momentum))
        outputs = ops.batch_normalization(x, mean=mean, variance=variance, axis=self.axis,
                                          offset=ops.cast(self.beta, x.dtype), scale=ops.cast(self.gamma, x.dtype),
                                          epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype)


def pad_then(layer: keras.layers.Layer, x, padding: int, stride: int):
    """torch pads symmetrically; Keras 'same' with stride 2 on an even size pads bottom/right only.

    So strided layers get explicit ZeroPadding2D + 'valid'. Stride 1 'same' is symmetric already.
    """
    if stride > 1 and padding > 0:
        x = keras.layers.ZeroPadding2D(padding)(x)
    return layer(x)


ConvBNLayers = dict[str, tuple[keras.layers.Conv2D, keras.layers.BatchNormalization]]


def conv_bn(x, unit: ConvBN, conv_bn_layers: ConvBNLayers):
    """Applies one conv+BN unit and records its layers under the unit's name (get/set_weights use them)."""
    strided = unit.stride > 1 and unit.kernel_size > 1
    conv = keras.layers.Conv2D(unit.out_channels, unit.kernel_size, strides=unit.stride, use_bias=False,
                               padding="valid" if strided or unit.kernel_size == 1 else "same",
                               name=f"{unit.name}.conv")
    # momentum 0.9 here is torch's 0.1 (Keras weights the old value); Keras' defaults are 0.99 and 1e-3.
    bn = TorchStatisticsBatchNormalization(momentum=0.9, epsilon=1e-5, name=f"{unit.name}.bn")
    conv_bn_layers[unit.name] = (conv, bn)
    return bn(pad_then(conv, x, unit.kernel_size // 2, unit.stride))


def residual_block(x, block: Block, conv_bn_layers: ConvBNLayers):
    out = x
    for i, unit in enumerate(block.convs):
        out = conv_bn(out, unit, conv_bn_layers)
        if i < len(block.convs) - 1:
            out = keras.layers.ReLU()(out)
    identity = conv_bn(x, block.shortcut, conv_bn_layers) if block.shortcut else x
    return keras.layers.ReLU()(keras.layers.Add()([out, identity]))


def build_resnet(resnet: ResNetPlan, image_size: int,
                 conv_bn_layers: ConvBNLayers) -> tuple[keras.Model, keras.layers.Dense]:
    images = keras.Input(shape=(image_size, image_size, IMAGE_CHANNELS))
    x = keras.layers.ReLU()(conv_bn(images, resnet.stem, conv_bn_layers))
    if resnet.stem_max_pool:
        # Zero padding equals torch's -inf padding here: the inputs are post-ReLU, so never below 0.
        x = pad_then(keras.layers.MaxPooling2D(3, strides=2, padding="valid"), x, padding=1, stride=2)
    for block in resnet.blocks:
        x = residual_block(x, block, conv_bn_layers)
    x = keras.layers.GlobalAveragePooling2D()(x)
    # Logits in float32 under mixed precision, as the Keras mixed-precision guide asks of the last layer.
    head = keras.layers.Dense(resnet.n_classes, dtype="float32", name="head")
    return keras.Model(images, head(x), name="resnet"), head


class TensorFlowResNet(TensorFlowCase):
    def build_model(self, config: Mapping[str, Any]) -> keras.Model:
        self.conv_bn_layers: ConvBNLayers = {}
        model, self.head = build_resnet(plan(config), int(config["image_size"]), self.conv_bn_layers)
        return model

    def get_weights(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name, (conv, bn) in self.conv_bn_layers.items():
            out[f"{name}.kernel"] = np.asarray(conv.kernel.numpy())
            for statistic in BN_STATISTICS:
                out[f"{name}.{statistic}"] = np.asarray(getattr(bn, statistic).numpy())
        out["head.kernel"] = np.asarray(self.head.kernel.numpy())
        out["head.bias"] = np.asarray(self.head.bias.numpy())
        return out

    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        for name, (conv, bn) in self.conv_bn_layers.items():
            conv.kernel.assign(weights[f"{name}.kernel"])
            for statistic in BN_STATISTICS:
                getattr(bn, statistic).assign(weights[f"{name}.{statistic}"])
        self.head.kernel.assign(weights["head.kernel"])
        self.head.bias.assign(weights["head.bias"])


def create(workload, config, device: str, threads: int) -> TensorFlowResNet:
    return TensorFlowResNet(workload, config, device, threads)
