"""The one MkDocs hook module: load the runs, ship the chart scripts, fill the placeholders.

Results directory: $FWBENCH_RESULTS_DIR, else `results/` next to mkdocs.yml. The build
fails with one line if that directory holds no run or any run file is unusable,
rather than publishing pages without numbers.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

# MkDocs imports a hook by file path with only this file's folder on sys.path; the
# repository root is needed for `benchmarks` and `site_scripts` when mkdocs runs from elsewhere.
if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from contract.files import ResultFileError, complete_runs, load_run  # noqa: E402
from contract.schema import RunResult  # noqa: E402
from site_scripts import placeholders
from site_scripts.chrome import chart_data, citation, run_selector

pass  # regroup-removed-import  # noqa: E402
pass  # regroup-removed-import  # noqa: E402

RESULTS_DIR_ENV = "FWBENCH_RESULTS_DIR"
CHARTS_SCRIPT = Path(__file__).resolve().parent / "chrome" / "assets" / "fwbench-charts.js"

_runs: list[RunResult] = []
# Per page (docs path): the runs it can show and the one it does; filled by on_files.
_eligible: dict[str, list[RunResult]] = {}
_shows: dict[str, RunResult] = {}
_base_of: dict[str, str] = {}
_used: dict[str, list[RunResult]] = {}
# Chart data files (site path -> text), collected while pages render, written after the build.
_data_files: dict[str, str] = {}


def results_dir(config: MkDocsConfig) -> Path:
    configured = os.environ.get(RESULTS_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(config.config_file_path).resolve().parent / "results"


def all_runs(directory: Path) -> list[RunResult]:
    """Every finished run file, oldest first (names start with the UTC time), each loaded and validated."""
    paths = complete_runs(directory)
    if not paths:
        raise PluginError(f"no result files in {directory}: run `fwbench run` first")
    try:
        runs = [load_run(path) for path in paths]
    except ResultFileError as exc:
        raise PluginError(str(exc)) from None
    # A shard is part of a run, shown once merged (fwbench merge), never on its own.
    whole = [run for run in runs if run.settings.shard is None]
    if not whole:
        raise PluginError(f"{directory} holds only shards: merge them with `fwbench merge` first")
    return whole


def newest_run(directory: Path) -> RunResult:
    return all_runs(directory)[-1]


def plotly_js_path() -> Path:
    """plotly.js as shipped inside the plotly package: the exact version its figure JSON is written for."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise PluginError(f"plotly.min.js not found at {path}: reinstall the plotly package")
    return path


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _runs
    _runs = all_runs(results_dir(config))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "assets/javascripts/plotly.min.js", abs_src_path=str(plotly_js_path())))
    files.append(File.generated(config, "assets/javascripts/fwbench-charts.js", abs_src_path=str(CHARTS_SCRIPT)))
    add_run_pages(files, config)
    return files


def add_run_pages(files: Files, config: MkDocsConfig) -> None:
    """Each page drawing on one run gets a copy per run that has something for it, `<page>--<run id>.md`:
    the run selector's targets and the permalinks to cite. The page itself shows the default run."""
    placeholders.load_pages()
    _eligible.clear(), _shows.clear(), _base_of.clear(), _used.clear(), _data_files.clear()
    for file in list(files.documentation_pages()):
        eligible, default = run_selector.page_runs(file.content_string, _runs)
        if default is None:
            continue
        _eligible[file.src_uri] = eligible
        _shows[file.src_uri] = default
        _base_of[file.src_uri] = file.src_uri
        for run in eligible:
            src_uri = run_selector.variant_src_uri(file.src_uri, run)
            # Kept out of search: the same words as the page itself.
            content = "---\nsearch:\n  exclude: true\n---\n\n" + file.content_string
            files.append(File.generated(config, src_uri, content=content))
            _eligible[src_uri], _shows[src_uri], _base_of[src_uri] = eligible, run, file.src_uri


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _runs:
        raise PluginError("internal: on_page_markdown ran before on_config loaded the runs")
    src_uri = page.file.src_uri
    names = run_selector.page_placeholders(markdown)
    shown = _shows.get(src_uri)
    view = run_selector.runs_view(_runs, shown) if shown is not None else _runs
    filled = placeholders.fill_placeholders(markdown, view, page=src_uri)
    if not names:
        return filled
    used = run_selector.runs_used(names, view)
    _used[src_uri] = used
    if shown is not None:
        filled = run_selector.insert_after_title(filled, run_note(page, files, shown, used))
    return filled + "\n\n" + cite_block(page, files, filled, shown, used, config)


def _url_of(files: Files, src_uri: str) -> str:
    file = files.get_file_from_path(src_uri)
    if file is None:
        raise PluginError(f"internal: no page {src_uri}")
    return file.url


def run_note(page: Page, files: Files, shown: RunResult, used: list[RunResult]) -> str:
    """Which run the page shows, and the selector over the runs that have something for it."""
    src_uri = page.file.src_uri
    base = _base_of[src_uri]
    default = _shows[base]
    choices = []
    for run in _eligible[src_uri]:
        target = base if run is default else run_selector.variant_src_uri(base, run)
        choices.append(run_selector.RunChoice(run, get_relative_url(_url_of(files, target), page.url), run is shown))
    borrowed = [run for run in used if run is not shown]
    return run_selector.run_note_html(shown, borrowed, choices, default)


def cite_block(page: Page, files: Files, markdown: str, shown: RunResult | None, used: list[RunResult],
               config: MkDocsConfig) -> str:
    """'Cite this page': the permalink is the page that shows this run, which stays while the run stays."""
    src_uri = page.file.src_uri
    target = run_selector.variant_src_uri(_base_of[src_uri], shown) if shown is not None else src_uri
    url = _url_of(files, target)
    site_url = config.site_url
    permalink = (site_url.rstrip("/") + "/" + url) if site_url else ("/" + url)
    title = citation.page_title(markdown, page.title or src_uri)
    return citation.cite_markdown(title, used, permalink, permalink_is_relative=not site_url)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Under each chart: its numbers as a folded table and links to its data as CSV and JSON files."""
    run_ids = [run.run_id for run in _used.get(page.file.src_uri, [])]
    stem = page.file.src_uri.rsplit(".", 1)[0]

    def add_table(match) -> str:
        import json

        chart_id = match.group("id")
        try:
            figure = json.loads(match.group("json"))
        except ValueError as exc:
            raise PluginError(f"{page.file.src_uri}: chart {chart_id}: figure JSON does not parse: {exc}") from None
        base = f"data/{stem}/{chart_id}"
        _data_files[base + ".json"] = chart_data.chart_json(figure, chart_id, page.url, run_ids)
        _data_files[base + ".csv"] = chart_data.chart_csv(figure)
        return match.group(0) + chart_data.table_html(
            figure, get_relative_url(base + ".csv", page.url), get_relative_url(base + ".json", page.url), chart_id)

    return chart_data.FIGURE_SCRIPT.sub(add_table, html)


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    for relative, text in _data_files.items():
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` rebuilds when a new run lands, not only when a page changes."""
    directory = results_dir(config)
    if directory.is_dir():
        server.watch(str(directory))
    return server
