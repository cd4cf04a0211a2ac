"""The ease-of-use article's side-by-side examples, executed as notebooks by `fwbench run`.

Each task is written once per framework, as a Jupytext percent-format file found by rule:
`examples/<task>_<framework>.py`, so adding a task never edits a list. Each (task, framework)
is one study task: jupytext reads the file, nbclient runs it in a kernel of its own (a cell tagged
`raises-exception` must raise, any other error fails the task), and the executed notebook is
stored in the run with that run's versions and hardware. The site renders what was stored and
never runs an example itself (notebook_run.py says what is done by hand, and why).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import EaseOfUseData

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
FRAMEWORKS = ("torch", "tensorflow")
TASK_TIMEOUT_SECONDS = 600.0


def example_tasks(directory: Path = EXAMPLES_DIR) -> dict[str, list[str]]:
    """task -> the frameworks it has an example file for, tasks in file-name order."""
    tasks: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.py")):
        stem, _, framework = path.stem.rpartition("_")
        if stem and framework in FRAMEWORKS:
            tasks.setdefault(stem, []).append(framework)
    return {task: [fw for fw in FRAMEWORKS if fw in found] for task, found in tasks.items()}


def example_path(task: str, framework: str, directory: Path = EXAMPLES_DIR) -> Path:
    return directory / f"{task}_{framework}.py"


def plan(context: PlanContext) -> list[StudyTask]:
    return [StudyTask(framework, None, {"example": task}, timeout_seconds=TASK_TIMEOUT_SECONDS)
            for framework in context.frameworks for task, frameworks in example_tasks().items()
            if framework in frameworks]


STUDY = Study(
    name="ease_of_use",
    title="The ease-of-use examples, executed as notebooks",
    description="Each task written once per framework as a percent-format notebook, read by jupytext and run by "
                "nbclient in a kernel of its own; the executed notebook is stored with the run.",
    plan=plan,
    default_presets=("site", "quick", "full"),
    default_devices=("cpu",),
    data_model=EaseOfUseData,
    parameters={"examples_dir": "benchmarks/studies/ease_of_use/examples", "tasks": example_tasks()},
)
