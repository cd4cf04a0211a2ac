"""What the build does around the notebook pages mkdocs-jupyter renders, where its options stop.

mkdocs-jupyter renders every notebook page (`include_requirejs: false`, `execute: true` with
`allow_errors: false` for the companion notebooks, `execute_ignore` for the examples a run executed,
`include_source: true` for the download); mkdocs.yml holds those options. Four things it cannot be
told, done here by hand:

- its cache is keyed on the notebook's own bytes, but a companion notebook's outputs depend on the
  results it loads: the cache folder is keyed on them too (`cache_dir`);
- its template inlines about 590 KB of JupyterLab CSS into every page and adds MathJax (from a CDN, or
  `<script src="">`) and mermaid (imported from a CDN when a diagram shows): `clean` moves the CSS into
  one stylesheet the notebook pages share, and drops the MathJax and mermaid scripts (no notebook here
  has math or diagrams);
- it offers the source file for download: the other format (`.ipynb` of a `.py`, `.py` of an
  `.ipynb`) is written beside it with jupytext (`write_other_format`);
- the figures in notebook outputs are plotly's own HTML (`Plotly.newPlot(id, data, layout, config)`):
  `notebook_figures` reads them back, so the trace-type check and the browser tests see them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import jupytext
import numpy as np
from bs4 import BeautifulSoup, Comment
from mkdocs.exceptions import PluginError

from contract.schema import RunResult
from site_scripts.paths import DOCS_DIR, REPO_ROOT

STYLESHEET = "assets/stylesheets/notebooks.css"
CACHE_ROOT = REPO_ROOT / ".cache" / "mkdocs-jupyter"
# The inputs a companion notebook's outputs depend on, besides its own bytes (which the plugin hashes): the
# results, the run a build was asked to show, the code the notebooks import, the articles whose rule they apply,
# and the pinned versions.
CODE_INPUTS = ("contract", "site_scripts")
WRAPPER = '<div class="jupyter-wrapper">'
# Scripts of mkdocs-jupyter's template that must not reach a page: MathJax and its configuration (src is a CDN
# or empty), and the mermaid module that imports mermaid from a CDN.
DROPPED_SCRIPT_TYPES = {"text/x-mathjax-config", "module"}
OFF_ORIGIN = re.compile(r"""(?:<script[^>]*\bsrc\s*=\s*["']?(?:https?:)?//|<link[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
                        r"""|\bimport\(\s*["'](?:https?:)?//)""", re.IGNORECASE)
NEW_PLOT = re.compile(r"Plotly\.newPlot\(\s*")


def cache_key(results_dir: Path, default_run: str) -> str:
    """sha256 over every result file (name and bytes), the requested default run, the notebooks' code and articles,
    and constraints.txt: equal exactly when a companion notebook would compute the same outputs."""
    digest = hashlib.sha256(f"default_run={default_run}\n".encode())
    inputs = sorted(Path(results_dir).glob("*.json")) + [REPO_ROOT / "constraints.txt"]
    inputs += sorted(DOCS_DIR.glob("*.md"))
    for folder in CODE_INPUTS:
        inputs += sorted((REPO_ROOT / folder).rglob("*.py"))
    for path in inputs:
        if path.is_file():
            digest.update(f"{path.name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_dir(results_dir: Path, default_run: str, root: Path = CACHE_ROOT) -> Path:
    """The plugin's cache folder for these inputs; folders for other inputs are removed (they can only go stale)."""
    chosen = root / cache_key(results_dir, default_run)[:20]
    if root.is_dir():
        for other in root.iterdir():
            if other.is_dir() and other != chosen:
                shutil.rmtree(other, ignore_errors=True)
    return chosen


WRAPPER_END = "<!-- jupyter-wrapper -->"


def notebook_region(html: str, page: str) -> str:
    """The notebook's own cells as the template rendered them, without the template's scripts and styles around
    them: what a notebook from a result file contributes to its page, and what the page guard checks there."""
    start, end = html.find(WRAPPER), html.find(WRAPPER_END)
    if start < 0 or end < start:
        raise PluginError(f"{page}: no {WRAPPER} … {WRAPPER_END} in mkdocs-jupyter's output; its template changed, "
                          "see site_scripts/notebooks/site_pages.py")
    return html[start:end]


def clean(html: str, page: str) -> tuple[str, str]:
    """(the page's notebook HTML without its inline CSS, MathJax and mermaid, the CSS it carried).

    Only what the template puts before the notebook itself is touched; the cells are left byte for byte."""
    head, marker, body = html.partition(WRAPPER)
    if not marker:
        raise PluginError(f"{page}: no {WRAPPER} in mkdocs-jupyter's output; its template changed, see "
                          "site_scripts/notebooks/site_pages.py")
    kept, css = [], []
    for node in BeautifulSoup(head, "html.parser").contents:
        if isinstance(node, Comment) or not str(node).strip():
            continue
        name = getattr(node, "name", None)
        if name == "style":
            css.append(node.get_text())
        elif name == "script" and (node.get("type") in DROPPED_SCRIPT_TYPES or node.get("src") is not None):
            continue
        else:
            kept.append(str(node))
    cleaned = "\n".join(kept) + "\n" + marker + body
    off_origin = OFF_ORIGIN.search(cleaned)
    if off_origin:
        raise PluginError(f"{page}: the notebook page would fetch from another origin ({off_origin.group(0)!r})")
    return cleaned, "\n".join(css)


def other_format(source: Path) -> tuple[str, str]:
    """(file name, text) of the other download: the notebook of a percent-format script, or the script of a notebook."""
    notebook = jupytext.read(source)
    if source.suffix == ".py":
        return source.stem + ".ipynb", jupytext.writes(notebook, fmt="ipynb")
    return source.stem + ".py", jupytext.writes(notebook, fmt="py:percent")


def write_other_format(source: Path, folder: Path) -> Path:
    name, text = other_format(source)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return target


def notebook_figures(html: str) -> dict[str, dict[str, Any]]:
    """div id -> {"data": [...], "layout": {...}} of every figure plotly's own HTML draws in a page."""
    decoder = json.JSONDecoder()
    figures = {}
    for call in NEW_PLOT.finditer(html):
        try:
            div_id, at = decoder.raw_decode(html, call.end())
            parts = []
            for _ in range(2):
                at = html.index(",", at) + 1
                while html[at].isspace():
                    at += 1
                value, at = decoder.raw_decode(html, at)
                parts.append(value)
        except (ValueError, IndexError):
            continue  # a mention of Plotly.newPlot that is not a figure call (the bundle itself)
        if isinstance(div_id, str) and isinstance(parts[0], list):
            figures[div_id] = {"data": parts[0], "layout": parts[1]}
    return figures


def values(array: Any) -> list:
    """A trace's array as a list: plotly writes numpy arrays as typed arrays ({"dtype": "f8", "bdata": base64})."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    if array is None:
        return []
    return list(array) if isinstance(array, (list, tuple)) else [array]


def point_count(trace: dict[str, Any]) -> int:
    """Points a trace plots: the longer of its x and y arrays (what plotly.js draws as its length)."""
    return max(len(values(trace.get("x"))), len(values(trace.get("y"))))


def companions_without_data(runs: list[RunResult], docs_dir: Path = DOCS_DIR) -> dict[str, str]:
    """Companion notebook (docs path) -> why it cannot run on these results: no run has anything for its article
    (History, which draws on every run at once: no timing run). Such a notebook is rendered, not executed, and says
    so; its article says "not measured" too. A notebook whose article has no page (`docs/<name>.md`) is a mistake."""
    from site_scripts.analysis import history
    from site_scripts.chrome import run_selector

    reasons = {}
    for path in sorted((docs_dir / "notebooks").glob("*.py")):
        article = docs_dir / f"{path.stem}.md"
        if not article.is_file():
            raise PluginError(f"notebooks/{path.name}: a companion notebook needs its article docs/{article.name}")
        markdown = article.read_text(encoding="utf-8")
        if run_selector.uses_all_runs(run_selector.page_placeholders(markdown)):
            has_data = bool(history.timing_runs(runs))
        else:
            has_data = run_selector.page_runs(markdown, runs)[1] is not None
        if not has_data:
            reasons[f"notebooks/{path.name}"] = (f"no run in these results has anything for the {article.stem.title()} "
                                                 "article, so this build did not execute its notebook")
    return reasons


def not_executed_note(reason: str) -> str:
    return (f'<div class="admonition warning"><p class="admonition-title">Not executed</p><p>{html.escape(reason)}; '
            "the code below is shown without outputs. Run it against results that hold such a run.</p></div>\n")


def environment_default_run() -> str:
    return os.environ.get("FWBENCH_DEFAULT_RUN", "").strip()
