"""Install footprint per framework: what this environment holds for it, how long its import takes,
and (in the full preset, where a package index answers) what a fresh venv with only it weighs.

Measured from the installed distributions' metadata and from fresh processes and environments,
never from the framework's own claims; the framework is imported only in subprocesses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from benchmarks.study import PlanContext, Study, StudyTask

# framework -> (distribution name on the index, module name to import); tensorflow-cpu is what
# constraints.txt installs here, and the GPU build is `tensorflow` (measured where it is installed).
DISTRIBUTIONS = {"torch": (("torch",), "torch"), "tensorflow": (("tensorflow-cpu", "tensorflow"), "tensorflow")}
IMPORT_REPEATS = 3
FRESH_VENV_PRESETS = ("full",)


class DistributionSize(BaseModel):
    name: str
    version: str
    installed_bytes: int
    files: int


class FreshVenv(BaseModel):
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


class FootprintData(BaseModel):
    distribution: str
    version: str
    module: str
    closure: list[DistributionSize]
    missing: list[str]
    root_installed_bytes: int
    closure_installed_bytes: int
    import_seconds: list[float]
    fresh_venv: FreshVenv


def plan(context: PlanContext) -> list[StudyTask]:
    fresh = context.preset in FRESH_VENV_PRESETS
    return [StudyTask(framework, None, {"fresh_venv": fresh}, timeout_seconds=1800.0)
            for framework in context.frameworks if framework in DISTRIBUTIONS]


STUDY = Study(
    name="footprint",
    title="Install footprint",
    description="Installed bytes and distributions from metadata, cold import time, and a fresh venv per framework.",
    plan=plan,
    default_presets=("quick", "full", "gpu"),
    data_model=FootprintData,
)
