"""Install footprint per framework: what this environment holds for it, how long its import takes,
and (in the full preset, where a package index answers) what a fresh venv with only it weighs.

Measured from the installed distributions' metadata and from fresh processes and environments,
never from the framework's own claims; the framework is imported only in subprocesses.
"""

from __future__ import annotations

from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import FootprintData

# framework -> (distribution name on the index, module name to import); tensorflow-cpu is what
# constraints.txt installs here, and the GPU build is `tensorflow` (measured where it is installed).
DISTRIBUTIONS = {"torch": (("torch",), "torch"), "tensorflow": (("tensorflow-cpu", "tensorflow"), "tensorflow")}
IMPORT_REPEATS = 3
FRESH_VENV_PRESETS = ("full",)


def plan(context: PlanContext) -> list[StudyTask]:
    fresh = context.preset in FRESH_VENV_PRESETS
    return [StudyTask(framework, None, {"fresh_venv": fresh}, timeout_seconds=1800.0)
            for framework in context.frameworks if framework in DISTRIBUTIONS]


STUDY = Study(
    name="footprint",
    title="Install footprint",
    description="Installed bytes and distributions from metadata, cold import time, and a fresh venv per framework.",
    plan=plan,
    default_presets=("site", "quick", "full", "gpu"),
    data_model=FootprintData,
)
