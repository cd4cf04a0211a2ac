"""What the build does around mkdocs-jupyter's notebook pages, on made-up input: the configuration it relies on,
the cache keyed on the results, the cleanup of the template's CSS and CDN scripts, the other download format, and
reading plotly's figures back out of a page."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jupytext
import pytest
import yaml
from mkdocs.exceptions import PluginError

from site_scripts.chrome import vendored
from site_scripts.notebooks import companion, site_pages
from tests.conftest import REPO_ROOT


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: `!!python/name:` tags are read as their names, never imported."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def _jupyter_options() -> dict:
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    (options,) = [entry["mkdocs-jupyter"] for entry in config["plugins"] if isinstance(entry, dict)
                  and "mkdocs-jupyter" in entry]
    return options


def test_mkdocs_jupyter_executes_the_companions_strictly_and_never_the_recorded_examples() -> None:
    options = _jupyter_options()
    assert options["execute"] is True and options["allow_errors"] is False
    assert options["execute_ignore"] == ["*.ipynb"]  # the examples a run executed are rendered as recorded
    assert options["include_source"] is True and options["include_requirejs"] is False
    assert options["custom_mathjax_url"] == "" and options["kernel_name"] == "python3"
    companions = sorted(path.stem for path in (REPO_ROOT / "docs" / "notebooks").glob("*.py"))
    assert set(companions) >= {"performance", "memory", "accuracy", "ecosystem", "history"}


def test_every_companion_notebook_and_its_article_link_to_each_other() -> None:
    for path in sorted((REPO_ROOT / "docs" / "notebooks").glob("*.py")):
        article = REPO_ROOT / "docs" / f"{path.stem}.md"
        assert f"(notebooks/{path.name})" in article.read_text(encoding="utf-8"), f"{article.name} does not link {path.name}"
        notebook = jupytext.read(path)
        assert f"(../../{path.stem}/)" in notebook.cells[0].source, f"{path.name} does not link back to its article"
        assert "contract.files" in path.read_text(encoding="utf-8") and "import pandas as pd" in path.read_text(encoding="utf-8")
        assert notebook.cells[-1].cell_type == "code" and notebook.cells[-2].source.startswith("## Your turn")


def _results(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text('{"schema_version": 1}', encoding="utf-8")
    return folder


def test_the_cache_is_keyed_on_the_results_and_the_requested_run(tmp_path: Path) -> None:
    results = _results(tmp_path / "results", "20260101T000000Z-aaaaaa.json")
    first = site_pages.cache_key(results, "")
    assert site_pages.cache_key(results, "") == first
    assert site_pages.cache_key(results, "20260101T000000Z-aaaaaa") != first
    (results / "20260101T000000Z-aaaaaa.json").write_text('{"schema_version": 2}', encoding="utf-8")
    changed = site_pages.cache_key(results, "")
    assert changed != first
    _results(results, "20260201T000000Z-bbbbbb.json")
    assert site_pages.cache_key(results, "") not in (first, changed)


def test_a_new_cache_folder_replaces_the_stale_ones(tmp_path: Path) -> None:
    results = _results(tmp_path / "results", "20260101T000000Z-aaaaaa.json")
    root = tmp_path / "cache"
    old = site_pages.cache_dir(results, "", root=root)
    old.mkdir(parents=True)
    (old / "entry.json").write_text("{}", encoding="utf-8")
    _results(results, "20260201T000000Z-bbbbbb.json")
    new = site_pages.cache_dir(results, "", root=root)
    assert new != old and not old.exists()


TEMPLATE_OUTPUT = textwrap.dedent("""\
    <script>
    (function () { window.ClipboardCopyElement = 1; })();
    </script>
    <style type="text/css">
    pre { line-height: 125%; }
    </style>
    <style type="text/css">
    .jupyter-wrapper { --jp-ui-font-size1: 13px; }
    </style>
    <!-- Load mathjax -->
    <script src=""> </script>
    <script type="text/x-mathjax-config">init_mathjax = function() {};</script>
    <script type="module">
      const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
    </script>
    <style>
      .jp-Mermaid:not(.jp-RenderedMermaid) { display: none; }
    </style>
    <div class="jupyter-wrapper">
    <div class="jp-Cell"><style>.cell-own { color: red; }</style><a href="https://example.org/">a link</a></div>
    </div>
    """)


def test_clean_moves_the_css_out_and_drops_mathjax_and_mermaid_but_keeps_the_cells() -> None:
    cleaned, css = site_pages.clean(TEMPLATE_OUTPUT, "notebooks/x.py")
    assert "line-height: 125%" in css and "--jp-ui-font-size1" in css and ".jp-Mermaid" in css
    assert "cdnjs" not in cleaned and "mathjax" not in cleaned.lower() and 'src=""' not in cleaned
    assert "ClipboardCopyElement" in cleaned  # the copy buttons' script stays
    body = TEMPLATE_OUTPUT[TEMPLATE_OUTPUT.index('<div class="jupyter-wrapper">'):]
    assert cleaned.endswith(body)  # the cells, outputs' own styles and links included, byte for byte


def test_clean_refuses_output_it_does_not_recognise_or_that_would_fetch_off_site() -> None:
    with pytest.raises(PluginError, match=r"^notebooks/x\.py: no <div class=\"jupyter-wrapper\">"):
        site_pages.clean("<p>no notebook</p>", "notebooks/x.py")
    off_site = TEMPLATE_OUTPUT.replace('<div class="jp-Cell">', '<div class="jp-Cell"><script src="https://cdn.example/x.js"></script>')
    with pytest.raises(PluginError, match=r"would fetch from another origin"):
        site_pages.clean(off_site, "notebooks/x.py")


def test_the_other_download_format_is_written_by_jupytext(tmp_path: Path) -> None:
    script = tmp_path / "demo.py"
    script.write_text("# %% [markdown]\n# # Demo\n\n# %%\nx = 1\n", encoding="utf-8")
    notebook_path = site_pages.write_other_format(script, tmp_path / "site")
    assert notebook_path.name == "demo.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    assert [cell["cell_type"] for cell in notebook["cells"]] == ["markdown", "code"]
    back = site_pages.write_other_format(notebook_path, tmp_path / "again")
    assert back.name == "demo.py" and "x = 1" in back.read_text(encoding="utf-8")


def test_plotly_figures_in_notebook_output_are_read_back_and_their_trace_types_checked() -> None:
    import plotly.graph_objects as go

    figure = go.Figure([go.Bar(x=["a", "b"], y=[1, 2], name="bars"), go.Scatter(x=[1], y=[3])])
    html = "<div>" + figure.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False,
                                    div_id="notebook-demo") + "</div>"
    figures = site_pages.notebook_figures(html)
    assert list(figures) == ["notebook-demo"]
    assert [trace["type"] for trace in figures["notebook-demo"]["data"]] == ["bar", "scatter"]
    assert figures["notebook-demo"]["data"][0]["y"] == [1, 2]
    assert vendored.page_trace_types(html) == {"bar", "scatter"}
    with pytest.raises(PluginError, match=r"trace type\(s\) bar"):
        vendored.check_trace_types(html, "notebooks/x.py", frozenset({"scatter"}))
    assert "plotly.js" not in html.lower().replace("plotly.newplot", "")  # no copy of plotly.js in the output


def test_a_companion_notebook_finds_the_run_its_article_shows_by_the_sites_rule(tmp_path, monkeypatch) -> None:
    from site_scripts.chrome import run_selector
    from tests.made_up_results import made_up_run

    older, newer = made_up_run(run_id="20260101T000000Z-older0"), made_up_run(run_id="20260201T000000Z-newer0")
    older.rules.reference_run, older.settings.preset = True, "full"
    runs = [older, newer]
    monkeypatch.delenv(run_selector.DEFAULT_RUN_ENV, raising=False)
    assert companion.shown_run("performance.md", runs) is older  # the reference rule
    monkeypatch.setenv(run_selector.DEFAULT_RUN_ENV, newer.run_id)  # fwbench build --default-run
    assert companion.shown_run("performance.md", runs) is newer
    assert companion.shown_run("performance.md", runs, older.run_id) is older  # the notebook's RUN_ID
    with pytest.raises(companion.NoRunError, match=r"^RUN_ID = 'nope': no such run"):
        companion.shown_run("performance.md", runs, "nope")
    monkeypatch.setenv(companion.RESULTS_DIR_ENV, str(tmp_path))
    with pytest.raises(companion.NoRunError, match=r"^no result files in "):
        companion.load_runs()


def test_a_companion_whose_article_no_run_feeds_is_rendered_unexecuted(tmp_path) -> None:
    from tests.made_up_results import made_up_run

    timing_only = [made_up_run()]  # cases, no memory phases, no studies
    reasons = site_pages.companions_without_data(timing_only)
    assert set(reasons) == {"notebooks/memory.py", "notebooks/accuracy.py", "notebooks/ecosystem.py"}
    assert "Memory article" in reasons["notebooks/memory.py"]
    assert "Not executed" in site_pages.not_executed_note(reasons["notebooks/memory.py"])
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "notebooks" / "orphan.py").write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"notebooks/orphan\.py: a companion notebook needs its article docs/orphan\.md"):
        site_pages.companions_without_data(timing_only, docs)


def test_a_notebook_cell_that_raises_fails_the_strict_build_with_one_line(tmp_path) -> None:
    """allow_errors is false: a companion notebook that raises aborts the build, and the error says what it raised."""
    from site_scripts.site_build import SiteBuildError, build_site

    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "notebooks" / "broken.py").write_text(
        '# %% [markdown]\n# # Broken\n\n# %%\nprint("about to fail")\nraise RuntimeError("deliberately broken")\n',
        encoding="utf-8")
    options = {key: value for key, value in _jupyter_options().items() if key != "cache"}
    config = {"site_name": "test", "strict": True, "docs_dir": str(docs),
              "plugins": ["search", {"mkdocs-jupyter": {**options, "cache": False}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(SiteBuildError) as raised:
        build_site(tmp_path / "results", tmp_path / "site", config_file=tmp_path / "mkdocs.yml")
    assert str(raised.value) == ("Error reading page 'notebooks/broken.py': a notebook cell raised "
                                 "RuntimeError: deliberately broken")
