"""The typed payload of every study: what a study's child writes into StudyRecord.data.

The measuring side validates each payload with its model before it is stored; the rendering
side reads a record's payload through `payload(record)`, so both sides agree on every field,
and a renderer never guesses a default for a field the study did not write.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from contract.schema import TEXT_MAX_CHARS, StudyInfo, StudyRecord


class _Payload(BaseModel):
    """A payload's strings are bounded and its numbers finite, like every field of the result file."""

    model_config = ConfigDict(str_max_length=TEXT_MAX_CHARS, allow_inf_nan=False)

# --- export: the deployment matrix ----------------------------------------------------------------


ExportStage = Literal["export", "load", "run", "compare", "dynamic_batch"]


class ExportCell(_Payload):
    """What one export path did to one model; a failure keeps its stage and message."""

    path_id: str
    title: str
    runtime: str
    status: Literal["ok", "failed"]
    failed_stage: ExportStage | None = None
    error_type: str | None = None
    message: str | None = None
    warnings: list[str] = []
    notes: list[str] = []
    export_seconds: float | None = None
    artifact_bytes: int | None = None
    load_seconds: float | None = None
    latency_seconds_median: float | None = None
    max_abs_diff: float | None = None
    dynamic_batch: bool | None = None
    dynamic_batch_detail: str | None = None
    dynamic_batch_max_abs_diff: float | None = None


class ExportData(_Payload):
    framework_version: str
    export_batch: int
    other_batch: int
    input_shape: list[int]
    input_dtype: str
    reference_latency_seconds_median: float
    threads: int
    cells: list[ExportCell]


class ExportParameters(_Payload):
    """What the export study declares: its paths per framework (id -> what it is), so a missing cell shows."""

    paths: dict[str, dict[str, str]]


def export_paths(info: StudyInfo | None) -> dict[str, dict[str, str]]:
    """The export paths a run's export study declared; none where the run did not run it."""
    return ExportParameters.model_validate(info.parameters).paths if info is not None else {}


# --- retracing ------------------------------------------------------------------------------------


class ScenarioResult(_Payload):
    scenario: str  # stable id, e.g. "function_input_signature"
    api: str  # what the user writes, e.g. "tf.function(input_signature=...)"
    batch_sizes: list[int]
    traces: int  # TensorFlow: traces of the function; PyTorch: graphs compiled (recompilations included)
    graph_breaks: int  # PyTorch: torch._dynamo graph breaks; TensorFlow: always 0 (no such thing)
    graph_break_reasons: list[str] = []  # first line of each distinct reason Dynamo gave
    call_seconds: list[float]  # wall time of each call, in order
    first_call_seconds: float
    total_seconds: float
    steady_call_seconds: float  # median of the second pass over the sizes: every shape already seen
    warnings: list[str] = []  # what the framework itself said (retracing warnings, recompile limits)


class RetracingData(_Payload):
    framework_version: str
    features: int
    hidden_units: int
    scenario: ScenarioResult


# --- accuracy parity ------------------------------------------------------------------------------


class EpochRecord(_Payload):
    epoch: int
    train_loss: float  # mean of the step losses during the epoch (training mode)
    train_accuracy: float  # evaluation-mode pass over the training split after the epoch
    val_loss: float
    val_accuracy: float
    train_seconds: float  # cumulative wall clock of training steps only (first step's tracing included)


class ParityData(_Payload):
    seed: int
    epochs: int
    batch_size: int
    train_samples: int
    val_samples: int
    target_accuracy: float
    framework_version: str
    mode: str
    history: list[EpochRecord]
    seconds_to_target: float | None  # None: the target was never reached
    epoch_to_target: int | None


# --- install footprint ----------------------------------------------------------------------------


class DistributionSize(_Payload):
    name: str
    version: str
    installed_bytes: int
    files: int


class FreshVenv(_Payload):
    status: Literal["ok", "unsupported", "failed", "not_run"]
    reason: str | None = None
    root_wheel_bytes: int | None = None
    wheel_bytes_total: int | None = None
    wheels: int | None = None
    empty_venv_bytes: int | None = None
    venv_bytes: int | None = None
    distributions_added: int | None = None
    install_seconds: float | None = None
    import_seconds: list[float] = []


class FootprintData(_Payload):
    distribution: str
    version: str
    module: str
    closure: list[DistributionSize]
    missing: list[str]
    root_installed_bytes: int
    closure_installed_bytes: int
    import_seconds: list[float]
    fresh_venv: FreshVenv


# --- executed ecosystem checks --------------------------------------------------------------------


class CheckData(_Payload):
    check: str
    claim: str
    passed: bool
    evidence: dict[str, str | int | float | bool | list[float]]
    versions: dict[str, str]


# --- largest batch that fits ----------------------------------------------------------------------


class Attempt(_Payload):
    batch_size: int
    status: str
    reason: str | None = None


class MaxBatchData(_Payload):
    start: int
    limit: int
    attempts: list[Attempt]
    largest_fitting: int | None
    smallest_failing: int | None
    stopped_because: str


# --- ease of use: the side-by-side examples, executed as notebooks ----------------------------------


class ExampleError(BaseModel):
    """What a cell raised, as the kernel reported it; paths in it are repository-relative."""

    type: str  # the exception's class name, e.g. "RuntimeError"
    module: str  # the class's module, e.g. "builtins"
    message: str  # str(exception), terminal colours removed
    line: int | None = None  # the example file's line of the innermost frame in the example's own code
    code: str | None = None  # that line's text


class ExampleCell(BaseModel):
    """One code cell of an example, with where it stands in the example file and what it raised."""

    index: int  # position in the notebook's cells
    title: str
    first_line: int  # 1-based line of the cell's first source line in the example file
    last_line: int
    expects_error: bool  # tagged raises-exception
    error: ExampleError | None = None
    seconds: float | None = None  # wall time of the cell as the kernel ran it


class EaseOfUseData(BaseModel):
    """One example of the ease-of-use article run as a notebook (jupytext read it, nbclient ran it in its own
    kernel): the executed notebook itself (nbformat 4 JSON, outputs with repository-relative paths), and per cell
    where it stands in the example file and what it raised."""

    task: str
    example: str  # the example file, relative to the repository
    versions: dict[str, str]  # distribution -> version in the kernel's environment (torch, tensorflow-cpu, keras, ...)
    python: str
    seconds: float  # the whole notebook, kernel start included
    cells: list[ExampleCell]
    removed_stderr: list[str] = []  # first line of each stray stderr output left out of the notebook (framework noise)
    notebook: dict[str, Any]


# --- step settings: which harness setting moves which framework -----------------------------------


class SettingsProcess(BaseModel):
    """One fresh timing process (the harness's own timing child) of one framework in one setting variant."""

    framework: str
    variant: str
    attempt: int = 0  # 0, then 1, 2 ... for re-runs after a process was rejected for machine load
    status: str
    reason: str | None = None
    wall_seconds: float
    foreign_cpu_fraction: float | None = None
    admitted: bool = True  # False: other processes loaded the machine beyond the recorded threshold; never used
    step_seconds_median: float | None = None  # the median of the process's measured steps
    final_loss: float | None = None
    # The settings as the child says it ran them (the variant asks; this is what happened):
    optimizer_implementation: str | None = None
    intra_op_threads: int | None = None
    inter_op_threads: int | None = None
    data_batches: int | None = None


class StepSettingsData(BaseModel):
    """One round of the study: every framework in every variant once, in fresh processes, interleaved."""

    workload: str
    sizes: str
    batch_size: int
    modes: dict[str, str]  # per framework: the default-path mode the variants run in
    round_index: int
    warmup_steps: int
    measured_steps: int
    loaded_machine_fraction: float | None  # None: processes were not load-gated
    # framework -> variant -> the settings it overrides ({} is the harness's own setting, the baseline)
    variants: dict[str, dict[str, dict[str, str | int]]]
    processes: list[SettingsProcess]


class SettingCell(BaseModel):
    """One framework in one variant over the study's rounds."""

    framework: str
    variant: str
    overrides: dict[str, str | int]
    processes_admitted: int
    processes_rejected: int
    processes_failed: int
    step_seconds_median: float | None  # median over admitted processes of each one's median step
    optimizer_implementation: str | None
    inter_op_threads: int | None
    data_batches: int | None
    failure: str | None = None  # the first failed process's status and reason, when one failed


class SettingRatio(BaseModel):
    """Step-time ratio numerator / denominator, paired within each round (processes minutes apart)."""

    numerator_framework: str
    numerator_variant: str
    denominator_framework: str
    denominator_variant: str
    n_pairs: int
    ratio_median: float | None
    ci_low: float | None
    ci_high: float | None
    interval_coverage: float | None
    verdict: str  # contract.stats.verdict_of: numerator_faster, denominator_faster, practically_equal, tie, ...


class StepSettingsSummary(BaseModel):
    """The study over all its rounds (contract.stats.step_settings_summary), as the page shows it."""

    workload: str
    sizes: str
    batch_size: int
    modes: dict[str, str]
    rounds: int
    confidence_level: float
    equivalence_margin: float | None
    cells: list[SettingCell]
    effects: list[SettingRatio]  # each variant against its framework's harness setting
    framework_ratios: list[SettingRatio]  # torch / TensorFlow in each variant both ran


# The model of each study's payload, by study name.
PAYLOADS: dict[str, type[BaseModel]] = {
    "export": ExportData,
    "retracing": RetracingData,
    "accuracy_parity": ParityData,
    "footprint": FootprintData,
    "ecosystem_checks": CheckData,
    "max_batch": MaxBatchData,
    "ease_of_use": EaseOfUseData,
    "step_settings": StepSettingsData,
}


def payload(record: StudyRecord) -> BaseModel | None:
    """The record's payload as its study's model; None for a failed task (it has no payload)."""
    if record.status != "ok":
        return None
    model = PAYLOADS.get(record.study)
    if model is None:
        raise KeyError(f"study {record.study!r} has no payload model in contract.payloads")
    return model.model_validate(record.data)
