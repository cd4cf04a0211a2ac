"""Each executed example as a notebook page: the notebook a run stored, with a heading, its provenance, a link
back to the article and a heading per cell, written out for mkdocs-jupyter to render (never to execute).
"""

from __future__ import annotations

import html
import re
from typing import Any

import nbformat

from mkdocs.utils import get_relative_url

from contract.payloads import EaseOfUseData, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.ease_of_use import examples
from site_scripts.text import formatting, labels, provenance_text


def _markdown(text: str, cell_id: str) -> dict[str, Any]:
    """A markdown cell with a fixed id (nbformat 4.5 wants one; a random one would change every build)."""
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a page at this docs path (directory URLs)."""
    return src_uri.rsplit(".", 1)[0] + "/"


def article_link(run: RunResult, src_uri: str) -> str:
    """From the notebook page to the article page that shows this run (its permalink), relative."""
    return get_relative_url(f"ease-of-use--{run.run_id}/", page_url(src_uri))


# Output types a notebook from a result file may show: text only. HTML, SVG, JavaScript or Markdown outputs would be
# rendered as they are, so a hostile result file could run a script on the site (issue 19); the examples print text.
TEXT_OUTPUT_TYPES = {"text/plain"}


def untrusted_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """A notebook read from a result file, rebuilt from the fields a page needs and made inert: markdown and raw cells
    (and cells of any other type) become markdown of escaped text without links, code cells keep their source, integer execution
    count and `tags`, outputs keep only streams, errors and text/plain, and every cell gets a fresh id. Nothing else
    passes (cell ids, types or metadata that break nbformat's schema would fail the build). The build's page guard
    checks the rendered page as well (hooks.on_page_content)."""
    cells = []
    for index, cell in enumerate(_list(notebook.get("cells"))):
        cell = cell if isinstance(cell, dict) else {}
        text = _text(cell.get("source"))
        if cell.get("cell_type") != "code":
            cells.append(_markdown(_inert_markdown(text), f"fwbench-cell-{index}"))
            continue
        # mkdocs-jupyter prints a cell's tags as they are (unescaped): only plain names pass.
        tags = [tag for tag in _list((cell.get("metadata") or {}).get("tags"))
                if isinstance(tag, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", tag)]
        count = cell.get("execution_count")
        cells.append({"cell_type": "code", "id": f"fwbench-cell-{index}", "metadata": {"tags": tags} if tags else {},
                      "source": text, "execution_count": count if type(count) is int else None,
                      "outputs": [kept for output in _list(cell.get("outputs")) if (kept := _text_output(output))]})
    return nbformat.v4.new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


# Square brackets as character references: the text reads the same, and no link or image (`[a](javascript:…)`,
# a reference definition) can form. The examples' own markdown has no links.
_NO_LINKS = {ord("["): "&#91;", ord("]"): "&#93;"}


def _inert_markdown(text: str) -> str:
    """Markdown that stays Markdown (headings, emphasis, code) with no HTML and no link."""
    return html.escape(text, quote=False).translate(_NO_LINKS)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "".join(str(part) for part in value) if isinstance(value, list) else ("" if value is None else str(value))


def _text_output(output: Any) -> dict[str, Any] | None:
    """The output as text, or None for an output a page must not render (HTML, images, scripts)."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return {"output_type": "stream", "name": name, "text": _text(output.get("text"))}
    if kind == "error":
        return {"output_type": "error", "ename": _text(output.get("ename")), "evalue": _text(output.get("evalue")),
                "traceback": [_text(line) for line in _list(output.get("traceback"))]}
    if kind in ("execute_result", "display_data"):
        data = {mime: _text(value) for mime, value in (output.get("data") or {}).items() if mime in TEXT_OUTPUT_TYPES}
        if not data:
            return None
        kept = {"output_type": kind, "data": data, "metadata": {}}
        if kind == "execute_result":
            count = output.get("execution_count")
            kept["execution_count"] = count if type(count) is int else None
        return kept
    return None


def page_notebook(run: RunResult, record: StudyRecord) -> dict[str, Any]:
    """The stored notebook, made inert (untrusted_notebook), with the markdown a reader needs around its code
    cells; every recorded value in that markdown is escaped."""
    data: EaseOfUseData = payload(record)
    notebook = untrusted_notebook(data.notebook)
    src_uri = examples.notebook_src_uri(run, record)
    framework = labels.framework_name(record.framework or "")
    task = examples.task_of(record).replace("_", " ")
    header = (
        f"# Ease of use, {formatting.cell(task)}: {formatting.cell(framework)}\n\n"
        f"The {formatting.code_span(data.example)} example of the [Ease of use]({article_link(run, src_uri)}) article, "
        f"as run {formatting.code_span(run.run_id)} executed it: `fwbench run` read the file with jupytext and ran it "
        f"with nbclient in a kernel of its own ({formatting.cell(provenance_text.run_caption(run))}). The outputs "
        f"below are what that run recorded (text only); this page did "
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
            cells.append(_markdown(f"## {formatting.cell(shown.title)}{note}", f"fwbench-title-{index}"))
        cells.append(cell)
    notebook["cells"] = cells
    return notebook


def pages(runs: list[RunResult]) -> dict[str, tuple[RunResult, StudyRecord]]:
    """docs path -> (run, record) of every executed example of every run, failed ones left out (nothing to show)."""
    return {examples.notebook_src_uri(run, record): (run, record)
            for run in runs for record in run.study_records(examples.STUDY) if record.status == "ok"}
