"""Parent side of build-time examples: run each example file in a fresh child, check every cell did
what it declares, and fail with one line naming the file and line otherwise.

The site build calls this, never imports a framework itself: each example runs in its own
`python -m site_scripts.ease_of_use.runner` child, in a scratch directory (checkpoints land there),
on the CPU, one thread each, at most two at a time. Outcomes are kept per (file, content) for the
life of the process, so a page that shows the same example twice runs it once.

"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from site_scripts.ease_of_use import example_cells
from site_scripts.paths import REPO_ROOT

EXAMPLE_TIMEOUT_SECONDS = 180.0


PARALLEL_EXAMPLES = 2


CHILD_ENV = {"CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0",
             "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "default", "COLUMNS": "100"}


class ExampleError(PluginError):
    """An example that failed at build time; the message is one line: file, line, what happened."""


@dataclass(frozen=True)
class CellOutcome:
    cell: example_cells.Cell
    output: str
    error: dict[str, Any] | None


@dataclass(frozen=True)
class ExampleOutcome:
    path: Path
    cells: list[CellOutcome]
    seconds: float

    def errors(self) -> list[CellOutcome]:
        return [outcome for outcome in self.cells if outcome.error]


_outcomes: dict[tuple[str, str], ExampleOutcome] = {}


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def checked(path: Path, cells: list[example_cells.Cell], report: dict[str, Any], seconds: float) -> ExampleOutcome:
    """Pair each cell with what it did; raise ExampleError for an unexpected error or a missing expected one."""
    where = display_path(path)
    by_line = {entry["first_line"]: entry for entry in report["cells"]}
    outcomes = []
    for cell in cells:
        entry = by_line.get(cell.first_line)
        if entry is None:  # a previous cell failed; it is reported below
            break
        error = entry["error"]
        if error and not cell.expects_error:
            line = (error.get("user_frame") or {}).get("line", cell.first_line)
            raise ExampleError(f"{where}:{line}: example raised {error['type']}: {_first_line(error['message'])}")
        if cell.expects_error and not error:
            raise ExampleError(f"{where}:{cell.first_line}: cell {cell.title!r} is tagged raises-exception "
                               "but raised nothing")
        outcomes.append(CellOutcome(cell=cell, output=entry["output"], error=error))
    return ExampleOutcome(path=path, cells=outcomes, seconds=seconds)


def _key(path: Path) -> tuple[str, str]:
    return str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()


def _execute(path: Path) -> ExampleOutcome:
    where = display_path(path)
    try:
        cells = example_cells.read_cells(path)
    except example_cells.ExampleFormatError as exc:
        raise ExampleError(str(exc)) from None
    except OSError as exc:
        raise ExampleError(f"{where}: {exc.strerror}") from None
    with tempfile.TemporaryDirectory(prefix="fwbench-example-") as scratch:
        out = Path(scratch) / "outcome.json"
        env = {**os.environ, **CHILD_ENV, "PYTHONPATH": str(REPO_ROOT)}
        start = time.perf_counter()
        try:
            finished = subprocess.run([sys.executable, "-m", "site_scripts.ease_of_use.runner", str(path.resolve()), str(out)],
                                      cwd=scratch, env=env, capture_output=True, text=True,
                                      timeout=EXAMPLE_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ExampleError(f"{where}: example still running after {EXAMPLE_TIMEOUT_SECONDS:.0f} s") from None
        seconds = time.perf_counter() - start
        if finished.returncode != 0 or not out.is_file():
            last = _first_line("\n".join(finished.stderr.strip().splitlines()[-1:])) or f"exit status {finished.returncode}"
            raise ExampleError(f"{where}: example process failed: {last}")
        report = json.loads(out.read_text(encoding="utf-8"))
    return checked(path, cells, report, seconds)


def run_examples(paths: list[Path]) -> dict[Path, ExampleOutcome]:
    """Every example's outcome, running those not run yet (two at a time); the first failure raises."""
    missing = [path for path in paths if _key(path) not in _outcomes]
    if missing:
        with ThreadPoolExecutor(max_workers=PARALLEL_EXAMPLES) as pool:
            for path, outcome in zip(missing, pool.map(_execute, missing)):
                _outcomes[_key(path)] = outcome
    return {path: _outcomes[_key(path)] for path in paths}


def run_example(path: Path) -> ExampleOutcome:
    return run_examples([path])[path]
