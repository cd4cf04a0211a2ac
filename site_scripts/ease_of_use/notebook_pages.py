"""Each executed example as a notebook page: the notebook a run stored, with a heading, its provenance, a link
back to the article and a heading per cell, written out for mkdocs-jupyter to render (never to execute).
"""

from __future__ import annotations

import copy
from typing import Any

from mkdocs.utils import get_relative_url

from contract.payloads import EaseOfUseData, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.ease_of_use import examples
from site_scripts.text import labels, provenance_text


def _markdown(text: str, cell_id: str) -> dict[str, Any]:
    """A markdown cell with a fixed id (nbformat 4.5 wants one; a random one would change every build)."""
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a page at this docs path (directory URLs)."""
    return src_uri.rsplit(".", 1)[0] + "/"


def article_link(run: RunResult, src_uri: str) -> str:
    """From the notebook page to the article page that shows this run (its permalink), relative."""
    return get_relative_url(f"ease-of-use--{run.run_id}/", page_url(src_uri))


def page_notebook(run: RunResult, record: StudyRecord) -> dict[str, Any]:
    """The stored notebook, outputs untouched, with the markdown a reader needs around its code cells."""
    data: EaseOfUseData = payload(record)
    notebook = copy.deepcopy(data.notebook)
    src_uri = examples.notebook_src_uri(run, record)
    framework = labels.framework_name(record.framework or "")
    task = examples.task_of(record).replace("_", " ")
    header = (
        f"# Ease of use, {task}: {framework}\n\n"
        f"The `{data.example}` example of the [Ease of use]({article_link(run, src_uri)}) article, as run "
        f"`{run.run_id}` executed it: `fwbench run` read the file with jupytext and ran it with nbclient in a kernel of "
        f"its own ({provenance_text.run_caption(run)}). The outputs below are what that run recorded; this page did "
        "not execute anything. The buttons at the top download it as a notebook (`.ipynb`, with these outputs) and as "
        "the percent-format script (`.py`).")
    cells = [_markdown(header, "fwbench-header")]
    by_index = {cell.index: cell for cell in data.cells}
    for index, cell in enumerate(notebook.get("cells", [])):
        shown = by_index.get(index)
        if shown is not None and shown.title:
            note = (f"\n\nThis cell must raise: it is tagged `raises-exception` (lines {shown.first_line}–"
                    f"{shown.last_line} of the example).") if shown.expects_error else \
                f"\n\nLines {shown.first_line}–{shown.last_line} of the example."
            cells.append(_markdown(f"## {shown.title}{note}", f"fwbench-title-{index}"))
        cells.append(cell)
    notebook["cells"] = cells
    return notebook


def pages(runs: list[RunResult]) -> dict[str, tuple[RunResult, StudyRecord]]:
    """docs path -> (run, record) of every executed example of every run, failed ones left out (nothing to show)."""
    return {examples.notebook_src_uri(run, record): (run, record)
            for run in runs for record in run.study_records(examples.STUDY) if record.status == "ok"}
