"""What every page has around its content, on made-up runs: the default run and the words for its rule, the
vendored plotly.js bundle and its trace types, the status icons, citations that parse, the Compare page's data,
and the browser set-up's one-line failure."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone

import bibtexparser
import markdown
import plotly.offline
import pytest
from mkdocs.exceptions import PluginError

from contract.schema import PeakMatmul
from site_scripts.chrome import citation, compare_data, run_selector, vendored
from site_scripts.tables import history_changes
from site_scripts.text import icons
from tests.conftest import REPO_ROOT
from tests.made_up_results import made_up_run
from tests.test_history import release_of


def _variant(run_id: str, *, preset: str, days: int):
    run = made_up_run(run_id=run_id)
    run = run.model_copy(update={"started_utc": run.started_utc + timedelta(days=days)}, deep=True)
    run.settings.preset = preset
    run.rules.reference_run = preset in ("full", "gpu", "memory")
    return run


# --- which run a page shows, and the words for why -----------------------------------------------------------


def test_the_words_name_only_the_rule_steps_that_set_the_default_apart():
    old_full = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    new_full = _variant("20260102T000000Z-bbbbbb", preset="full", days=1)
    newer_quick = _variant("20260103T000000Z-cccccc", preset="quick", days=2)
    runs = [old_full, new_full, newer_quick]
    chosen = run_selector.default_run(runs)
    assert chosen is new_full
    reason = run_selector.default_reason(chosen, runs)
    # The quick run loses on "reference run"; the older full run only on the start time (same hardware, versions).
    assert reason.startswith("the reference rule, among 3 runs with something for this page: a reference run "
                             "(preset full); then the latest start")
    assert "matmul" not in reason and "releases" not in reason
    assert run_selector.default_reason(newer_quick, [newer_quick]) == "the only run with something for this page"


def test_a_faster_machine_is_named_by_its_measured_peak():
    slow = _variant("20260101T000000Z-aaaaaa", preset="full", days=5)
    fast = _variant("20260102T000000Z-bbbbbb", preset="full", days=0)
    fast.peak_matmul = [PeakMatmul(framework="torch", device="cpu", precision="fp32", matrix_size=512,
                                   flops_per_second=2e11)]
    assert run_selector.default_run([slow, fast]) is fast
    assert run_selector.default_reason(fast, [slow, fast]).endswith(
        "the highest fp32 matmul peak it measured (200 GFLOP/s)")


def test_the_requested_run_is_the_default_where_it_has_something_for_the_page():
    full = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    quick = _variant("20260102T000000Z-bbbbbb", preset="quick", days=1)
    requested = run_selector.requested_run("20260102T000000Z-bbbbbb", [full, quick])
    assert requested is quick and run_selector.requested_run("newest", [full, quick]) is quick
    assert run_selector.requested_run("", [full, quick]) is None
    picked = run_selector.pick_default([full, quick], requested)
    assert picked.run is quick and picked.requested and "--default-run" in picked.reason
    # A page the requested run has nothing for keeps the reference rule, and says so.
    fallback = run_selector.pick_default([full], requested)
    assert fallback.run is full and not fallback.requested and fallback.reason.startswith("the only run")
    with pytest.raises(ValueError, match=r"^--default-run nosuch: no run with that id among the 2 finished runs"):
        run_selector.requested_run("nosuch", [full, quick])


def test_the_run_note_says_which_rule_picked_the_default_and_marks_it_in_the_selector():
    full = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    quick = _variant("20260102T000000Z-bbbbbb", preset="quick", days=1)
    default = run_selector.pick_default([full, quick], quick)
    choices = [run_selector.RunChoice(full, "../p--a/", False), run_selector.RunChoice(quick, "../p/", True)]
    note = run_selector.run_note_html(quick, [], choices, default)
    assert 'data-default-rule="requested"' in note
    assert "the run this build was asked to show by default (<code>fwbench build --default-run</code>" in note
    assert note.count("(default)</option>") == 1 and "20260102T000000Z-bbbbbb (default)</option>" in note
    other = run_selector.run_note_html(full, [quick], choices, default)
    assert "not the default run" in other and "the reference rule prefers among those that did" in other
    assert "latest run" not in note + other and "newest reference-preset run" not in note + other


# --- the plotly.js bundle ----------------------------------------------------------------------------------------


def test_the_bundle_is_the_plotly_js_version_the_python_package_writes_for():
    path = vendored.plotly_js_path()
    assert vendored.bundle_version(path) == plotly.offline.get_plotlyjs_version() == vendored.locked_version()
    assert {"bar", "box", "scatter", "heatmap"} <= vendored.bundle_trace_types(path)
    assert "scattergl" not in vendored.bundle_trace_types(path)


def test_a_page_with_a_trace_type_the_bundle_lacks_fails_the_build():
    bundle = vendored.bundle_trace_types(vendored.plotly_js_path())
    page = ('<script type="application/json" class="fwbench-figure" data-for="c">'
            '{"data":[{"type":"bar"},{"y":[1]},{"type":"sankey"}]}</script>')
    assert vendored.page_trace_types(page) == {"bar", "scatter", "sankey"}
    with pytest.raises(PluginError, match=r"^x\.md: figures use trace type\(s\) sankey, which the plotly\.js bundle"):
        vendored.check_trace_types(page, "x.md", bundle)
    vendored.check_trace_types(page.replace("sankey", "box"), "x.md", bundle)


def test_a_missing_vendored_file_names_the_npm_command(tmp_path):
    with pytest.raises(PluginError, match=r"not found: run `npm ci --prefix tools/tablesort`"):
        vendored.vendored(tmp_path / "tablesort.min.js", "tablesort")


# --- icons -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["ok", "failed", "supported", "contradicted", "mixed", "tie", "equal",
                                    "not testable", "warning", "better", "worse", "inconclusive", "not_measured"])
def test_every_named_status_has_an_inline_material_icon(status):
    svg = icons.icon(status)
    assert svg.startswith('<span class="twemoji fwbench-icon') and "<svg" in svg and 'aria-hidden="true"' in svg
    assert re.fullmatch(r":material-[a-z0-9-]+:", icons.shortcode(status))
    assert 'role="img" aria-label="a &lt;label&gt;"' in icons.icon(status, label="a <label>")


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="no icon for status 'nosuch'"):
        icons.icon("nosuch")


def test_the_emoji_index_holds_only_material_icons_so_no_shortcode_becomes_a_cdn_image():
    md = markdown.Markdown(extensions=["pymdownx.emoji"], extension_configs={"pymdownx.emoji": {
        "emoji_index": icons.material_icons_only,
        "emoji_generator": __import__("material.extensions.emoji", fromlist=["to_svg"]).to_svg}})
    index = icons.material_icons_only({}, md)
    assert index["emoji"] and all(name.startswith(":material-") for name in index["emoji"])
    rendered = md.convert("a :material-check: b :smile: c")
    assert "<svg" in rendered and ":smile:" in rendered and "<img" not in rendered and "cdn" not in rendered


# --- citations ---------------------------------------------------------------------------------------------------


def _bibtex(text: str) -> str:
    (block,) = re.findall(r"^(`{3,})bibtex\n(.*?)\n\1$", text, re.S | re.M)
    return block[1]


def test_the_bibtex_parses_and_holds_permalink_run_commit_and_access_date():
    run = made_up_run()
    accessed = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
    text = citation.cite_markdown("Performance", [run], "https://example.org/fw/performance--x/",
                                  permalink_is_relative=False, accessed=accessed)
    library = bibtexparser.parse_string(_bibtex(text))
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "misc" and entry.key == f"fwbench-performance-{run.run_id}".lower()
    assert fields["url"] == "https://example.org/fw/performance--x/" and fields["urldate"] == "2026-12-02"
    assert fields["title"] == "{Performance}" and fields["year"] == str(run.started_utc.year)
    assert run.run_id in fields["note"] and run.provenance.git_commit in fields["note"]
    assert "Accessed 2026-12-02" in fields["note"] and "PyTorch vs TensorFlow, measured" in fields["note"]
    assert "(accessed 2026-12-02)" in text and "<https://example.org/fw/performance--x/>" in text


def test_the_home_page_title_is_not_doubled_and_a_relative_permalink_is_not_a_url():
    run = made_up_run()
    text = citation.cite_markdown(citation.SITE_TITLE, [run], "/index--x/", permalink_is_relative=True)
    entry = bibtexparser.parse_string(_bibtex(text)).entries[0]
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == "{PyTorch vs TensorFlow, measured}"
    assert "url" not in fields and "howpublished" not in fields
    (plain,) = re.findall(r"^`{3,}text\n(.*?)\n`{3,}$", text, re.S | re.M)
    assert plain.count(citation.SITE_TITLE) == 1 and "Site path /index--x/" in plain
    assert citation.SITE_TITLE not in fields["note"]
    assert "--site-url" in text


def test_recorded_text_cannot_break_the_citation_blocks():
    run = made_up_run()
    run.provenance.host.cpu_model = "CPU ```` } @misc{evil,\nsecond line %"
    run.provenance.host.hardware_key = run.provenance.host.cpu_model + " × 8 CPUs / no GPU"
    text = citation.cite_markdown("Performance", [run], "/p/", permalink_is_relative=True)
    library = bibtexparser.parse_string(_bibtex(text))
    assert len(library.entries) == 1 and not library.failed_blocks
    assert "`````text\n" in text and "`````bibtex\n" in text  # fence longer than the 4-backtick run
    note = {f.key: f.value for f in library.entries[0].fields}["note"]
    assert "\n" not in note and "\\}" in note


# --- Compare ----------------------------------------------------------------------------------------------------


def _history_rows(old, new) -> list[list[str]]:
    rendered = markdown.markdown(history_changes.changes_table(old, new), extensions=["tables", "md_in_html"])
    body = rendered.split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_compare_data_holds_historys_table_for_every_pair_on_one_hardware_class():
    old = release_of("2.20.0", "20260101T000000Z-old000")
    new = release_of("2.21.0", "20260201T000000Z-new000", torch_speedup=1.3)
    elsewhere = release_of("2.21.0", "20260301T000000Z-other0")
    elsewhere.provenance.host.cpu_model = "Another CPU"
    elsewhere.provenance.host.hardware_key = "Another CPU × 8 CPUs / no GPU"
    runs = [old, new, elsewhere]
    files = compare_data.pair_files(runs)
    assert sorted(files) == [f"compare/pairs/{old.run_id}--{new.run_id}.json",
                             f"compare/pairs/{new.run_id}--{old.run_id}.json"]
    pair = json.loads(files[f"compare/pairs/{old.run_id}--{new.run_id}.json"])
    assert pair["headers"] == history_changes.CHANGE_HEADERS
    shown = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in pair["rows"]]
    assert shown == _history_rows(old, new) and any("better" in row for row in shown)
    index = compare_data.index(runs)
    assert index["default"] == [old.run_id, new.run_id]
    assert set(index["pairs"]) == {f"{old.run_id}|{new.run_id}", f"{new.run_id}|{old.run_id}"}
    assert "<" not in compare_data.index_script(runs).split(">", 1)[1].rsplit("<", 1)[0]


# --- the browser set-up ---------------------------------------------------------------------------------------


def test_without_any_chromium_the_browser_setup_fails_with_one_line(tmp_path):
    env = {**os.environ, "FWBENCH_CHROMIUM_CANDIDATES": str(tmp_path / "none"), "FWBENCH_BROWSER_DOWNLOAD": "0",
           "FWBENCH_BROWSER_APT": "0", "HOME": str(tmp_path), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "pw")}
    env.pop("FWBENCH_CHROMIUM", None)
    done = subprocess.run(["bash", str(REPO_ROOT / "tools" / "browser.sh"), "python3"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("tools/browser.sh: no chromium for the browser tests: no system chromium")
    assert "set FWBENCH_CHROMIUM" in line


def test_the_browser_setup_prints_the_chromium_it_found(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    env = {**os.environ, "FWBENCH_CHROMIUM_CANDIDATES": f"{tmp_path / 'none'} {fake}"}
    env.pop("FWBENCH_CHROMIUM", None)
    done = subprocess.run(["bash", str(REPO_ROOT / "tools" / "browser.sh"), "python3"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == str(fake)


@pytest.mark.e2e
def test_every_page_built_from_the_committed_runs_draws_only_trace_types_the_bundle_has(committed_site):
    bundle = vendored.bundle_trace_types(vendored.plotly_js_path())
    used = {str(path.relative_to(committed_site)): vendored.page_trace_types(path.read_text(encoding="utf-8"))
            for path in committed_site.rglob("*.html")}
    assert any(used.values()), "no page embeds a figure"
    assert {page: types - bundle for page, types in used.items() if types - bundle} == {}
    served = committed_site / "assets" / "javascripts" / "plotly.min.js"
    assert served.read_bytes() == vendored.plotly_js_path().read_bytes()


@pytest.mark.e2e
def test_every_log_axis_says_it_is_log_and_every_framework_keeps_its_colour(committed_site):
    """A log axis reads as linear unless its title says so; a framework in another colour reads as another series."""
    from site_scripts.charts import style
    from site_scripts.chrome import chart_data

    unlabelled, recoloured = [], []
    for path in committed_site.rglob("*.html"):
        for block in chart_data.FIGURE_SCRIPT.finditer(path.read_text(encoding="utf-8")):
            figure = json.loads(block["json"])
            for name, axis in figure.get("layout", {}).items():
                if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict) and axis.get("type") == "log":
                    title = axis.get("title", {})
                    text = title.get("text", "") if isinstance(title, dict) else str(title)
                    if "log" not in text:
                        unlabelled.append(f"{path.relative_to(committed_site)} {block['id']} {name}: {text!r}")
            for trace in figure.get("data", []):
                trace_name = str(trace.get("name", ""))
                colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color")
                for framework, words in (("torch", "PyTorch"), ("tensorflow", "TensorFlow")):
                    other = "TensorFlow" if words == "PyTorch" else "PyTorch"
                    if (trace_name.startswith(words) or f"· {words}" in trace_name) and other not in trace_name \
                            and isinstance(colour, str) and colour != style.framework_colour(framework):
                        recoloured.append(f"{path.relative_to(committed_site)} {block['id']} {trace_name}: {colour}")
    assert unlabelled == [] and recoloured == []
