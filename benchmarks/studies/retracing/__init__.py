"""Graph-mode pitfalls, measured: how often each framework traces or compiles again when the
input shape varies, how many graph breaks it takes, and what each costs in wall time.

A small MLP's forward pass is called on a sequence of batch sizes (as the last, smaller batch
of an epoch or variable-length inputs do) under several settings, each in its own fresh child
(nothing compiled, cached or warmed up by another setting): `tf.function` plain, with `reduce_retracing=True` and with an
`input_signature`; `torch.compile` with its default, `dynamic=False` and `dynamic=True`; and,
in both, a forward with a branch on a tensor's value. Counts come from the frameworks' own
counters (`experimental_get_tracing_count`, `torch._dynamo` counters), not from timings.
"""

from __future__ import annotations

from benchmarks.presets import PRESETS
from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import RetracingData

# The batch sizes called in order, per preset: each distinct size once, then all again (cache hits).
BATCH_SIZES = {
    "quick": (16, 24, 32),
    "full": (16, 24, 32, 40, 48, 56),
    "gpu": (64, 96, 128, 160, 192, 224),
}
FEATURES = 64
HIDDEN = 128
TASK_TIMEOUT_SECONDS = 300.0
# The settings compared, per framework: the record's config["scenario"]; each *_impl maps them to code.
SCENARIOS = {
    "torch": ("eager", "compile_default", "compile_static", "compile_dynamic", "compile_branch"),
    "tensorflow": ("eager", "function_default", "function_reduce_retracing", "function_input_signature",
                   "function_branch"),
}


def call_sequence(preset: str) -> list[int]:
    sizes = list(BATCH_SIZES.get(preset, BATCH_SIZES["quick"]))
    return sizes + sizes


# The site preset's small form (what `make site` runs for a newcomer): each framework's default against the setting
# that makes varying shapes cheap, or not.
SMALL_FORM_SCENARIOS = {"site": {"torch": ("eager", "compile_default"),
                                 "tensorflow": ("function_default", "function_input_signature")}}


def plan(context: PlanContext) -> list[StudyTask]:
    timeout = min(TASK_TIMEOUT_SECONDS, PRESETS[context.preset].timeout_seconds) if context.preset in PRESETS \
        else TASK_TIMEOUT_SECONDS
    sizes = PRESETS[context.preset].sizes_name if context.preset in PRESETS else context.preset
    scenarios = SMALL_FORM_SCENARIOS.get(context.preset, SCENARIOS)
    return [StudyTask(framework, None, {"sizes": sizes, "scenario": scenario}, timeout_seconds=timeout)
            for framework in context.frameworks for scenario in scenarios.get(framework, ())]


STUDY = Study(
    name="retracing",
    title="Retracing and recompilation when input shapes vary",
    description="A small MLP's forward pass over varying batch sizes under tf.function and torch.compile settings; "
                "traces, recompilations and graph breaks counted by the frameworks, each call timed.",
    plan=plan,
    default_presets=("site", "quick", "full", "gpu"),
    data_model=RetracingData,
)
