"""Run one example as a notebook: jupytext reads it, nbclient executes it in a kernel of its own.

The libraries do the work: jupytext parses the percent format (titles and cell metadata included),
nbclient runs the cells in a fresh ipykernel and lets a cell tagged `raises-exception` raise, and
nbformat validates what is stored. What stays here is what they cannot do:

- a cell tagged `raises-exception` that raised nothing fails the task (nbclient only allows the error);
- the error checklist needs the example file's own line numbers, and a kernel compiles each cell
  under a temporary file name of its own with cell-relative lines: each cell is located in the file
  (its source is there verbatim), and after an error the kernel is asked, silently, for the frames of
  its last traceback, mapped back to file lines;
- outputs must carry no path of the machine that ran them: the kernel's cell files become the example
  file with its real line numbers, the checkout becomes repository-relative, the scratch folder and
  the temporary folder become placeholders; stray stderr output (framework log noise) is left out of
  the notebook and its first lines are kept in the record instead.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import sysconfig
import tempfile
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from benchmarks.paths import REPO_ROOT

RAISES = "raises-exception"
# A cell whose warning on stderr is part of what it teaches keeps it; the page says so.
SHOWS_WARNING = "shows-warning"
# The kernel's environment: the CPU only, the framework's C++ log noise off, the same hash seed every run.
KERNEL_ENV = {"CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", "COLUMNS": "100",
              "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
VERSIONS_OF = ("torch", "tensorflow-cpu", "tensorflow", "keras", "numpy", "scikit-learn", "ipykernel")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
COLOUR = r"(?:\x1b\[[0-9;]*m)*"
EXAMPLE_MARK = "\x00example\x00"  # stands for the example's path while the machine's prefixes are replaced
# Asked of the kernel after a cell raised, without touching its history or outputs.
LAST_FRAMES = ("__import__('json').dumps([[f.filename, f.lineno, f.line] for f in "
               "__import__('traceback').extract_tb(__import__('sys').last_traceback)])")
LAST_ERROR = ("__import__('json').dumps([type(__import__('sys').last_value).__module__, "
              "type(__import__('sys').last_value).__name__])")
CELL_FILES = "__import__('json').dumps(getattr(get_ipython().compile, '_filename_map', {}))"


class ExampleFailed(Exception):
    """The example did not do what it declares; the message is one line: file, line, what happened."""


def plain(text: str) -> str:
    """Keras colours its error messages with terminal escapes; a page shows the text."""
    return ANSI_ESCAPE.sub("", text)


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def cell_first_lines(text: str, notebook: nbformat.NotebookNode, where: str) -> dict[int, int]:
    """Cell index -> 1-based line of the cell's first source line in the file, for every code cell.

    Jupytext copies a code cell's source verbatim from the lines after its `# %%` marker, so each
    cell is found as a block of lines, in order."""
    lines = text.splitlines()
    cursor, found = 0, {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        block = cell.source.splitlines()
        start = next((i for i in range(cursor, len(lines) - len(block) + 1) if lines[i:i + len(block)] == block), None)
        if start is None:
            raise ExampleFailed(f"{where}: cell {index} ({cell.metadata.get('title', 'untitled')!r}) is not in the "
                                "file as jupytext read it")
        found[index] = start + 1
        cursor = start + len(block)
    return found


class PathNormaliser:
    """Rewrites a kernel's output so that it names no path of the machine that ran it."""

    def __init__(self, example: str, scratch: Path) -> None:
        self.example = example
        self.cell_files: dict[str, int] = {}  # kernel file name of a cell -> file line of its first line
        # The scratch folder the kernel runs in is its current folder: paths in it become relative.
        prefixes = [(str(scratch.resolve()) + os.sep, ""), (str(scratch) + os.sep, ""),
                    (str(scratch.resolve()), "."), (str(scratch), "."), (str(REPO_ROOT) + os.sep, "")]
        for name, label in (("purelib", "<site-packages>"), ("stdlib", "<python>")):
            location = sysconfig.get_paths().get(name)
            if location and not Path(location).resolve().is_relative_to(REPO_ROOT):
                prefixes.append((str(Path(location).resolve()), label))
        prefixes.append((str(Path(tempfile.gettempdir()).resolve()), "<tmp>"))
        if len(Path.home().parts) > 1:  # a home of "/" would turn every path into ~
            prefixes.append((str(Path.home()), "~"))
        self.prefixes = prefixes

    def know_cells(self, cell_numbers: dict[str, int], count_to_index: dict[int, int], first_lines: dict[int, int]) -> None:
        """The kernel's file name of each executed cell (from its execution count) -> the cell's first file line."""
        self.cell_files = {name: first_lines[count_to_index[number]] for name, number in cell_numbers.items()
                           if count_to_index.get(number) in first_lines}

    def __call__(self, text: str) -> str:
        for cell_file, first_line in self.cell_files.items():
            # `File "<cell file>", line 3`, pdb's `<cell file>(3)` and `<cell file>:3`: the example file's own line.
            # IPython colours them: terminal escapes may stand between the name, the separator and the number.
            pattern = re.compile(re.escape(cell_file) + rf'(?P<sep>{COLOUR}(?:"?, line |\(|:){COLOUR})(?P<line>\d+)')
            text = pattern.sub(lambda m: f"{EXAMPLE_MARK}{m['sep']}{int(m['line']) + first_line - 1}", text)
            text = text.replace(cell_file, EXAMPLE_MARK)
        for prefix, replacement in self.prefixes:
            text = text.replace(prefix, replacement)
        return text.replace(EXAMPLE_MARK, self.example)


def _kernel_env(threads: int) -> dict[str, str]:
    env = {**os.environ, **KERNEL_ENV, "OMP_NUM_THREADS": str(threads)}
    env.pop("PYTHONWARNINGS", None)  # the interpreter's default warning filters, as a reader's notebook has
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return env


def _ask(client: NotebookClient, expression: str) -> Any:
    """Evaluate one expression in the kernel, silently (no history, no output), and decode its JSON text."""
    reply = client.wait_for_reply(client.kc.execute("", silent=True, store_history=False,
                                                    user_expressions={"fwbench": expression}))
    value = ((reply or {}).get("content", {}).get("user_expressions", {}).get("fwbench") or {})
    if value.get("status") != "ok":
        return None
    return json.loads(ast.literal_eval(value["data"]["text/plain"]))


def _error_output(cell: nbformat.NotebookNode) -> dict[str, Any] | None:
    return next((output for output in cell.get("outputs", []) if output.get("output_type") == "error"), None)


def _error_of(client: NotebookClient, cell: nbformat.NotebookNode, first_lines: dict[int, int],
              count_to_index: dict[int, int], normalise: PathNormaliser) -> dict:
    """The error a cell raised: type, message and the example's own innermost line, from the kernel's traceback.
    Asked right after the cell, before another cell replaces the kernel's last traceback."""
    cell_numbers = _ask(client, CELL_FILES) or {}
    normalise.know_cells(cell_numbers, count_to_index, first_lines)
    output = _error_output(cell) or {}
    module, name = _ask(client, LAST_ERROR) or ["builtins", output.get("ename", "Exception")]
    line, code = None, None
    for filename, lineno, text in reversed(_ask(client, LAST_FRAMES) or []):
        index = count_to_index.get(cell_numbers.get(filename, -1))
        if index is not None and index in first_lines:
            line, code = first_lines[index] + lineno - 1, (text or "").strip()
            break
    return {"type": name, "module": module, "message": normalise(plain(output.get("evalue", ""))),
            "line": line, "code": code}


def _tidy_outputs(cell: nbformat.NotebookNode, normalise: PathNormaliser) -> list[str]:
    """Normalise every output's text; drop stray stderr (unless the cell shows a warning on purpose)."""
    removed, kept = [], []
    keeps_stderr = SHOWS_WARNING in cell.metadata.get("tags", [])
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            output["text"] = normalise(output["text"])
            if output.get("name") == "stderr" and not keeps_stderr:
                removed.append(plain(output["text"]).strip().splitlines()[0][:300] if output["text"].strip() else "")
                continue
        elif output.get("output_type") == "error":
            output["evalue"] = normalise(output["evalue"])
            output["traceback"] = [normalise(line) for line in output["traceback"]]
        elif "data" in output:
            output["data"] = {mime: normalise(value) if isinstance(value, str) else value
                              for mime, value in output["data"].items()}
        kept.append(output)
    cell["outputs"] = kept
    return [line for line in removed if line]


def versions() -> dict[str, str]:
    found = {}
    for name in VERSIONS_OF:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_example(path: Path, *, threads: int = 1, timeout: float = 300.0) -> dict[str, Any]:
    """Execute the example in a kernel of its own; the payload for EaseOfUseData. ExampleFailed (one line) when
    a cell raised without being tagged `raises-exception`, or a tagged cell raised nothing."""
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ExampleFailed(f"{where}: {exc.strerror}") from None
    notebook = jupytext.reads(text, fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    first_lines = cell_first_lines(text, notebook, where)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fwbench-example-") as scratch_dir:
        scratch = Path(scratch_dir)
        normalise = PathNormaliser(where, scratch)
        # The native kernel of this interpreter, never a kernelspec that some other installation left on the path.
        manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]),
                                     transport="ipc", ip=str(scratch / "kernel"))
        client = NotebookClient(notebook, km=manager, timeout=int(timeout), allow_errors=False, record_timing=True,
                                shutdown_kernel="immediate")
        errors: dict[int, dict[str, Any]] = {}
        count_to_index: dict[int, int] = {}
        with client.setup_kernel(env=_kernel_env(threads), cwd=str(scratch), cleanup_kc=True):
            info = client.wait_for_reply(client.kc.kernel_info())
            notebook.metadata["language_info"] = (info or {}).get("content", {}).get("language_info", {})
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue  # nbclient runs no empty cell
                count_to_index[client.code_cells_executed + 1] = index
                try:
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                except CellExecutionError:
                    error = _error_of(client, cell, first_lines, count_to_index, normalise)
                    line = error["line"] or first_lines.get(index, 1)
                    first = next((part.strip() for part in error["message"].splitlines() if part.strip()), "")
                    raise ExampleFailed(f"{where}:{line}: example raised {error['type']}: {first}") from None
                if RAISES in cell.metadata.get("tags", []):
                    if _error_output(cell) is None:
                        raise ExampleFailed(f"{where}:{first_lines.get(index, 1)}: cell "
                                            f"{cell.metadata.get('title', '')!r} is tagged {RAISES} but raised nothing")
                    errors[index] = _error_of(client, cell, first_lines, count_to_index, normalise)
            normalise.know_cells(_ask(client, CELL_FILES) or {}, count_to_index, first_lines)
    seconds = time.perf_counter() - start
    removed: list[str] = []
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        removed += _tidy_outputs(cell, normalise)
        execution = cell.metadata.get("execution", {})
        cells.append({
            "index": index, "title": cell.metadata.get("title", ""), "first_line": first_lines.get(index, 0),
            "last_line": first_lines.get(index, 0) + len(cell.source.splitlines()) - 1,
            "expects_error": RAISES in cell.metadata.get("tags", []), "error": errors.get(index),
            "seconds": _cell_seconds(execution),
        })
        cell.metadata.pop("execution", None)  # wall-clock stamps of this machine: kept as seconds above
    nbformat.validate(notebook)
    return {"example": where, "versions": versions(), "python": sys.version.split()[0], "seconds": seconds,
            "cells": cells, "removed_stderr": removed, "notebook": json.loads(nbformat.writes(notebook))}


def _cell_seconds(execution: dict[str, str]) -> float | None:
    try:
        started = datetime.fromisoformat(execution["iopub.execute_input"].replace("Z", "+00:00"))
        finished = datetime.fromisoformat(execution["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (finished - started).total_seconds()


def run(spec: dict[str, Any], framework: str) -> dict[str, Any]:
    """The study task: spec["config"]["example"] names the task; the example file is `<task>_<framework>.py`."""
    from benchmarks.studies.ease_of_use import TASK_TIMEOUT_SECONDS, example_path

    task = str(spec["config"]["example"])
    path = example_path(task, framework)
    if not path.is_file():
        raise NotImplementedError(f"no {framework} example for the task {task!r}")
    payload = run_example(path, threads=int(spec.get("threads") or 1), timeout=TASK_TIMEOUT_SECONDS)
    return {"task": task, **payload}
