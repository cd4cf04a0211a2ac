"""The one result-file format, shared by the measuring side and the rendering side.

Measuring and rendering meet only in these files, so both validate against these
models: a file that does not match is refused on write and on read, never half-used.
Reading and writing are in contract.files, upgrades of older versions in contract.upgrades.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 4

# Result files arrive by pull request, from contributors as well as from our own runners: every field is untrusted
# input. Identifiers are held to a pattern (they become file names, anchors and code spans), free text to a length,
# numbers to finite values; a file outside these bounds is refused on write and on read, never half-used.
RUN_ID_PATTERN = r"^[0-9]{8}T[0-9]{6}Z-[0-9a-z]{1,32}$"  # UTC start, then a short hash: a file name, never a path
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$"  # workloads, frameworks, devices, modes, presets, studies
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.+=/:,-]{0,255}$"  # case ids: names joined by '/' (they become anchors)
HEX_PATTERN = r"^[0-9a-f]{7,64}$"  # git commits, blob ids, code hashes
TEXT_MAX_CHARS = 4000  # any free text without a bound of its own
STDERR_TAIL_MAX_CHARS = 3000  # the end of a failed child's stderr that a run keeps
LINE_MAX_CHARS = 256  # one-line facts: a CPU model, an OS, a version

RunId = Annotated[str, StringConstraints(pattern=RUN_ID_PATTERN)]
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Hex = Annotated[str, StringConstraints(pattern=HEX_PATTERN)]
Line = Annotated[str, StringConstraints(max_length=LINE_MAX_CHARS)]
# What every model of the format shares: no unknown field, free text bounded, no NaN or infinity (JSON has neither,
# so a non-finite number written would come back as null and fail its own schema).
BOUNDED = ConfigDict(extra="forbid", str_max_length=TEXT_MAX_CHARS, allow_inf_nan=False)


def valid_run_id(run_id: object) -> bool:
    """Whether `run_id` is a run id: the only form a result file's name may take (no separator, no '..')."""
    return isinstance(run_id, str) and re.fullmatch(RUN_ID_PATTERN, run_id) is not None

# The frameworks the result format knows: every case, comparison and study record names one of these.
FRAMEWORKS = ("torch", "tensorflow")
# The CPU instruction-set flags that decide which kernels the frameworks run (as /proc/cpuinfo names them).
ISA_FLAGS = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile", "avx512_vnni")
PrecisionPath = Literal["native", "emulated"]
PeakSource = Literal["child", "sampled"]

# Keys of a case's config that one framework chooses for itself (how it runs, not what it
# computes); every other key must match for two cases to be compared.
FRAMEWORK_SPECIFIC_KEYS = frozenset({"mode", "layout"})


def case_id_for(workload: str, framework: str, device: str, config: dict[str, Any]) -> str:
    """Stable, readable id: the same case keeps its anchor across runs and rebuilds."""
    parts = [workload, framework, device, str(config.get("task", "train")), str(config.get("precision", "fp32")),
             str(config.get("mode", "default"))]
    if config.get("layout"):
        parts.append(str(config["layout"]))
    parts.append(f"bs{config.get('batch_size')}")
    return "/".join(parts)


SampleStatus = Literal["ok", "crashed", "timeout", "out_of_memory", "unsupported"]
ConfigValue = int | float | Annotated[str, StringConstraints(max_length=LINE_MAX_CHARS)] | bool
Config = dict[Name, ConfigValue]


class _Strict(BaseModel):
    model_config = BOUNDED


class ProcessSample(_Strict):
    """One fresh child process of one case: either measurements or the reason there are none."""

    repeat_index: int
    status: SampleStatus
    reason: str | None = None
    stderr_tail: str | None = Field(None, max_length=STDERR_TAIL_MAX_CHARS)
    started_utc: datetime
    wall_seconds: float
    peak_host_rss_bytes: int | None = Field(
        None, description="the child's own peak RSS: ru_maxrss reaped by its small launcher (the parent's RSS, which "
                          "ru_maxrss keeps through fork and exec, is not in it); see peak_host_rss_source"
    )
    peak_host_rss_source: PeakSource | None = Field(
        None, description="'child': the child's own ru_maxrss; 'sampled': the highest RSS sampled from outside (a child "
                          "killed before its launcher could reap it: a timeout); None: written before the launcher, when "
                          "ru_maxrss never fell below the parent's own RSS"
    )
    foreign_cpu_fraction: float | None = Field(
        None, description="CPU time other processes used while this child ran, over wall time × CPUs: machine load"
    )
    framework_version: Line | None = None
    device_name: Line | None = None
    intra_op_threads: int | None = None
    inter_op_threads: int | None = None
    mode_detail: str | None = Field(None, description="how the mode actually ran (e.g. whether fit used XLA)")
    first_step_seconds: float | None = Field(
        None, description="wall time of the first call (steps_per_call steps): tracing/compilation included"
    )
    warmup_seconds: list[float] = Field(
        default_factory=list, description="wall time of each warm-up call after the first (not divided by "
                                          "steps_per_call); empty in runs that did not record them"
    )
    steps_per_call: int = Field(1, description="steps one timed call runs (Keras fit runs an epoch per call)")
    step_seconds: list[float] = Field(
        default_factory=list, description="measured calls after warm-up, each divided by steps_per_call"
    )
    final_loss: float | None = Field(
        None, description="loss after the last measured step (training) or output sum (inference): fingerprint"
    )
    device_peak_memory_bytes: int | None = None
    memory_phases: dict[Name, int] | None = Field(
        None, description="host RSS in bytes, read by the child at the end of each phase: "
                          "harness (interpreter, numpy, pydantic and the harness), import (framework imported), build (model, optimiser, "
                          "data), steady (after the measured steps)"
    )
    device_memory_phases: dict[Name, int] | None = Field(
        None, description="the framework's own device counters: build and steady (allocated), peak, reserved"
    )
    host_rss_timeline: list[tuple[float, int]] | None = Field(
        None, description="RSS sampled by the parent from outside the child: (seconds since start, bytes), downsampled"
    )
    phase_seconds: dict[Name, float] | None = Field(
        None, description="when each memory phase ended, in seconds since the child started (for the timeline)"
    )
    attempt: int = Field(0, description="0 for the first process of this repeat; 1, 2, ... for re-runs after a "
                                        "process was rejected for machine load")
    admitted: bool = Field(True, description="False: rejected because other processes loaded the machine beyond "
                                             "the run's load threshold; kept, shown, never used for a figure")
    precision_path: PrecisionPath | None = Field(
        None, description="for mixed precision: whether this framework had a native kernel path on this host"
    )
    precision_detail: str | None = Field(None, description="the evidence for precision_path, in words")
    bare_step_seconds: float | None = Field(
        None, description="mean step time of a bare loop of the same step in the same process (no per-step clock "
                          "reads or bookkeeping): the harness overhead is step_seconds' mean over this"
    )
    graph_breaks: int | None = Field(None, description="torch.compile graph breaks counted in this process")
    optimizer_implementation: str | None = Field(
        None, description="the optimizer as the training step built it (torch: fused, foreach or for-loop SGD); None "
                          "for inference and in runs that did not record it"
    )
    data_batches: int | None = Field(
        None, description="distinct batches the step cycled through (all of the data set's unless a case set fewer); "
                          "None in runs that did not record it"
    )


class CaseSummary(_Strict):
    """Statistics over the successful processes of a case (medians over processes, not over steps)."""

    processes_ok: int
    processes_failed: int
    processes_rejected: int = Field(0, description="processes that ran but were rejected for machine load")
    step_seconds_median: float
    step_seconds_q1: float
    step_seconds_q3: float
    within_process_iqr_over_median: float = Field(
        description="median over processes of (step-time IQR / median) inside one process"
    )
    samples_per_second_median: float
    samples_per_second_q1: float
    samples_per_second_q3: float
    first_step_seconds_median: float
    compile_seconds_median: float | None = Field(
        None, description="the first call and the warm-up calls minus as many steady calls (contract.stats."
                          "compile_seconds): tracing, compilation, recompilation, autotuning"
    )
    latency_p50_seconds: float | None = Field(None, description="median over processes of each process's p50 step")
    latency_p99_seconds: float | None = Field(None, description="median over processes of each process's p99 step")
    achieved_flops_per_second: float | None = None
    fraction_of_peak: float | None = Field(None, description="achieved FLOP/s over this framework's measured matmul peak")
    foreign_cpu_fraction_max: float | None = Field(
        None, description="the most load other processes put on the machine during any of these processes"
    )
    peak_host_rss_bytes_median: int | None = None
    device_peak_memory_bytes_median: int | None = None
    final_loss_median: float
    final_loss_vs_default_path: float | None = Field(
        None, description="relative difference of this mode's final training loss from its framework's default path "
                          "in the same configuration (a compiled step must compute what the eager step computes); "
                          "None for the default path itself and where losses are not comparable"
    )
    agrees_with_default_path: bool | None = Field(
        None, description="final_loss_vs_default_path within the run's fingerprint tolerance; a mode that disagrees "
                          "never represents its framework on the best path"
    )


class CaseResult(_Strict):
    case_id: Key
    workload: Name
    framework: Name
    device: Name
    config: Config
    flops_per_step: float | None = Field(
        None, description="FLOPs of one step from the workload's declared formula (train: 3 × forward), where the "
                          "formula was verified; None otherwise"
    )
    flops_verified: bool | None = Field(
        None, description="the declared forward FLOPs equal torch's counter with every kernel decomposed; None: not "
                          "checked (runs before version 4 counted with the counter alone, which misses fused kernels)"
    )
    flops_counted_forward: float | None = Field(None, description="the counter's forward count behind the check")
    not_measured: str | None = Field(
        None, description="why no process of this case was started (a framework this machine does not have), in words"
    )
    planned_processes: int | None = Field(None, description="fresh processes planned for this case (None: the run's "
                                                              "processes_per_case)")
    samples: list[ProcessSample] = Field(default_factory=list)
    summary: CaseSummary | None = None
    code_hash: Hex | None = Field(
        None, description="hash of the code this case ran: the harness, its framework's runtime and its workload's "
                          "folder (contract.code_identity); None in files older than version 4"
    )

    @property
    def shared_config(self) -> dict[str, ConfigValue]:
        return {k: v for k, v in self.config.items() if k not in FRAMEWORK_SPECIFIC_KEYS}

    @property
    def failures(self) -> list[ProcessSample]:
        return [s for s in self.samples if s.status != "ok"]


class PairRecord(_Strict):
    """One pair of adjacent processes of a comparison: which case each side ran in, and their step-time ratio."""

    repeat_index: int
    numerator_case_id: Key
    denominator_case_id: Key
    ratio: float


class FrameworkComparison(_Strict):
    """Step-time ratio numerator/denominator from adjacent process pairs of one shared configuration.

    `path` says which case represents each side: "default" is each framework's default mode (what its
    tutorials teach), "best" its fastest mode and layout, chosen for each pair on the other pairs only
    (leave-one-out), so the choice does not favour the side with more modes; "fastest_same_samples" is the
    version-3 rule, which chose the fastest mode on the same samples it then compared.
    """

    path: Literal["default", "best", "fastest_same_samples"] = "default"

    workload: Name
    device: Name
    config: Config
    numerator: Name
    denominator: Name
    numerator_mode: Name | None = None
    denominator_mode: Name | None = None
    numerator_case_id: Key | None = Field(None, description="the case that represented the numerator's side")
    denominator_case_id: Key | None = Field(None, description="the case that represented the denominator's side")
    fingerprint_tolerance: float | None = Field(
        None, description="the relative final-loss difference up to which both sides count as the same computation"
    )
    min_pairs: int = Field(description="the fewest process pairs for which a verdict is given")
    fingerprint_relative_difference: float | None = Field(
        None, description="relative difference of the two sides' final-loss medians"
    )
    fingerprints_agree: bool | None = Field(None, description="None where the losses are not comparable")
    n_pairs: int
    ratio_median: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    verdict: Literal["numerator_faster", "denominator_faster", "practically_equal", "tie", "insufficient_data",
                     "insufficient_quiet_pairs", "fingerprints_disagree", "not_measured"]
    not_measured_reason: str | None = Field(None, description="why a side was not measured at all (not a failure)")
    interval_coverage: float | None = Field(None, description="the interval's exact coverage at this number of pairs")
    equivalence_margin: float | None = Field(
        None, description="relative difference below which the two are practically equal (0.05: within 5 %)"
    )
    pairs_rejected: int = Field(0, description="processes of this comparison's cases rejected for machine load (each "
                                               "was run again; a repeat that stayed loaded has no pair)")
    holds_for_the_family: bool | None = Field(
        None, description="whether the verdict also holds at the Bonferroni level over all the run's comparisons"
    )
    precision_paths: dict[Name, PrecisionPath | None] = Field(
        default_factory=dict, description="per side, whether mixed precision ran a native kernel path"
    )
    pairs: list[PairRecord] = Field(default_factory=list)

    @property
    def emulated(self) -> bool:
        """A side ran mixed precision without native kernels: the ratio measures a missing instruction set."""
        return any(path == "emulated" for path in self.precision_paths.values())


class WorkloadInfo(_Strict):
    """The declaration a run measured, copied into the file so pages can describe it without the code."""

    title: Line
    description: str
    hyperparameters: Config
    notes: dict[Name, str] = Field(default_factory=dict, description="fairness adaptations, per topic")
    source_dir: Line | None = Field(None, description="the workload's folder, relative to the checkout")


class PeakMatmul(_Strict):
    """A framework's best square-matmul FLOP/s on this machine: the ceiling for fraction-of-peak."""

    framework: Name
    device: Name
    precision: Name
    matrix_size: int
    flops_per_second: float | None = None
    status: SampleStatus = "ok"
    reason: str | None = None


class CallOverhead(_Strict):
    """A framework mode's cost of one call of a trivial inference function (a 1×1 linear layer at batch 1): the
    floor under any batch-1 latency, measured so that a large latency ratio can be explained by evidence."""

    framework: Name
    device: Name
    mode: Name
    seconds_per_call: float | None = None
    status: SampleStatus = "ok"
    reason: str | None = None


class EquivalenceRecord(_Strict):
    """The proof that both implementations compute the same function, published with the run."""

    workload: Name
    status: Literal["ok", "failed"]
    reason: str | None = None
    sizes: Config = Field(default_factory=dict)
    optimizer_steps: int = Field(1, description="steps taken from the same weights on the same batch before comparing")
    trainable_parameters: dict[Name, int] = Field(default_factory=dict)
    forward_max_abs_diff: float | None = None
    loss_abs_diff: float | None = None
    loss_after_step_abs_diff: float | None = None
    forward_after_step_max_abs_diff: float | None = None
    weights_after_step_max_abs_diff: float | None = None
    tolerances: dict[Name, float] = Field(default_factory=dict)
    equivalent: bool = False


class HostInfo(_Strict):
    cpu_model: Line
    logical_cpus: int
    usable_cpus: int
    physical_cores: int | None
    ram_bytes: int
    os: Line
    machine: Line
    cpu_vendor: Line | None = None
    cpu_family: Line | None = None
    cpu_model_number: Line | None = None
    cpu_stepping: Line | None = None
    isa_flags: dict[Name, bool] | None = Field(None, description="each of ISA_FLAGS: present on this CPU; None: not recorded")
    kernel_release: Line | None = None
    hardware_key: str = Field(max_length=4 * LINE_MAX_CHARS,
                              description="what makes two runs the same hardware: CPU identity and ISA, usable CPUs, "
                                          "GPUs (contract.hardware.hardware_key)")


class FrameworkRuntime(_Strict):
    """What a framework says it will use on this host, asked in a child process once per run."""

    installed: bool
    version: Line | None = None
    reason: str | None = Field(None, description="why it is not installed or could not be asked")
    cpu_capability: Line | None = Field(None, description="torch.backends.cpu.get_cpu_capability()")
    onednn_isa: Line | None = Field(None, description="the ISA oneDNN reports (ONEDNN_VERBOSE info line)")
    native_bf16: bool | None = Field(None, description="hardware bf16 instructions and a framework kernel path for them")
    native_bf16_detail: str | None = None


class GpuInfo(_Strict):
    name: Line
    memory_bytes: int | None = None
    driver_version: Line | None = None
    cuda_version: Line | None = None
    cudnn_version: Line | None = None


class Provenance(_Strict):
    git_commit: Hex | None
    git_dirty: bool | None
    code_hash: Hex = Field(description="sha256 over benchmarks/**/*.py: results of changed code never mix silently")
    code_files: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,255}$")], Hex] = Field(
        default_factory=dict, description="git blob id of every measuring and contract source file, by path relative "
                                          "to the checkout: which files two runs' code differs in"
    )
    python_version: Line
    packages: dict[Line, Line] = Field(description="installed versions of the frameworks and the libraries around them")
    host: HostInfo
    gpus: list[GpuInfo] = Field(default_factory=list)
    frameworks: dict[Name, FrameworkRuntime] = Field(default_factory=dict)


class PresetInfo(_Strict):
    """The preset as the run's code defined it: what 'a plain run of this preset' meant then."""

    name: Name
    purpose: str
    processes_per_case: int
    timeout_seconds: float
    timing: bool = Field(description="its step times are for speed comparisons (the memory preset's are not)")
    reference: bool = Field(description="a reference preset: its runs are what a reader sees first")
    modes_left_out: dict[str, str] = Field(
        default_factory=dict, description="training modes the preset does not run, each with the reason")


class RunSettings(_Strict):
    preset: Name
    preset_definition: PresetInfo
    workloads: list[Name]
    frameworks: list[Name]
    device_requested: Name
    device: Name
    processes_per_case: int
    reference_processes: int | None = Field(
        None, description="processes of fp32 training at each workload's reference batch, where verdicts matter most "
                          "(None: processes_per_case)")
    warmup_steps: int
    measured_steps: int
    latency_calls: int = Field(0, description="measured calls of batch-1 inference cases (latency percentiles)")
    timeout_seconds: float
    threads: int
    calibrate: bool = Field(True, description="peak matmul, FLOP counts and the equivalence proof were measured")
    tasks: list[Name] = Field(default_factory=list, description="filters given on the command line; empty: all")
    modes: list[Name] = Field(default_factory=list)
    precisions: list[Name] = Field(default_factory=list)
    studies: list[Name] = Field(default_factory=list, description="the studies this run planned")
    frameworks_not_installed: list[Name] = Field(
        default_factory=list, description="requested frameworks this machine does not have: their cases are planned "
                                          "and recorded as not measured, never as failures")
    shard: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,3}/[1-9][0-9]{0,3}$")] | None = Field(
        None, description="'K/N': this run holds shard K of N of the plan (fwbench run --shard)")
    merged_from: list[RunId] = Field(default_factory=list, description="run ids of the shards merged into this run")


class StudyInfo(_Strict):
    """A study's declaration as the run measured it, so pages can state the method without the code."""

    title: Line
    description: str
    notes: dict[Name, str] = Field(default_factory=dict)
    parameters: dict[Name, Any] = Field(
        default_factory=dict, description="the study's declared parameters (the export paths, say), typed by "
                                          "contract.payloads"
    )
    source_dir: Line | None = Field(None, description="the study's folder, relative to the checkout")


class StudyRecord(_Strict):
    """One task of a study (a benchmark that is not a step-time case), run in its own child process.

    `data` is the study's own payload, validated by the study's model when it is written;
    a failed task keeps its status and reason like a failed case, so it is shown, not dropped.
    """

    study: Name
    record_id: Line = Field(description="stable across runs: study/framework/workload/config")
    framework: Name | None = None
    workload: Name | None = None
    device: Name
    config: Config = Field(default_factory=dict)
    status: SampleStatus
    reason: str | None = None
    stderr_tail: str | None = Field(None, max_length=STDERR_TAIL_MAX_CHARS)
    started_utc: datetime
    wall_seconds: float
    peak_host_rss_bytes: int | None = None
    peak_host_rss_source: PeakSource | None = Field(None, description="as ProcessSample.peak_host_rss_source")
    foreign_cpu_fraction: float | None = Field(None, description="load other processes put on the machine meanwhile")
    data: dict[Name, Any] = Field(default_factory=dict)
    code_hash: Hex | None = Field(None, description="hash of the harness and the study's folder (contract.code_identity)")


class JudgingRules(_Strict):
    """The rules this run's summaries and comparisons were judged by, recorded with the run.

    The site describes a run by these, never by the constants of the code that renders it, so an
    old run keeps its own tolerances, interval method, default modes and purpose.
    """

    confidence_level: float
    interval_method: str = Field(description="how the interval of a comparison's ratio was formed, in words")
    min_pairs_for_verdict: int
    fingerprint_tolerance: dict[Name, float] = Field(description="relative final-loss tolerance per precision")
    default_modes: dict[Name, list[Name]] = Field(description="each framework's default path: what its tutorials teach")
    timing_run: bool = Field(description="the run's step times are for speed pages: a timing preset, with cases")
    reference_run: bool = Field(description="a run of a reference preset: what a reader sees first")
    loaded_machine_fraction: float = Field(
        description="foreign CPU load above which a process's timing is flagged (and, where load_gated, rejected)"
    )
    load_gated: bool = Field(False, description="a process above the load threshold was rejected and re-run")
    max_load_retries: int = Field(0, description="re-runs of one repeat after rejections, at most")
    equivalence_margin: float | None = Field(None, description="within this relative difference: practically equal")
    best_path_selection: str | None = Field(None, description="how each side's best mode was chosen, in words")
    multiplicity: str | None = Field(None, description="how the number of comparisons is accounted for, in words")


class RunResult(_Strict):
    schema_version: int
    run_id: RunId
    status: Literal["complete", "incomplete"]
    started_utc: datetime
    finished_utc: datetime | None = None
    command: str = Field(description="the command line that started the run (home and checkout paths as ~ and "
                                     "<repo>)")
    settings: RunSettings
    provenance: Provenance
    workloads: dict[Name, WorkloadInfo] = Field(default_factory=dict)
    peak_matmul: list[PeakMatmul] = Field(default_factory=list)
    equivalence: list[EquivalenceRecord] = Field(default_factory=list)
    call_overhead: list[CallOverhead] = Field(default_factory=list)
    cases: list[CaseResult] = Field(default_factory=list)
    comparisons: list[FrameworkComparison] = Field(default_factory=list)
    studies: list[StudyRecord] = Field(default_factory=list)
    study_info: dict[Name, StudyInfo] = Field(default_factory=dict)
    rules: JudgingRules

    def study_records(self, study: str) -> list[StudyRecord]:
        return [r for r in self.studies if r.study == study]

    def case(self, case_id: str | None) -> CaseResult | None:
        return next((c for c in self.cases if c.case_id == case_id), None) if case_id else None

    @property
    def is_timing_run(self) -> bool:
        """Whether the speed pages may stand on this run: as the run itself recorded it."""
        return self.rules.timing_run


