"""The companion notebooks against the site built from the committed results/ (slow: each runs in a kernel).

- Each notebook, run as the build runs it, computes the numbers of its article's chart data file
  (data/<page>/<chart>.json) for the same run; Ecosystem has no chart, so its footprint table is
  compared with the one the article prints.
- A reader downloads the `.ipynb` from the built site, runs it from a folder of their own with the
  project's environment against the committed results/, and gets the table the notebook page shows.
- The executed example notebooks are pages with both downloads, and nothing on them names the
  machine that ran them.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from site_scripts.notebooks import site_pages
from site_scripts.text import formatting
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e

NOTEBOOKS = REPO_ROOT / "docs" / "notebooks"
COMPANIONS = sorted(path.stem for path in NOTEBOOKS.glob("*.py"))
# Appended to a notebook: the chart it names and the figure it drew, as JSON.
PROBE = ("import json as _json\n"
         "print('FWBENCH-PROBE' + _json.dumps({'chart': CHART_ID, 'figure': _json.loads(figure.to_json())}))")
READER_ENV_DROPPED = ("FWBENCH_RESULTS_DIR", "FWBENCH_DEFAULT_RUN")


def _execute(notebook: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run a notebook as a reader would: a fresh python3 kernel of this environment, in `cwd`, no build settings."""
    saved = {name: os.environ.pop(name) for name in READER_ENV_DROPPED if name in os.environ}
    try:
        NotebookClient(notebook, kernel_name="python3", timeout=600, allow_errors=False,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.update(saved)
    return notebook


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _probe(notebook: nbformat.NotebookNode) -> dict:
    for output in notebook.cells[-1].outputs:
        if output.get("output_type") == "stream" and "FWBENCH-PROBE" in _text(output["text"]):
            return json.loads(_text(output["text"]).split("FWBENCH-PROBE", 1)[1])
    raise AssertionError("the probe cell printed nothing")


def _points(trace: dict) -> dict[tuple[str, str], tuple]:
    """(trace name, x) -> (y, error plus, error minus), from a figure trace or a chart data file's trace."""
    xs = [str(x) for x in site_pages.values(trace.get("x"))]
    ys = site_pages.values(trace.get("y"))
    error = trace.get("error_y") or {}
    plus = site_pages.values(trace.get("error_y_plus", error.get("array")))
    minus = site_pages.values(trace.get("error_y_minus", error.get("arrayminus")))
    return {(trace.get("name"), x): (ys[i], plus[i] if plus else None, minus[i] if minus else None)
            for i, x in enumerate(xs)}


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))


@pytest.mark.parametrize("name", [name for name in COMPANIONS if name != "ecosystem"])
def test_a_companion_notebook_computes_its_articles_chart_data(name, committed_site, tmp_path):
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE, id="fwbench-probe"))
    probe = _probe(_execute(notebook, REPO_ROOT))
    chart_file = committed_site / "data" / name / f"{probe['chart']}.json"
    assert chart_file.is_file(), f"{name}: the article has no chart data file {chart_file.name}"
    chart = json.loads(chart_file.read_text(encoding="utf-8"))
    published: dict = {}
    for trace in chart["traces"]:
        for key, value in _points(trace).items():
            published.setdefault(key, []).append(value)
    computed = {key: value for trace in probe["figure"]["data"] for key, value in _points(trace).items()}
    assert computed, f"{name}: the notebook's figure has no points"
    for key, (y, plus, minus) in computed.items():
        candidates = published.get(key)
        assert candidates, f"{name}: {key} is not in {chart_file.name}"
        assert any(_close(y, c[0]) and (plus is None or _close(plus, c[1])) and (minus is None or _close(minus, c[2]))
                   for c in candidates), f"{name}: {key}: notebook {y, plus, minus}, article {candidates}"
    if name in ("performance", "memory"):  # every point of the article's measured traces is recomputed
        measured = {key for key in published if not str(key[0]).endswith(" fit")}
        assert measured <= set(computed), f"{name}: not recomputed: {sorted(measured - set(computed))[:5]}"


def test_the_ecosystem_notebook_computes_the_articles_footprint_table(committed_site):
    notebook = jupytext.read(NOTEBOOKS / "ecosystem.py")
    notebook.cells.append(nbformat.v4.new_code_cell(
        "print('FWBENCH-PROBE' + headline.to_json(orient='records'))", id="fwbench-probe"))
    executed = _execute(notebook, REPO_ROOT)
    rows = next(json.loads(_text(o["text"]).split("FWBENCH-PROBE", 1)[1]) for o in executed.cells[-1].outputs
                if o.get("output_type") == "stream")
    page = html.unescape((committed_site / "ecosystem" / "index.html").read_text(encoding="utf-8"))
    assert rows
    # Each table row as its cells' text (a distribution's name is a code span there).
    table_rows = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", tr, re.DOTALL)]
                  for tr in re.findall(r"<tr>.*?</tr>", page, re.DOTALL)]
    for row in rows:
        line = next((cells for cells in table_rows if row["framework"] in cells and row["distribution"] in cells), None)
        assert line is not None, f"no footprint row for {row['framework']} {row['distribution']}"
        for column in ("installed_alone_mib", "installed_with_requirements_mib"):
            assert any(f"{formatting.mebibytes(row[column] * 2**20)} MiB" in cell for cell in line), (column, line)
        assert str(row["distributions"]) in line


def _cells(markup: str) -> list[list[list[str]]]:
    """Every pandas table in some HTML, as rows of cell texts (headers included)."""
    return [[[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
            for table in BeautifulSoup(markup, "html.parser").find_all("table", class_="dataframe")]


def _headline_html(notebook: nbformat.NotebookNode) -> str:
    """The table the headline cell shows (the code cell whose last line displays `headline`)."""
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source.strip().splitlines()[-1].startswith("headline"))
    return next(_text(o["data"]["text/html"]) for o in cell.outputs if "text/html" in o.get("data", {}))


@pytest.mark.parametrize("name", COMPANIONS)
def test_a_downloaded_notebook_run_against_the_committed_results_gives_the_pages_table(name, committed_site, tmp_path):
    download = committed_site / "notebooks" / name / f"{name}.ipynb"
    assert download.is_file() and (committed_site / "notebooks" / name / f"{name}.py").is_file()
    reader = tmp_path / "reader"
    reader.mkdir()
    shutil.copy(download, reader / download.name)
    executed = _execute(nbformat.read(reader / download.name, as_version=4), reader)
    table = _cells(_headline_html(executed))[0]
    page = _cells((committed_site / "notebooks" / name / "index.html").read_text(encoding="utf-8"))
    assert len(table) > 1 and table in page, f"{name}: the downloaded notebook's table is not one the page shows"
    assert not [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"], \
        f"{name}: the notebook printed on stderr (a stray warning?)"


def test_each_executed_example_is_a_page_with_both_downloads_and_no_machine_path(committed_site):
    pages = sorted((committed_site / "notebooks" / "ease-of-use").glob("*/*/index.html"))
    assert pages, "no executed example pages: results/ should hold a run of the ease_of_use study"
    for page in pages:
        folder = page.parent
        assert (folder / f"{folder.name}.ipynb").is_file() and (folder / f"{folder.name}.py").is_file()
        text = page.read_text(encoding="utf-8")
        for machine in (str(REPO_ROOT), "/tmp/", "ipykernel_", "/home/", "/root/"):
            assert machine not in text, f"{page.relative_to(committed_site)} names {machine!r}"
        notebook = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
        nbformat.validate(notebook)
        stray = [output for cell in notebook.cells if cell.cell_type == "code"
                 and "shows-warning" not in cell.metadata.get("tags", []) for output in cell.outputs
                 if output.get("name") == "stderr"]
        assert not stray, f"{page.relative_to(committed_site)}: stray stderr {stray[:1]}"
        assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("name", COMPANIONS)
def test_a_companion_notebook_page_shows_outputs_without_stray_warnings_or_machine_paths(name, committed_site):
    page = (committed_site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
    assert "Not executed" not in page, f"{name}: the committed results should feed every companion notebook"
    assert "jp-OutputArea-output" in page, f"{name}: no outputs: the build did not execute it"
    # No error can be there (allow_errors is false): output in stderr's type is a stray warning or log line.
    assert "application/vnd.jupyter.stderr" not in page, f"{name}: a cell printed on stderr (a stray warning?)"
    assert str(REPO_ROOT) not in page and "/tmp/" not in page, f"{name}: a path of the building machine"
