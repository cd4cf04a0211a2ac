"""PyTorch side of every workload: eager or torch.compile, fp32 or autocast, train or infer.

Follows PyTorch's documented fast paths: fused SGD, torch.compile on the model (mode `compile`) or on the
whole training step (modes `compile_step`, `compile_step_autotune`), torch.autocast for mixed precision
(with GradScaler for fp16), cudnn.benchmark on GPU, channels_last where a workload offers it, inference
under torch.inference_mode.
"""

from __future__ import annotations

import abc
import contextlib
import time
from typing import Any, Mapping

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.data import batches, cycled_batches
from benchmarks.harness import cpu
from benchmarks.workload import Workload

MODES = ("eager", "compile", "compile_step", "compile_step_autotune")
# torch.compile's `mode` for each mode that compiles the whole training step (forward, loss, backward, optimizer step).
STEP_COMPILE_MODES = {"compile_step": "default", "compile_step_autotune": "max-autotune"}
COMPILE_MODES = ("compile", *STEP_COMPILE_MODES)
AUTOCAST_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}
# The optimizer implementations a case may ask for (config["optimizer_implementation"]): torch.optim.SGD arguments.
OPTIMIZER_IMPLEMENTATIONS = {"fused": {"fused": True}, "foreach": {"foreach": True}, "for_loop": {"foreach": False}}


def default_optimizer_implementation(mode: str) -> str:
    """Fused where the step runs eagerly (PyTorch's docs call it the fastest); foreach where the whole step is
    compiled, because the fused kernel is marked torch.compiler.disable (Dynamo runs it as an opaque eager call),
    while the foreach update is what Inductor traces and fuses itself (PyTorch's compiled-optimizer recipe)."""
    return "foreach" if mode in STEP_COMPILE_MODES else "fused"


def configure_threads(threads: int, inter_op_threads: int | None = None) -> None:
    """Intra-op threads = the run's threads; inter-op threads the same unless a case sets its own (the settings
    study does)."""
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(inter_op_threads or threads)


class TorchCase(abc.ABC):
    """A workload subclass supplies build_model, get_weights and set_weights (framework-neutral layout)."""

    steps_per_call = 1

    def __init__(self, workload: Workload, config: Mapping[str, Any], device: str, threads: int) -> None:
        configure_threads(threads, config.get("inter_op_threads"))
        self.config = dict(config)
        self.task = config.get("task", "train")
        self.mode = config.get("mode", "eager")
        self.precision = config.get("precision", "fp32")
        self.layout = config.get("layout")
        if self.mode not in MODES:
            raise NotImplementedError(f"torch has no mode {self.mode!r}; it has {', '.join(MODES)}")
        if self.mode in STEP_COMPILE_MODES and self.task != "train":
            raise NotImplementedError(f"{self.mode} compiles a training step; inference compiles the model (mode "
                                      "compile)")
        if self.precision == "fp16" and device != "cuda":
            raise NotImplementedError("fp16 with loss scaling is a GPU configuration; the CPU runs bf16")
        self.device = torch.device(device)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True
        torch.manual_seed(workload.data_seed)
        self.model = self.build_model(self.config).to(self.device)
        self.set_weights(workload.initial_weights(self.config, workload.data_seed))
        if self.layout == "channels_last":
            self.model = self.model.to(memory_format=torch.channels_last)
        implementation = str(config.get("optimizer_implementation") or default_optimizer_implementation(self.mode))
        self.optimizer = make_optimizer(workload.hyperparameters, self.model.parameters(), implementation)
        self.optimizer_implementation = optimizer_text(implementation) if self.task == "train" else None
        self.scaler = torch.amp.GradScaler(self.device.type) if self.precision == "fp16" else None
        x, y = workload.dataset(self.config, workload.data_seed)
        self.example = batches(x, y, int(self.config["batch_size"]))[0]
        # Data lives on the device before timing starts: the step time is the model's, not the input pipeline's.
        chosen = cycled_batches(batches(x, y, int(self.config["batch_size"])), config.get("data_batches"))
        self.batches = [(self.to_input(bx), self.to_target(by)) for bx, by in chosen]
        self.data_batches = len(self.batches)
        self.next_batch = 0
        self.model.train(self.task == "train")
        self.forward_fn = torch.compile(self.model) if self.mode == "compile" else self.model
        self.compiled_update = CompiledStep(self._update, STEP_COMPILE_MODES[self.mode]) \
            if self.mode in STEP_COMPILE_MODES else None
        self.framework_version = torch.__version__
        self.device_name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        self.intra_op_threads = torch.get_num_threads()
        self.inter_op_threads = torch.get_num_interop_threads()
        self.precision_path, self.precision_detail = precision_path(device, self.precision)

    @property
    def mode_detail(self) -> str:
        """How the mode ran; read after the measured steps, so a whole-step compile says whether fullgraph held."""
        return self.describe_mode()

    def describe_mode(self) -> str:
        if self.compiled_update is not None:
            return f"torch.compile of the whole training step ({self.compiled_update.describe()})"
        return "torch.compile (inductor, default mode)" if self.mode == "compile" else "eager"

    # --- what a workload supplies ---------------------------------------------------------
    @abc.abstractmethod
    def build_model(self, config: Mapping[str, Any]) -> nn.Module:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    @abc.abstractmethod
    def get_weights(self) -> dict[str, np.ndarray]:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    @abc.abstractmethod
    def set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        """Supplied by the workload; abstract, so a forgotten override fails at construction, not as "unsupported"."""

    def to_input(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(array).to(self.device)

    # --- shared machinery -----------------------------------------------------------------
    def to_target(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(array).to(self.device)

    def tensor(self, array: np.ndarray) -> torch.Tensor:
        """A weight array onto the model's device (workloads use it in set_weights)."""
        return torch.from_numpy(np.ascontiguousarray(array)).to(self.device)

    def autocast(self) -> contextlib.AbstractContextManager:
        if self.precision == "fp32":
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=AUTOCAST_DTYPES[self.precision])

    def _train(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        # zero_grad stays outside the compiled update: Dynamo skips Optimizer.zero_grad by design.
        self.optimizer.zero_grad(set_to_none=True)
        return (self.compiled_update or self._update)(x, y)

    def _update(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Forward, loss, backward and optimizer step: what the compile_step modes hand to torch.compile whole."""
        with self.autocast():
            loss = F.cross_entropy(self.forward_fn(x), y)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            loss.backward()
            self.optimizer.step()
        return loss.detach()

    def _infer(self, x: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode(), self.autocast():
            return self.forward_fn(x)

    def step(self) -> torch.Tensor:
        x, y = self.batches[self.next_batch % len(self.batches)]
        self.next_batch += 1
        return self._train(x, y) if self.task == "train" else self._infer(x)

    def finish(self, handle: torch.Tensor) -> float:
        # .item() waits for the device; when inferring, the output's sum is the checksum.
        return float(handle.item()) if self.task == "train" else float(handle.float().sum().item())

    def graph_breaks(self) -> int | None:
        """Graph breaks torch.compile recorded in this process (a model that falls back to eager shows here)."""
        if self.mode not in COMPILE_MODES:
            return None
        from torch._dynamo.utils import counters

        return int(sum(counters["graph_break"].values()))

    def device_peak_memory_bytes(self) -> int | None:
        return int(torch.cuda.max_memory_allocated(self.device)) if self.device.type == "cuda" else None

    def device_memory_bytes(self) -> dict[str, int] | None:
        """The caching allocator's counters: allocated tensors now, their peak, and what it holds from CUDA."""
        if self.device.type != "cuda":
            return None
        return {"allocated": int(torch.cuda.memory_allocated(self.device)),
                "peak": int(torch.cuda.max_memory_allocated(self.device)),
                "reserved": int(torch.cuda.memory_reserved(self.device))}

    def trainable_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters() if p.requires_grad)

    def example_batch(self) -> tuple[np.ndarray, np.ndarray]:
        return self.example

    def forward(self, x: np.ndarray) -> np.ndarray:
        was_training = self.model.training
        self.model.eval()
        with torch.no_grad():
            out = self.model(self.to_input(x)).float().cpu().numpy()
        self.model.train(was_training)
        return out

    def train_step_on(self, x: np.ndarray, y: np.ndarray) -> float:
        self.model.train()
        return float(self._train(self.to_input(x), self.to_target(y)).item())


class CompiledStep:
    """torch.compile of a training update, with fullgraph=True where Dynamo can take the whole step as one graph,
    else with graph breaks, recording why fullgraph did not hold.

    With fullgraph=True Dynamo traces the whole frame before running any of it, so a refusal (Unsupported) comes
    before the step has changed a weight, and the same call runs again with graph breaks allowed. The refused
    attempt's tracing time is inside the first step's time, and so inside the recorded compile time.
    """

    def __init__(self, update, compile_mode: str) -> None:
        self.update = update
        self.compile_mode = compile_mode
        self.fullgraph = True
        self.fullgraph_failure: str | None = None
        self.compiled = torch.compile(update, mode=compile_mode, fullgraph=True)

    def __call__(self, *args: torch.Tensor) -> torch.Tensor:
        try:
            return self.compiled(*args)
        except torch._dynamo.exc.Unsupported as exc:
            if not self.fullgraph:
                raise
            self.fullgraph = False
            self.fullgraph_failure = str(exc).strip().splitlines()[0][:300]
            self.compiled = torch.compile(self.update, mode=self.compile_mode)
            return self.compiled(*args)

    def describe(self) -> str:
        held = "fullgraph=True" if self.fullgraph else \
            f"fullgraph=False, because fullgraph=True stopped at: {self.fullgraph_failure}"
        return f"forward, loss, backward, optimizer step; inductor, mode {self.compile_mode}; {held}"


def optimizer_text(implementation: str) -> str:
    arguments = ", ".join(f"{k}={v}" for k, v in OPTIMIZER_IMPLEMENTATIONS[implementation].items())
    return f"torch.optim.SGD({arguments})"


def precision_path(device: str, precision: str) -> tuple[str | None, str | None]:
    """("native" | "emulated", why) for mixed precision on this host; (None, None) for fp32.

    On a CPU, native means bf16 dot-product instructions (avx512_bf16 or amx_bf16) that torch's oneDNN path
    uses; without them torch converts, and a bf16 comparison measures the missing instruction set.
    """
    if precision == "fp32":
        return None, None
    if device == "cuda":
        if precision == "bf16":
            ok = torch.cuda.is_bf16_supported()
            return ("native" if ok else "emulated"), f"torch.cuda.is_bf16_supported() is {ok}"
        major, minor = torch.cuda.get_device_capability()
        return ("native" if major >= 7 else "emulated"), f"compute capability {major}.{minor}"
    if precision != "bf16":
        return "emulated", f"{precision} on the CPU has no native path here"
    capability = torch.backends.cpu.get_cpu_capability()
    onednn = torch.ops.mkldnn._is_mkldnn_bf16_supported()
    native = cpu.has_native_bf16() and onednn
    return ("native" if native else "emulated"), (f"{cpu.native_bf16_text()}; torch CPU capability {capability}, "
                                                   f"oneDNN bf16 {'supported' if onednn else 'not supported'}")


def make_optimizer(hyperparameters: Mapping[str, Any], parameters, implementation: str = "fused") -> torch.optim.Optimizer:
    """fused=True by default: the implementation PyTorch's docs call fastest, on CPU and CUDA alike."""
    if hyperparameters["optimizer"] != "sgd_momentum":
        raise NotImplementedError(f"optimizer {hyperparameters['optimizer']!r} is not mapped for torch")
    if implementation not in OPTIMIZER_IMPLEMENTATIONS:
        raise ValueError(f"optimizer_implementation={implementation!r}: choose one of "
                         f"{', '.join(OPTIMIZER_IMPLEMENTATIONS)}")
    return torch.optim.SGD(parameters, lr=hyperparameters["learning_rate"], momentum=hyperparameters["momentum"],
                           **OPTIMIZER_IMPLEMENTATIONS[implementation])


def count_step_flops(case: TorchCase) -> float:
    """FLOPs of one step as torch.utils.flop_counter counts them (matmuls and convolutions)."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        case.finish(case.step())
    return float(counter.get_total_flops())


@contextlib.contextmanager
def decomposed_kernels():
    """Fused CPU kernels the counter has no formula for (nn.LSTM's oneDNN kernel, fused attention), replaced by the
    matmuls it counts: oneDNN off and SDPA's math backend, same weights and outputs."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    # None leaves oneDNN's other flags alone (flags() would otherwise set allow_tf32, which warns on CPU).
    oneDNN_off = torch.backends.mkldnn.flags(enabled=False, deterministic=None, allow_tf32=None, fp32_precision=None)
    with oneDNN_off, sdpa_kernel(SDPBackend.MATH):
        yield


def count_forward_flops(case: TorchCase) -> float:
    """One forward pass (the case must be an inference case) counted with every kernel decomposed: the check of
    the workload's declared formula, which the fraction of peak uses."""
    with decomposed_kernels():
        return count_step_flops(case)


def call_overhead_seconds(device: str, mode: str, threads: int, calls: int = 2000) -> float:
    """Median seconds of one inference call of a 1×1 linear layer at batch 1 in this mode: the framework's own
    per-call cost (dispatch, autograd bookkeeping, guards), which bounds every batch-1 latency from below."""
    configure_threads(threads)
    model = nn.Linear(1, 1).to(device).eval()
    fn = torch.compile(model) if mode == "compile" else model
    x = torch.ones(1, 1, device=device)
    times = []
    with torch.inference_mode():
        for _ in range(20):
            fn(x).sum().item()
        for _ in range(calls):
            started = time.perf_counter()
            fn(x).sum().item()
            times.append(time.perf_counter() - started)
    return float(np.median(times))


def peak_matmul_flops(device: str, precision: str, n: int, threads: int, repeats: int = 10) -> float:
    """Best-of-repeats n×n product through F.linear, the op nn.Linear runs.

    F.linear rather than `a @ b`: on CPUs without native bf16, torch's plain bf16 matmul
    takes a slow fallback (measured here: 0.3 GFLOP/s) while F.linear goes through oneDNN.
    """
    configure_threads(threads)
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]
    a = torch.randn(n, n, device=device, dtype=dtype)
    w = torch.randn(n, n, device=device, dtype=dtype)
    best = float("inf")
    for _ in range(repeats + 2):
        if device == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        c = F.linear(a, w)
        float(c[0, 0].item())
        best = min(best, time.perf_counter() - started)
    return 2.0 * n**3 / best
