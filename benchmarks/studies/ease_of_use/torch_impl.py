"""The torch examples: each runs as a notebook in a kernel of its own (notebook_run.py); this process never imports
torch, the kernel does."""

from __future__ import annotations

from typing import Any

from benchmarks.studies.ease_of_use import notebook_run


def run(spec: dict[str, Any]) -> dict[str, Any]:
    return notebook_run.run(spec, "torch")
