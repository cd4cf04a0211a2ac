"""The measuring progress bar of `fwbench run`: the current case, done/total, elapsed time and ETA."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from contract.schema import CaseResult, ProcessSample, StudyRecord


class ProgressReporter:
    """A rich progress bar over processes: the current case, done/total, elapsed and ETA."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console,
        )
        self.task = None

    def planned(self, total: int, already_done: int) -> None:
        if self.task is None:
            self.task = self.progress.add_task("starting", total=total, completed=already_done)
        else:
            self.progress.update(self.task, total=total, completed=already_done)

    def phase(self, description: str) -> None:
        if self.task is None:
            self.task = self.progress.add_task(description, total=None)
        self.progress.update(self.task, description=description)

    def sample_started(self, case: CaseResult, repeat_index: int) -> None:
        self.progress.update(self.task, description=f"{case.case_id} #{repeat_index + 1}")

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None:
        if sample.status != "ok":
            self.console.print(f"[yellow]{case.case_id} #{sample.repeat_index + 1}: {sample.status}: {sample.reason}")
        self.progress.advance(self.task)

    def task_started(self, record_id: str) -> None:
        self.progress.update(self.task, description=record_id)

    def task_finished(self, record: StudyRecord) -> None:
        if record.status != "ok":
            self.console.print(f"[yellow]{record.record_id}: {record.status}: {record.reason}")
        self.progress.advance(self.task)
