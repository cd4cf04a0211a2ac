"""One cell of the export matrix: export, reload, run and compare one model through one path.

Framework-free on purpose: each framework file describes its paths (how to export, how to load,
how to call the loaded artifact) and this module runs them the same way, so every path is
measured alike and a failing path becomes a failed cell with its stage and message instead of
losing the rest of the matrix.
"""

from __future__ import annotations

import contextlib
import statistics
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from contract.payloads import ExportCell, ExportStage

LATENCY_CALLS = 20
MESSAGE_LIMIT = 600

Runner = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ExportPath:
    """How one path turns a model into an artifact and back.

    `export(directory)` writes the artifact under `directory` and returns its path (file or
    folder); `load(artifact)` returns a callable from a numpy batch to numpy outputs in the
    target runtime; `runtime(...)` names the runtime that ran, which may be decided at load time.
    """

    path_id: str
    title: str
    export: Callable[[Path], Path]
    load: Callable[[Path], Runner]
    runtime: Callable[[], str]


def artifact_bytes(path: Path) -> int:
    """A file's size, or a folder's files added up (a SavedModel is a folder)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def one_line(exc: BaseException) -> str:
    """The exception's own words, on one line and short enough for a table cell."""
    text = " ".join(str(exc).split()) or repr(exc)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


class _Recorder:
    """Collects Python warnings and what libraries print while a stage runs (deprecations are findings)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    @contextlib.contextmanager
    def stage(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for w in caught:
            text = f"{w.category.__name__}: {' '.join(str(w.message).split())}"
            if text not in self.messages:
                self.messages.append(text[:MESSAGE_LIMIT])


def median_latency(run: Runner, x: np.ndarray, calls: int = LATENCY_CALLS) -> float:
    run(x)  # the first call may compile or allocate: latency is the steady state
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        run(x)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_cell(path: ExportPath, directory: Path, x: np.ndarray, expected: np.ndarray,
             other_x: np.ndarray, other_expected: np.ndarray, latency_calls: int = LATENCY_CALLS) -> ExportCell:
    """Export, load, run on `x` (compared with `expected`), time, then try another batch size.

    Never raises: the stage that failed and its message are the cell.
    """
    recorder = _Recorder()
    measured: dict = {}
    stage: ExportStage = "export"
    try:
        with recorder.stage():
            started = time.perf_counter()
            artifact = path.export(directory)
            measured["export_seconds"] = time.perf_counter() - started
            measured["artifact_bytes"] = artifact_bytes(artifact)
            stage = "load"
            started = time.perf_counter()
            runner = path.load(artifact)
            measured["load_seconds"] = time.perf_counter() - started
            stage = "run"
            output = np.asarray(runner(x))
            stage = "compare"
            if output.shape != expected.shape:
                raise ValueError(f"output shape {output.shape} differs from the original's {expected.shape}")
            measured["max_abs_diff"] = float(np.max(np.abs(output.astype(np.float64) - expected.astype(np.float64))))
            stage = "run"
            measured["latency_seconds_median"] = median_latency(runner, x, latency_calls)
            stage = "dynamic_batch"
            measured.update(_dynamic_batch(runner, other_x, other_expected))
    except Exception as exc:  # noqa: BLE001 - a failing path is the finding, whatever it raises
        return ExportCell(path_id=path.path_id, title=path.title, runtime=_runtime(path), status="failed",
                          failed_stage=stage, error_type=type(exc).__name__, message=one_line(exc),
                          warnings=recorder.messages, notes=[_last_frame(exc)], **measured)
    return ExportCell(path_id=path.path_id, title=path.title, runtime=_runtime(path), status="ok",
                      warnings=recorder.messages, **measured)


def _dynamic_batch(runner: Runner, other_x: np.ndarray, other_expected: np.ndarray) -> dict:
    """Whether the artifact accepts a batch size other than the one it was exported with, and agrees there."""
    batch = other_x.shape[0]
    try:
        output = np.asarray(runner(other_x))
    except Exception as exc:  # noqa: BLE001 - a refusal is the answer
        return {"dynamic_batch": False, "dynamic_batch_detail": f"batch {batch} refused: {type(exc).__name__}: {one_line(exc)}"}
    if output.shape != other_expected.shape:
        return {"dynamic_batch": False, "dynamic_batch_detail": f"batch {batch} gave shape {output.shape}"}
    diff = float(np.max(np.abs(output.astype(np.float64) - other_expected.astype(np.float64))))
    return {"dynamic_batch": True, "dynamic_batch_detail": f"batch {batch} ran", "dynamic_batch_max_abs_diff": diff}


def _runtime(path: ExportPath) -> str:
    try:
        return path.runtime()
    except Exception as exc:  # noqa: BLE001
        return f"unknown ({type(exc).__name__})"


def _last_frame(exc: BaseException) -> str:
    """Where it was raised (file:line in function): enough to find it without a whole traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "raised without a traceback"
    frame = frames[-1]
    return f"raised at {Path(frame.filename).name}:{frame.lineno} in {frame.name}"
