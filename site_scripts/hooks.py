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
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from benchmarks.schema import ResultFileError, RunResult, complete_runs, load_run  # noqa: E402
from site_scripts.placeholders import fill_placeholders  # noqa: E402

RESULTS_DIR_ENV = "FWBENCH_RESULTS_DIR"
CHARTS_SCRIPT = Path(__file__).resolve().parent / "assets" / "fwbench-charts.js"

_runs: list[RunResult] = []


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
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _runs:
        raise PluginError("internal: on_page_markdown ran before on_config loaded the runs")
    return fill_placeholders(markdown, _runs, page=page.file.src_uri)


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` rebuilds when a new run lands, not only when a page changes."""
    directory = results_dir(config)
    if directory.is_dir():
        server.watch(str(directory))
    return server
