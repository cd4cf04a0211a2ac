"""TensorFlow side of every workload: eager, tf.function, XLA or Keras fit; fp32 or Keras mixed precision.

Follows TensorFlow's documented fast paths: a GradientTape step inside tf.function
(optionally jit_compile=True), Keras mixed-precision policies (LossScaleOptimizer for fp16),
memory growth on GPU, oneDNN on CPU (its default), and fit with its own defaults.
"""

from __future__ import annotations

import abc
import os
import time
from typing import Any, Mapping

import keras
import numpy as np
import tensorflow as tf

from benchmarks.data import batches, cycled_batches
from benchmarks.harness import cpu
from benchmarks.workload import Workload

MODES = ("eager", "function", "xla", "fit")
# Keras fit is timed per call; a call runs this many steps so fit's per-call overhead
# (callbacks, iterator creation) is amortised as in real use, without epochs of minutes.
FIT_STEPS_PER_CALL = 4
POLICIES = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}


def configure(threads: int, inter_op_threads: int | None = None) -> list:
    """Intra-op threads = the run's threads; inter-op the same unless a case sets its own (the settings study)."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(inter_op_threads or threads)
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        # Without growth TF reserves nearly all GPU memory at start, which also falsifies memory figures.
        tf.config.experimental.set_memory_growth(gpu, True)
    return gpus


class TensorFlowCase(abc.ABC):
    """A workload subclass supplies build_model, get_weights and set_weights (framework-neutral layout)."""

    def __init__(self, workload: Workload, config: Mapping[str, Any], device: str, threads: int) -> None:
        gpus = configure(threads, config.get("inter_op_threads"))
        self.config = dict(config)
        self.task = config.get("task", "train")
        self.mode = config.get("mode", "function")
        self.precision = config.get("precision", "fp32")
        if self.mode not in MODES:
            raise NotImplementedError(f"tensorflow has no mode {self.mode!r}; it has {', '.join(MODES)}")
        if self.mode == "fit" and self.task != "train":
            raise NotImplementedError("Keras fit is a training path; inference runs in eager, function or xla")
        if self.precision == "fp16" and device != "cuda":
            raise NotImplementedError("fp16 with loss scaling is a GPU configuration; the CPU runs bf16")
        if device == "cuda" and not gpus:
            raise RuntimeError("device cuda requested but TensorFlow sees no GPU")
        self.device = "/GPU:0" if device == "cuda" else "/CPU:0"
        keras.mixed_precision.set_global_policy(POLICIES[self.precision])
        batch_size = int(self.config["batch_size"])
        with tf.device(self.device):
            self.model = self.build_model(self.config)
            self.set_weights(workload.initial_weights(self.config, workload.data_seed))
            self.optimizer = make_optimizer(workload.hyperparameters)
            self.optimizer_implementation = (f"keras.optimizers.{type(self.optimizer).__name__}"
                                             if self.task == "train" else None)
            if self.precision == "fp16":
                self.optimizer = keras.optimizers.LossScaleOptimizer(self.optimizer)
            self.optimizer.build(self.model.trainable_variables)
            self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            x, y = workload.dataset(self.config, workload.data_seed)
            self.example = batches(x, y, batch_size)[0]
            # Data lives on the device before timing starts: the step time is the model's, not the input pipeline's.
            chosen = cycled_batches(batches(x, y, batch_size), config.get("data_batches"))
            self.batches = [(tf.constant(bx), tf.constant(by)) for bx, by in chosen]
        self.data_batches = len(self.batches)
        self.next_batch = 0
        self.steps_per_call = 1
        self.mode_detail = {"eager": "eager (no tf.function)", "function": "tf.function",
                            "xla": "tf.function(jit_compile=True)"}.get(self.mode)
        if self.mode == "fit":
            self._prepare_fit(x, y, batch_size)
        else:
            run = self._train if self.task == "train" else self._infer
            self._call = {"eager": run, "function": tf.function(run),
                          "xla": tf.function(run, jit_compile=True)}[self.mode]
        self.framework_version = tf.__version__
        self.precision_path, self.precision_detail = precision_path(device, self.precision)
        self.device_name = gpus[0].name if device == "cuda" else "cpu"
        self.intra_op_threads = tf.config.threading.get_intra_op_parallelism_threads()
        self.inter_op_threads = tf.config.threading.get_inter_op_parallelism_threads()

    # --- what a workload supplies ---------------------------------------------------------
    @abc.abstractmethod
    def build_model(self, config: Mapping[str, Any]) -> keras.Model:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    @abc.abstractmethod
    def get_weights(self) -> dict[str, np.ndarray]:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    @abc.abstractmethod
    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    # --- shared machinery -----------------------------------------------------------------
    def _prepare_fit(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """Keras fit with its own defaults (jit_compile="auto": XLA on GPU, not on CPU)."""
        self.model.compile(optimizer=self.optimizer, loss=self.loss_fn)
        self.steps_per_call = min(FIT_STEPS_PER_CALL, len(self.batches))
        n = len(self.batches) * batch_size
        with tf.device(self.device):
            self.dataset = (tf.data.Dataset.from_tensor_slices((x[:n], y[:n]))
                            .batch(batch_size, drop_remainder=True).repeat().prefetch(tf.data.AUTOTUNE))
        self.mode_detail = (f"Keras fit, {self.steps_per_call} steps per call via steps_per_epoch "
                            f"(jit_compile={self.model.jit_compile})")

    def _train(self, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = self.loss_fn(y, self.model(x, training=True))
            scaled = self.optimizer.scale_loss(loss) if self.precision == "fp16" else loss
        grads = tape.gradient(scaled, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss

    def _infer(self, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        return self.model(x, training=False)

    def step(self) -> Any:
        if self.mode == "fit":
            history = self.model.fit(self.dataset, epochs=1, steps_per_epoch=self.steps_per_call, verbose=0,
                                     shuffle=False)
            return history.history["loss"][-1]
        x, y = self.batches[self.next_batch % len(self.batches)]
        self.next_batch += 1
        with tf.device(self.device):
            return self._call(x, y)

    def finish(self, handle: Any) -> float:
        # .numpy() waits for the device; when inferring, the output's sum is the checksum.
        if self.mode == "fit":
            return float(handle)
        if self.task == "train":
            return float(handle.numpy())
        return float(tf.reduce_sum(tf.cast(handle, tf.float32)).numpy())

    def device_peak_memory_bytes(self) -> int | None:
        if self.device == "/CPU:0":
            return None
        return int(tf.config.experimental.get_memory_info("GPU:0")["peak"])

    def device_memory_bytes(self) -> dict[str, int] | None:
        """TF's BFC allocator counters (memory growth is on, so nothing is pre-reserved)."""
        if self.device == "/CPU:0":
            return None
        info = tf.config.experimental.get_memory_info("GPU:0")
        return {"allocated": int(info["current"]), "peak": int(info["peak"])}

    def trainable_parameters(self) -> int:
        return int(sum(np.prod(v.shape) for v in self.model.trainable_variables))

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]:
        return self.example

    def forward(self, x: np.ndarray) -> np.ndarray:
        with tf.device(self.device):
            return tf.cast(self.model(tf.constant(x), training=False), tf.float32).numpy()

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float:
        with tf.device(self.device):
            return float(tf.function(self._train)(tf.constant(x), tf.constant(y)).numpy())


def precision_path(device: str, precision: str) -> tuple[str | None, str | None]:
    """("native" | "emulated", why) for mixed precision on this host; (None, None) for fp32.

    On a CPU, TensorFlow runs bf16 through oneDNN (on by default on x86): native when the CPU has bf16
    dot-product instructions (avx512_bf16 or amx_bf16), converted otherwise.
    """
    if precision == "fp32":
        return None, None
    if device == "cuda":
        details = tf.config.experimental.get_device_details(tf.config.list_physical_devices("GPU")[0])
        major, minor = details.get("compute_capability", (0, 0))
        needed = 8 if precision == "bf16" else 7
        return ("native" if major >= needed else "emulated"), f"compute capability {major}.{minor}"
    if precision != "bf16":
        return "emulated", f"{precision} on the CPU has no native path here"
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") != "0"
    native = cpu.has_native_bf16() and onednn
    return ("native" if native else "emulated"), f"{cpu.native_bf16_text()}; oneDNN {'on' if onednn else 'off'}"


def make_optimizer(hyperparameters: Mapping[str, Any]) -> keras.optimizers.Optimizer:
    if hyperparameters["optimizer"] != "sgd_momentum":
        raise NotImplementedError(f"optimizer {hyperparameters['optimizer']!r} is not mapped for tensorflow")
    return keras.optimizers.SGD(learning_rate=hyperparameters["learning_rate"], momentum=hyperparameters["momentum"])


def call_overhead_seconds(device: str, mode: str, threads: int, calls: int = 2000) -> float:
    """Median seconds of one inference call of a 1×1 Dense layer at batch 1 in this mode: the framework's own
    per-call cost (dispatch, tracing cache lookup), which bounds every batch-1 latency from below."""
    configure(threads)
    with tf.device("/GPU:0" if device == "cuda" else "/CPU:0"):
        layer = keras.layers.Dense(1)
        x = tf.ones((1, 1))
        call = {"eager": lambda t: layer(t, training=False),
                "function": tf.function(lambda t: layer(t, training=False)),
                "xla": tf.function(lambda t: layer(t, training=False), jit_compile=True)}.get(mode)
        if call is None:
            raise NotImplementedError(f"no inference mode {mode!r} in tensorflow")
        times = []
        for _ in range(20):
            float(tf.reduce_sum(call(x)).numpy())
        for _ in range(calls):
            started = time.perf_counter()
            float(tf.reduce_sum(call(x)).numpy())
            times.append(time.perf_counter() - started)
    return float(np.median(times))


def peak_matmul_flops(device: str, precision: str, n: int, threads: int, repeats: int = 10) -> float:
    """Best-of-repeats n×n matmul: the machine's practical ceiling as TensorFlow reaches it."""
    configure(threads)
    dtype = {"fp32": tf.float32, "bf16": tf.bfloat16, "fp16": tf.float16}[precision]
    with tf.device("/GPU:0" if device == "cuda" else "/CPU:0"):
        a = tf.cast(tf.random.normal((n, n)), dtype)
        b = tf.cast(tf.random.normal((n, n)), dtype)
        best = float("inf")
        for _ in range(repeats + 2):
            started = time.perf_counter()
            c = tf.linalg.matmul(a, b)
            float(c[0, 0].numpy())
            best = min(best, time.perf_counter() - started)
    return 2.0 * n**3 / best
