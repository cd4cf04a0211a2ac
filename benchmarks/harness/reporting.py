"""What the runner tells whoever watches it (the CLI's progress bar, or nobody in the tests)."""

from __future__ import annotations

from typing import Protocol

from contract.schema import CaseResult, ProcessSample, StudyRecord


class Reporter(Protocol):
    def planned(self, total: int, already_done: int) -> None: ...

    def sample_started(self, case: CaseResult, repeat_index: int) -> None: ...

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None: ...

    def phase(self, description: str) -> None: ...

    def task_started(self, record_id: str) -> None: ...

    def task_finished(self, record: StudyRecord) -> None: ...

class SilentReporter:
    def planned(self, total: int, already_done: int) -> None:
        pass

    def sample_started(self, case: CaseResult, repeat_index: int) -> None:
        pass

    def sample_finished(self, case: CaseResult, sample: ProcessSample) -> None:
        pass

    def phase(self, description: str) -> None:
        pass

    def task_started(self, record_id: str) -> None:
        pass

    def task_finished(self, record: StudyRecord) -> None:
        pass
