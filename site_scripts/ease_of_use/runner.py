"""Child process that executes one example file cell by cell and writes what each cell did as JSON.

Usage: python -m site_scripts.ease_of_use.runner EXAMPLE.py OUT.json

A fresh interpreter per example, because examples import torch or tensorflow and the site
build must not. Cells share one namespace, like a notebook. Each cell is compiled with the
example's own file name and line numbers, so a traceback points at the example's real line.
An unexpected error stops the example and is reported; the parent turns it into a failed build.

"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from site_scripts.ease_of_use import example_cells

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain(text: str) -> str:
    """Keras colours its error messages with terminal escapes; a page shows the text."""
    return ANSI_ESCAPE.sub("", text)


def user_frame(error: BaseException, filename: str) -> dict[str, Any] | None:
    """The innermost traceback frame in the example file: the user's own line that led to the error."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    if not frames:
        return None
    return {"line": frames[-1].lineno, "code": (frames[-1].line or "").strip()}


def describe_error(error: BaseException, filename: str) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "module": type(error).__module__,
        "message": plain(str(error)),
        "user_frame": user_frame(error, filename),
        "traceback": plain("".join(traceback.format_exception(error))),
    }


def run_cell(cell: example_cells.Cell, filename: str, namespace: dict[str, Any]) -> dict[str, Any]:
    captured = io.StringIO()
    error: BaseException | None = None
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        try:
            exec(compile(cell.padded_source, filename, "exec"), namespace)  # noqa: S102 - executing our own examples
        except Exception as exc:  # noqa: BLE001 - every error is data for the parent
            error = exc
    return {"first_line": cell.first_line, "output": plain(captured.getvalue()),
            "error": describe_error(error, filename) if error else None}


def run_example(path: Path) -> dict[str, Any]:
    filename = str(path.resolve())
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": filename}
    cells = []
    for cell in example_cells.read_cells(path):
        outcome = run_cell(cell, filename, namespace)
        cells.append(outcome)
        if outcome["error"] and not cell.expects_error:
            break
    return {"path": filename, "python": sys.version.split()[0], "cells": cells}


def main(argv: list[str]) -> int:
    example, out = Path(argv[0]), Path(argv[1])
    out.write_text(json.dumps(run_example(example)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
