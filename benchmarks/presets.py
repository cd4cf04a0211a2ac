"""Presets: how many processes and steps, and which cases (modes, precisions, batches, tasks) a run holds.

Model sizes per preset live in each workload's declaration; this module decides the case
matrix, the same rule for every workload, so the CLI, the site and the tests never list
cases by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from benchmarks.workload import Workload

# torch: eager; torch.compile of the model (compile); of the whole training step, in torch.compile's default mode
# (compile_step) and in max-autotune (compile_step_autotune). A preset may leave modes out, saying why.
ALL_TRAINING_MODES = {"torch": ("eager", "compile", "compile_step", "compile_step_autotune"),
                      "tensorflow": ("eager", "function", "xla", "fit")}
# The path each framework's own tutorials teach: used for batch sweeps and mixed precision.
DEFAULT_MODES = {"torch": ("eager",), "tensorflow": ("function",)}
INFERENCE_MODES = {"torch": ("eager", "compile"), "tensorflow": ("function", "xla")}
MIXED_PRECISIONS = {"cpu": ("bf16",), "cuda": ("bf16", "fp16")}
# The eager path and the compiled path of each framework: what compilation does to memory.
MEMORY_SWEEP_MODES = {"torch": ("eager", "compile"), "tensorflow": ("function", "xla")}
# Mixed precision in the default and the compiled path (torch.compile under autocast, XLA under mixed_bfloat16).
MIXED_PRECISION_MODES = {"torch": ("eager", "compile"), "tensorflow": ("function", "xla")}


@dataclass(frozen=True)
class Preset:
    name: str
    purpose: str
    processes_per_case: int
    warmup_steps: int
    measured_steps: int
    latency_calls: int
    timeout_seconds: float
    matmul_size: int
    batch_sweep: bool = True
    inference_modes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_MODES)
    # Model sizes come from the workload's sizes for this preset name, or for `sizes` when given.
    sizes: str | None = None
    # Modes whose training runs at every batch of the sweep, and whether mixed precision is swept too.
    sweep_modes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_MODES)
    sweep_precisions: bool = False
    inference: bool = True
    # Whether its step times are for speed comparisons, and whether its runs are what a reader sees first.
    timing: bool = True
    reference: bool = False
    # Processes of fp32 training at the reference batch (the headline comparisons); None: processes_per_case.
    reference_processes: int | None = None
    mixed_precision_modes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MIXED_PRECISION_MODES)
    # Reject and re-run a process during which other processes loaded the machine: for presets that give
    # verdicts (one process per case gives none, and memory is not timing).
    load_gated: bool = False
    # Training modes this preset does not run, each with the reason (recorded with the run, shown on Methodology).
    modes_left_out: Mapping[str, str] = field(default_factory=dict)
    # The training modes at the reference batch, per framework; None: every mode but those left out.
    training_modes: Mapping[str, tuple[str, ...]] | None = None

    @property
    def sizes_name(self) -> str:
        return self.sizes or self.name


# Why a preset leaves torch.compile's max-autotune out. The full preset runs it: one cold compile of the whole training
# step, timed once per workload in a single process on the shared 2-core machine (load about 5), took 40 s for the
# full-size MLP (default mode: 31 s) and 78 s for the ResNet (default mode: 105 s), so on this CPU max-autotune costs
# about what the default mode costs, not minutes more per process.
AUTOTUNE_LEFT_OUT_QUICK = ("compile_step_autotune is compile_step with torch.compile's mode='max-autotune', one "
                           "argument apart: quick runs compile_step, and leaves the second cold compile per workload "
                           "out so CI stays minutes long")
AUTOTUNE_LEFT_OUT_GPU = ("on CUDA, max-autotune benchmarks Triton kernel choices for every matmul and convolution "
                         "(minutes per process, not yet measured here), and the GPU preset runs on borrowed device time")

# What `make site` runs for a newcomer: their machine's numbers on every page in about five minutes. Compiling costs
# 15-30 s per process on 2 cores even at tiny sizes (torch.compile of the model or the whole step), so the site preset
# runs each framework's default mode only; the quick and full presets run the compiled modes.
SITE_LEFT_OUT = ("the site preset (what `make site` runs for a newcomer, about five minutes) runs each framework's "
                 "default mode only: compiling costs 15-30 s per process on 2 cores even at tiny sizes; the quick and "
                 "full presets run this mode")

PRESETS = {
    p.name: p
    for p in (
        Preset("site", "what `make site` runs for a newcomer: every workload at tiny sizes in each framework's default "
               "mode (training fp32 and mixed precision, inference at batch 1 and a large batch), one process per case, "
               "the studies in their small forms",
               processes_per_case=1, warmup_steps=2, measured_steps=8, latency_calls=30, timeout_seconds=300.0,
               matmul_size=512, batch_sweep=False, sizes="quick", training_modes=DEFAULT_MODES,
               mixed_precision_modes=DEFAULT_MODES,
               modes_left_out={mode: SITE_LEFT_OUT for mode in ("compile", "compile_step", "compile_step_autotune",
                                                                "xla", "fit")}),
        Preset("quick", "CI and smoke checks: every workload and mode (max-autotune aside) at tiny sizes, one process per case",
               processes_per_case=1, warmup_steps=2, measured_steps=8, latency_calls=30, timeout_seconds=300.0,
               matmul_size=512, batch_sweep=False, modes_left_out={"compile_step_autotune": AUTOTUNE_LEFT_OUT_QUICK}),
        # Verdicts need 6 pairs for a 95 % order-statistic interval (contract.stats): 6 processes per case, and 10
        # at the reference batch, whose comparisons the headlines stand on. 2 warm-up and 8 measured steps per
        # process (the spread that matters is between processes); inference in the default and compiled modes.
        Preset("full", "the CPU reference run: 10 interleaved processes at each workload's reference batch, 6 for "
               "the rest, batch sweeps, bf16, inference",
               processes_per_case=6, reference_processes=10, warmup_steps=2, measured_steps=8, latency_calls=50,
               timeout_seconds=900.0, matmul_size=2048, reference=True, inference_modes=INFERENCE_MODES,
               load_gated=True),
        Preset("gpu", "a CUDA machine: ResNet-50 at 224², BERT-base at sequence 128, fp16 and bf16",
               processes_per_case=5, warmup_steps=10, measured_steps=50, latency_calls=200, timeout_seconds=1200.0,
               matmul_size=8192, inference_modes=INFERENCE_MODES, reference=True, load_gated=True,
               modes_left_out={"compile_step_autotune": AUTOTUNE_LEFT_OUT_GPU}),
        # Memory hardly varies between processes, so one process per case buys the sweep over the
        # compiled modes that a timing preset could not afford. Mixed precision runs at the reference
        # batch only: torch's bf16 training is many times slower on CPUs without native bf16.
        Preset("memory", "memory vs batch at full sizes: eager and compiled modes swept, mixed precision at the "
               "reference batch, one process per case (not for speed comparisons)",
               processes_per_case=1, warmup_steps=1, measured_steps=2, latency_calls=0, timeout_seconds=900.0,
               matmul_size=512, sizes="full", sweep_modes=MEMORY_SWEEP_MODES, inference=False, timing=False,
               reference=True),
    )
}


def plan_configs(workload: Workload, preset: Preset, device: str, framework: str) -> list[dict[str, Any]]:
    """Every configuration one framework runs for one workload under one preset."""
    sizes = workload.preset(preset.sizes_name)
    model = dict(sizes.model)
    layouts = workload.layouts.get(framework, (None,))
    preferred_layout = layouts[-1]

    def config(task: str, precision: str, mode: str, batch: int, layout: str | None) -> dict[str, Any]:
        extra = {"layout": layout} if layout else {}
        return {**model, "task": task, "precision": precision, "mode": mode, "batch_size": batch, **extra}

    # Layouts are compared in the default mode; other modes run the preferred (last-declared) layout.
    configs = [config("train", "fp32", mode, sizes.batch_size, layout)
               for mode in (preset.training_modes or ALL_TRAINING_MODES)[framework] if mode not in preset.modes_left_out
               for layout in (layouts if mode in DEFAULT_MODES[framework] else (preferred_layout,))]
    if preset.batch_sweep:
        configs += [config("train", "fp32", mode, batch, preferred_layout)
                    for batch in sizes.batch_sweep for mode in preset.sweep_modes[framework]]
    mixed_batches = (sizes.batch_size, *sizes.batch_sweep) if preset.sweep_precisions else (sizes.batch_size,)
    configs += [config("train", precision, mode, batch, preferred_layout)
                for precision in MIXED_PRECISIONS[device] for batch in mixed_batches
                for mode in (preset.sweep_modes if preset.sweep_precisions else preset.mixed_precision_modes)[framework]]
    if not preset.inference:
        return configs
    inference_modes = preset.inference_modes[framework]
    for batch in (1, sizes.inference_batch):
        if batch:
            configs += [config("infer", "fp32", mode, batch, preferred_layout) for mode in inference_modes]
    return configs
