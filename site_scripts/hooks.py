"""The one MkDocs hook module: load the runs, ship the vendored scripts, fill the placeholders.

Results directory: $FWBENCH_RESULTS_DIR, else `results/` next to mkdocs.yml. The build
fails with one line if that directory holds no run or any run file is unusable,
rather than publishing pages without numbers.

$FWBENCH_DEFAULT_RUN (fwbench build --default-run) names the run every page shows by default where it has
something for the page; $FWBENCH_SITE_URL (--site-url) overrides mkdocs.yml's site_url for the citations'
permalinks; $SOURCE_DATE_EPOCH, when set, is the build date the citations give as their access date.
After the pages, the build writes the chart data files, the Compare page's pair files and fwbench-build.json
(what each page shows by default, and by which rule).

Notebook pages are mkdocs-jupyter's (options in mkdocs.yml): the companion notebooks in docs/notebooks/ are
executed at build; each example a run executed (the `ease_of_use` study) is written out here as a `.ipynb` and
rendered without executing. site_scripts/notebooks/site_pages.py does what the plugin cannot be told.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

# MkDocs imports a hook by file path with only this file's folder on sys.path; the
# repository root is needed for `benchmarks` and `site_scripts` when mkdocs runs from elsewhere.
if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from contract.files import ResultFileError, complete_runs, load_run  # noqa: E402
from contract.schema import RunResult  # noqa: E402
from site_scripts import placeholders  # noqa: E402
from site_scripts.chrome import chart_data, citation, compare_data, page_guard, run_selector, vendored  # noqa: E402
from site_scripts.ease_of_use import notebook_pages  # noqa: E402
from site_scripts.notebooks import site_pages  # noqa: E402
from site_scripts.site_build import BUILD_RECORD  # noqa: E402

RESULTS_DIR_ENV = "FWBENCH_RESULTS_DIR"

_runs: list[RunResult] = []
# Per page (docs path): the runs it can show and the one it does; filled by on_files.
_eligible: dict[str, list[RunResult]] = {}
_shows: dict[str, RunResult] = {}
_defaults: dict[str, run_selector.Default] = {}
# The run --default-run asked for (None: the reference rule), and when this build ran.
_requested: RunResult | None = None
_built: datetime | None = None
_base_of: dict[str, str] = {}
_used: dict[str, list[RunResult]] = {}
# Chart data files (site path -> text), collected while pages render, written after the build.
_data_files: dict[str, str] = {}
# The trace types the served plotly.js bundle can draw (on_files reads them from the bundle).
_bundle_types: frozenset[str] = frozenset()
# The executed examples written out as notebooks for this build, and the CSS the notebook pages share.
_notebook_dir: tempfile.TemporaryDirectory | None = None
_notebook_css: dict[str, str] = {}
# Docs paths of the notebook pages made from result files (the executed examples): checked by the page guard.
_example_pages: set[str] = set()
# Companion notebooks (docs path) that these results give nothing to analyse, and why: rendered, not executed.
_not_executed: dict[str, str] = {}
JUPYTER_PLUGIN = "mkdocs-jupyter"


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
    """The plotly.js the site serves: the cartesian partial bundle, at the version plotly writes figures for."""
    return vendored.plotly_js_path()


def requested_default(runs: list[RunResult]) -> RunResult | None:
    """The run $FWBENCH_DEFAULT_RUN names (fwbench build --default-run), or None for the reference rule."""
    try:
        return run_selector.requested_run(os.environ.get(run_selector.DEFAULT_RUN_ENV, "").strip(), runs)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def build_moment() -> datetime:
    """When this build ran (the citations' access date): $SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except ValueError:
            raise PluginError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return datetime.now(timezone.utc)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _runs, _requested, _built
    _runs = all_runs(results_dir(config))
    _requested = requested_default(_runs)
    _built = build_moment()
    _not_executed.clear()
    jupyter = config.plugins.get(JUPYTER_PLUGIN)
    if jupyter is not None:
        # A companion notebook whose article no run has anything for would fail the build: render it unexecuted.
        placeholders.load_pages()
        _not_executed.update(site_pages.companions_without_data(_runs))
        jupyter.config["execute_ignore"] = [*jupyter.config["execute_ignore"], *_not_executed]
        if jupyter.config.get("cache"):
            # The plugin keys its cache on a notebook's bytes; a companion notebook's outputs depend on the results too.
            jupyter.config["cache_dir"] = str(site_pages.cache_dir(results_dir(config),
                                                                   site_pages.environment_default_run()))
    site_url = os.environ.get(citation.SITE_URL_ENV, "").strip()
    if site_url:
        if not re.match(r"^https?://[^\s/]+", site_url):
            raise PluginError(f"{citation.SITE_URL_ENV}={site_url!r}: a site URL starts with http:// or https://")
        config.site_url = site_url.rstrip("/") + "/"
    return config


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the notebooks written here into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _bundle_types
    served = vendored.served_files()
    _bundle_types = vendored.bundle_trace_types(served["assets/javascripts/plotly.min.js"])
    for served_path, path in served.items():
        files.append(File.generated(config, served_path, abs_src_path=str(path)))
    add_run_pages(files, config)
    add_example_notebooks(files, config)
    return files


def add_example_notebooks(files: Files, config: MkDocsConfig) -> None:
    """Every example a run executed, as `notebooks/ease-of-use/<run id>/<task>_<framework>.ipynb`: written to a
    folder of this build (mkdocs-jupyter reads a notebook from a file), rendered, never executed (execute_ignore)."""
    global _notebook_dir
    if _notebook_dir is not None:
        _notebook_dir.cleanup()
    _notebook_dir = tempfile.TemporaryDirectory(prefix="fwbench-notebooks-")
    _notebook_css.clear()
    _example_pages.clear()
    for src_uri, (run, record) in notebook_pages.pages(_runs).items():
        _example_pages.add(src_uri)
        path = Path(_notebook_dir.name) / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook_pages.page_notebook(run, record), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        # A File with a source folder, not File.generated: mkdocs-jupyter's page wrapper finds the notebook only
        # through the file's own src_dir.
        files.append(File(src_uri, src_dir=_notebook_dir.name, dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))


def add_run_pages(files: Files, config: MkDocsConfig) -> None:
    """Each page drawing on one run gets a copy per run that has something for it, `<page>--<run id>.md`:
    the run selector's targets and the permalinks to cite. The page itself shows the default run."""
    placeholders.load_pages()
    _eligible.clear(), _shows.clear(), _defaults.clear(), _base_of.clear(), _used.clear(), _data_files.clear()
    for file in list(files.documentation_pages()):
        eligible, default = run_selector.page_runs(file.content_string, _runs)
        if default is None:
            continue
        _eligible[file.src_uri] = eligible
        _defaults[file.src_uri] = run_selector.pick_default(eligible, _requested)
        _shows[file.src_uri] = _defaults[file.src_uri].run
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
    if src_uri in _example_pages:
        # An executed example is a result file's text: `{{ … }}` in it is the example's, never a placeholder.
        return markdown
    names = run_selector.page_placeholders(markdown)
    shown = _shows.get(src_uri)
    view = run_selector.runs_view(_runs, shown) if shown is not None else _runs
    filled = placeholders.fill_placeholders(markdown, view, page=src_uri)
    if not names:
        return filled
    used = run_selector.runs_used(names, view)
    _used[src_uri] = used
    if shown is not None:
        defaults = {src: default.run for src, default in _defaults.items()}
        filled = run_selector.same_run_links(filled, shown, defaults, _eligible)
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
    default = _defaults[base]
    choices = []
    for run in _eligible[src_uri]:
        target = base if run is default.run else run_selector.variant_src_uri(base, run)
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
    return citation.cite_markdown(title, used, permalink, permalink_is_relative=not site_url, accessed=_built)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Under each chart: its numbers as a folded table and links to its data as CSV and JSON files. A notebook page
    loses the CSS and scripts mkdocs-jupyter inlines (site_scripts/notebooks/site_pages.py)."""
    if getattr(page, "nb_url", None):
        cleaned, css = site_pages.clean(html, page.file.src_uri)
        _notebook_css[page.file.src_uri] = css
        if page.file.src_uri in _example_pages:  # a notebook from a result file: untrusted, like every recorded string
            try:
                page_guard.check_content(site_pages.notebook_region(cleaned, page.file.src_uri), page.file.src_uri)
            except page_guard.PageGuardError as exc:
                raise PluginError(str(exc)) from None
        reason = _not_executed.get(page.file.src_uri)
        return site_pages.not_executed_note(reason) + cleaned if reason else cleaned
    run_ids = [run.run_id for run in _used.get(page.file.src_uri, [])]
    stem = page.file.src_uri.rsplit(".", 1)[0]

    def add_table(match) -> str:
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

    content = chart_data.FIGURE_SCRIPT.sub(add_table, html)
    try:
        page_guard.check_content(content, page.file.src_uri)  # no script from a result file runs on the site
    except page_guard.PageGuardError as exc:
        raise PluginError(str(exc)) from None
    return content


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A figure the bundle cannot draw would silently become a scatter, and an oversized page would be published:
    refuse the build instead. A notebook page gets its other download beside the source mkdocs-jupyter copies
    (`.ipynb` of a `.py`, `.py` of an `.ipynb`)."""
    vendored.check_trace_types(output, page.file.src_uri, _bundle_types)
    try:
        page_guard.check_weight(output, page.file.src_uri)
    except page_guard.PageGuardError as exc:
        raise PluginError(str(exc)) from None
    if getattr(page, "nb_url", None):
        site_pages.write_other_format(Path(page.file.abs_src_path), Path(page.file.abs_dest_path).parent)
    return output


def build_record() -> dict:
    """What this build shows: per page with a selector, the default run and the rule that picked it."""
    pages = {src: {"shows": default.run.run_id, "rule": "requested" if default.requested else "reference"}
             for src, default in sorted(_defaults.items())}
    return {"built_utc": _built.strftime("%Y-%m-%dT%H:%M:%SZ") if _built else None,
            "requested_default_run": _requested.run_id if _requested is not None else None,
            "runs": [run.run_id for run in _runs], "pages": pages}


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    written = {**_data_files, **compare_data.pair_files(_runs),
               BUILD_RECORD: json.dumps(build_record(), indent=1) + "\n"}
    stylesheets = set(_notebook_css.values())
    if len(stylesheets) > 1:
        raise PluginError(f"notebook pages carry {len(stylesheets)} different stylesheets from mkdocs-jupyter; "
                          "one shared file can serve only one")
    if stylesheets:
        written[site_pages.STYLESHEET] = stylesheets.pop()
    for relative, text in written.items():
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` rebuilds when a new run lands, not only when a page changes."""
    directory = results_dir(config)
    if directory.is_dir():
        server.watch(str(directory))
    return server
