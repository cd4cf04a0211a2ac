"""Which harness setting moves which framework: the MLP's reference training case in the harness's own settings and
with one setting changed at a time, each framework in fresh, interleaved processes.

Issue 14 found the harness's TensorFlow step 8-10 % slower than a minimal stand-alone loop of the same model, and its
PyTorch step about 10 % faster. The settings that differ between the two: torch's optimizer implementation (fused
SGD here, foreach by default), the inter-op thread pool (as many threads as intra-op here, 1 in the minimal loop),
and the data (32 batches cycled here, one batch in the minimal loop). Each variant changes one of them, and
`minimal_loop` changes all of them at once, so the study says which setting moves which side and by how much.

Every process is an ordinary measuring child (benchmarks.harness.timing_child: the one timing loop), given the
settings as case knobs (`optimizer_implementation`, `inter_op_threads`, `data_batches`) that the runtimes honour and
record. A task is one round: each framework in each variant once, frameworks alternating, the variant order rotated
from round to round so no variant always runs first; where the preset gates on machine load, a loaded process is
kept, marked and run again, at most MAX_LOAD_RETRIES times. Rounds pair the processes: a variant's ratio to the
harness's setting is formed round by round, like a comparison's pairs.
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks import registry
from benchmarks.presets import DEFAULT_MODES, PRESETS
from benchmarks.study import PlanContext, Probe, ProbeOutcome, Study, StudyTask
from contract import stats
from contract.payloads import SettingsProcess, StepSettingsData

WORKLOAD = "mlp"
# Rounds per preset: 10, as many pairs as the reference comparisons have; one round anywhere else (a smoke test:
# fewer than the 6 pairs an interval needs, so it names no winner).
ROUNDS = {"full": 10}
HARNESS = stats.HARNESS_SETTING
# Per framework, each variant and the settings it overrides; {} keeps the harness's own.
VARIANTS: dict[str, dict[str, dict[str, str | int]]] = {
    "torch": {
        HARNESS: {},
        "foreach_sgd": {"optimizer_implementation": "foreach"},
        "inter_op_1": {"inter_op_threads": 1},
        "one_batch": {"data_batches": 1},
        "minimal_loop": {"optimizer_implementation": "foreach", "inter_op_threads": 1, "data_batches": 1},
    },
    "tensorflow": {
        HARNESS: {},
        "inter_op_1": {"inter_op_threads": 1},
        "one_batch": {"data_batches": 1},
        "minimal_loop": {"inter_op_threads": 1, "data_batches": 1},
    },
}


def plan(context: PlanContext) -> list[StudyTask]:
    """One task per round; none where the run leaves out the MLP or the CPU (the thread settings are CPU ones)."""
    if WORKLOAD not in context.workloads or context.device != "cpu" or context.preset not in PRESETS:
        return []
    frameworks = [fw for fw in VARIANTS if fw in context.frameworks]
    if not frameworks:
        return []
    preset = PRESETS[context.preset]
    return [StudyTask(None, WORKLOAD, {"preset": preset.name, "round": index, "frameworks": ",".join(frameworks)},
                      timeout_seconds=preset.timeout_seconds)
            for index in range(ROUNDS.get(context.preset, 1))]


def round_order(frameworks: list[str], index: int) -> list[tuple[str, str]]:
    """(framework, variant) in the order a round runs them: variants rotated by the round's index, frameworks
    alternating within a variant and swapping who goes first every other round."""
    variants = list(dict.fromkeys(v for fw in frameworks for v in VARIANTS[fw]))
    shift = index % len(variants)
    rotated = variants[shift:] + variants[:shift]
    ordered = frameworks if index % 2 == 0 else list(reversed(frameworks))
    return [(fw, variant) for variant in rotated for fw in ordered if variant in VARIANTS[fw]]


def drive(task: StudyTask, probe: Probe) -> dict[str, Any]:
    workload = registry.workloads()[str(task.workload)]
    preset = PRESETS[str(task.config["preset"])]
    sizes = workload.preset(preset.sizes_name)
    frameworks = str(task.config["frameworks"]).split(",")
    index = int(task.config["round"])
    threshold = stats.LOADED_MACHINE_FRACTION if preset.load_gated else None
    processes = []
    for framework, variant in round_order(frameworks, index):
        config = {**sizes.model, "task": "train", "precision": "fp32", "mode": DEFAULT_MODES[framework][0],
                  "batch_size": sizes.batch_size, **VARIANTS[framework][variant]}
        for attempt in range(stats.MAX_LOAD_RETRIES + 1 if threshold is not None else 1):
            outcome = probe(workload.name, framework, config, warmup_steps=preset.warmup_steps,
                            measured_steps=preset.measured_steps)
            process = settings_process(framework, variant, attempt, outcome, threshold)
            processes.append(process)
            if process.admitted:
                break
    return StepSettingsData(
        workload=workload.name, sizes=preset.sizes_name, batch_size=sizes.batch_size,
        modes={fw: DEFAULT_MODES[fw][0] for fw in frameworks}, round_index=index, warmup_steps=preset.warmup_steps,
        measured_steps=preset.measured_steps, loaded_machine_fraction=threshold,
        variants={fw: VARIANTS[fw] for fw in frameworks}, processes=processes,
    ).model_dump()


def settings_process(framework: str, variant: str, attempt: int, outcome: ProbeOutcome,
                     threshold: float | None) -> SettingsProcess:
    """A probe's outcome as the study records it; a successful process above the load threshold is not admitted."""
    result = outcome.result or {}
    steps = result.get("step_seconds") or []
    loaded = (threshold is not None and outcome.status == "ok" and outcome.foreign_cpu_fraction is not None
              and outcome.foreign_cpu_fraction > threshold)
    return SettingsProcess(
        framework=framework, variant=variant, attempt=attempt, status=outcome.status, reason=outcome.reason,
        wall_seconds=outcome.wall_seconds, foreign_cpu_fraction=outcome.foreign_cpu_fraction, admitted=not loaded,
        step_seconds_median=statistics.median(steps) if steps else None,
        final_loss=result.get("final_loss"), optimizer_implementation=result.get("optimizer_implementation"),
        intra_op_threads=result.get("intra_op_threads"), inter_op_threads=result.get("inter_op_threads"),
        data_batches=result.get("data_batches"),
    )


STUDY = Study(
    name="step_settings",
    title="Which harness setting moves which framework",
    description="The MLP's reference training case in the harness's settings and with one setting changed at a time "
                "(torch's optimizer implementation, inter-op threads, cycled batches), each framework in fresh "
                "interleaved processes through the harness's timing child; ratios to the harness's setting paired "
                "round by round.",
    plan=plan,
    default_presets=("full",),
    default_devices=("cpu",),
    data_model=StepSettingsData,
    drive=drive,
)
