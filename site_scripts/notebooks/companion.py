"""What every companion notebook (docs/notebooks/*.py) needs besides its own analysis: where the results are,
which run its article shows, and how to show a plotly figure both on the site and in a reader's Jupyter.

The notebooks load runs through the contract's loader (contract.files) and analyse them with pandas in their own
cells; this module holds only what must agree with the site: the rule that picks "the run the article shows" is
the build's own (site_scripts.chrome.run_selector.page_runs), so a notebook and its article never disagree on it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import plotly.graph_objects as go

from contract.files import complete_runs, load_run
from contract.schema import RunResult
from site_scripts.chrome import run_selector
from site_scripts.paths import DOCS_DIR, REPO_ROOT
from site_scripts.text import provenance_text

RESULTS_DIR_ENV = "FWBENCH_RESULTS_DIR"  # = site_scripts.hooks.RESULTS_DIR_ENV: the build sets it for the kernel too


class NoRunError(Exception):
    """Nothing to analyse; the message is one line that says what to do."""


def results_dir() -> Path:
    """$FWBENCH_RESULTS_DIR (the site build sets it), else `results/` in the current folder, else the checkout's."""
    configured = os.environ.get(RESULTS_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    here = Path.cwd() / "results"
    return here if here.is_dir() and complete_runs(here) else REPO_ROOT / "results"


def load_runs(directory: Path | None = None) -> list[RunResult]:
    """Every finished whole run (shards are parts of a run, shown once merged), oldest first."""
    directory = results_dir() if directory is None else directory
    paths = complete_runs(directory)
    if not paths:
        raise NoRunError(f"no result files in {directory}: run `fwbench run` first, or set {RESULTS_DIR_ENV}")
    return [run for run in (load_run(path) for path in paths) if run.settings.shard is None]


def shown_run(article: str, runs: list[RunResult], run_id: str | None = None) -> RunResult:
    """The run the article (`performance.md`, ...) shows by default, by the build's own rule ($FWBENCH_DEFAULT_RUN,
    which `fwbench build --default-run` sets, else the reference rule); or the run `run_id` names."""
    if run_id:
        chosen = next((run for run in runs if run.run_id == run_id), None)
        if chosen is None:
            raise NoRunError(f"RUN_ID = {run_id!r}: no such run among the {len(runs)} in {results_dir()}; "
                             f"set it to None or to one of: {', '.join(run.run_id for run in runs)}")
        return chosen
    markdown = (DOCS_DIR / article).read_text(encoding="utf-8")
    _, default = run_selector.page_runs(markdown, runs)
    if default is None:
        raise NoRunError(f"no run in {results_dir()} has anything for {article}")
    return default


def describe(run: RunResult) -> str:
    """One line that names the run: id, preset, hardware, versions."""
    return (f"run {run.run_id} · preset {run.settings.preset} · {provenance_text.hardware_label(run)} · "
            f"{', '.join(provenance_text.versions(run))}")


def show(figure: go.Figure, div_id: str) -> None:
    """Display a figure as light HTML drawn by the page's own plotly.js (on the site: the one local bundle; no
    plotly.js or MathJax embedded), with plotly's own JSON beside it for a Jupyter that has plotly's renderer."""
    from IPython.display import display

    html = figure.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False, div_id=div_id)
    display({"text/html": html, "application/vnd.plotly.v1+json": json.loads(figure.to_json()),
             "text/plain": f"<plotly figure {div_id}: {len(figure.data)} traces>"}, raw=True)
