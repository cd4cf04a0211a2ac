"""The rendering side on made-up runs: figures, tables, placeholders and one real strict site build."""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import PluginError

from contract.files import dump_run, final_path
from contract.schema import FrameworkComparison, RunResult
from site_scripts import hooks, placeholders
from site_scripts.charts import embed, throughput_overview
from site_scripts.pages import performance
from site_scripts.site_build import SiteBuildError, build_site, most_useful_error_line
from site_scripts.tables import all_cases, configurations, run_provenance, who_is_faster
from site_scripts.text import provenance_text
from tests.conftest import REPO_ROOT
from tests.made_up_results import FAILED_BATCH, FAILURE_REASON, made_up_run

REPO_ROOT = Path(__file__).resolve().parents[1]
FIGURE_SCRIPT = re.compile(r'<script type="application/json" class="fwbench-figure" data-for="([^"]+)">(.*?)</script>', re.S)


def _embedded_figures(page_html: str) -> dict[str, str]:
    """Chart id -> figure JSON of every chart embedded in a page."""
    return {match.group(1): match.group(2) for match in FIGURE_SCRIPT.finditer(page_html)}


def _to_html(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["tables"])


def _table_rows(markdown_text: str) -> list[list[str]]:
    """Rendered table body rows as lists of cell texts: what a reader sees, after Markdown parsing (a line break
    reads as a space)."""
    body = _to_html(markdown_text).split("<tbody>", 1)[1].split("</tbody>", 1)[0]  # the first table only
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", cell)))
         for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# --- figures -----------------------------------------------------------------------------


def test_throughput_figure_has_one_trace_per_framework_with_summary_medians_and_iqr() -> None:
    run = made_up_run()
    figure = throughput_overview.throughput_figure(run)
    assert [trace.name for trace in figure.data] == ["PyTorch", "TensorFlow"]
    for trace, framework in zip(figure.data, ["torch", "tensorflow"]):
        summaries = [c.summary for c in run.cases if c.framework == framework]
        assert list(trace.y) == [s.samples_per_second_median for s in summaries]
        assert list(trace.error_y.array) == [s.samples_per_second_q3 - s.samples_per_second_median for s in summaries]
        assert list(trace.error_y.arrayminus) == [s.samples_per_second_median - s.samples_per_second_q1 for s in summaries]
        assert trace.error_y.symmetric is False
        assert list(trace.x) == ["mlp · batch 128", "mlp · batch 256"]
    assert figure.data[0].marker.color != figure.data[1].marker.color
    assert figure.layout.yaxis.title.text == "training throughput (samples/s)"


def test_fully_failed_case_gets_no_bar_but_a_failed_note() -> None:
    figure = throughput_overview.throughput_figure(made_up_run(with_failure=True))
    failed_label = f"mlp · batch {FAILED_BATCH}"
    pytorch, tensorflow = figure.data
    assert failed_label in pytorch.x
    assert failed_label not in tensorflow.x
    assert 0 not in tensorflow.y
    (note,) = figure.layout.annotations
    assert note.text == "TensorFlow: failed (timeout)"
    # The empty TensorFlow slot of the third category: index 2, right half of a 0.8-wide group.
    assert note.x == pytest.approx(2 + 0.2)
    assert list(figure.layout.xaxis.categoryarray).index(failed_label) == 2


def test_figure_json_is_small_and_carries_no_template() -> None:
    text = embed.figure_json(throughput_overview.throughput_figure(made_up_run(with_failure=True)))
    assert "template" not in json.loads(text)["layout"]
    assert len(text) < 20_000


# --- tables ------------------------------------------------------------------------------


def test_fully_failed_case_is_a_row_with_status_and_reason_in_every_table() -> None:
    run = made_up_run(with_failure=True)
    for table in (all_cases.throughput_table(run), throughput_overview.chart_data_table(run)):
        failed_rows = [row for row in _table_rows(table) if row[-1].startswith("failed")]
        assert len(failed_rows) == 1
        assert any("TensorFlow" in cell for cell in failed_rows[0])
        assert failed_rows[0][-1] == f"failed: timeout ×4: {FAILURE_REASON}"
    # Four processes failed alike: one row that counts them.
    (failure_row,) = _table_rows(all_cases.failures_table(run))
    assert failure_row == ["mlp", f"train · fp32 · batch {FAILED_BATCH}", "TensorFlow —", "timeout ×4",
                           "0, 1, 2, 3", FAILURE_REASON]


def test_failures_table_folds_each_stderr_into_details() -> None:
    rendered = markdown.markdown(
        all_cases.failures_table(made_up_run(with_failure=True)),
        extensions=["tables", "pymdownx.details", "pymdownx.superfences"],
    )
    # The four processes failed alike: one row "×4" and one stderr example, not four of each.
    assert rendered.count("<details") == 1 and "×4" in rendered
    assert "RuntimeError: &lt;/script&gt; out of time" in rendered


def test_failures_that_differ_keep_a_row_and_a_stderr_each() -> None:
    run = made_up_run(with_failure=True)
    failed = next(case for case in run.cases if case.failures)
    failed.samples[0].reason = "another reason"
    failed.samples[0].stderr_tail = "another stderr"
    rendered = markdown.markdown(all_cases.failures_table(run),
                                 extensions=["tables", "pymdownx.details", "pymdownx.superfences"])
    assert rendered.count("<details") == 2 and "×3" in rendered and "×1" in rendered
    assert "another stderr" in rendered and "another reason" in rendered


def test_failures_table_says_when_there_are_none() -> None:
    assert all_cases.failures_table(made_up_run()) == "No failed processes in this run."


def test_cells_with_pipes_newlines_and_html_stay_one_cell() -> None:
    run = made_up_run(with_failure=True)
    for case in run.cases:
        for sample in case.failures:
            sample.reason = "a | b\nc <b>d</b> *e*"
    rows = _table_rows(all_cases.failures_table(run))
    assert {len(row) for row in rows} == {len(all_cases.FAILURE_HEADERS)}
    assert {row[-1] for row in rows} == {"a | b c <b>d</b> *e*"}


@pytest.mark.parametrize(
    ("verdict", "numerator", "denominator", "words"),
    [
        ("numerator_faster", "torch", "tensorflow", "PyTorch 1.11× faster"),
        ("denominator_faster", "torch", "tensorflow", "TensorFlow 1.11× faster"),
        ("numerator_faster", "tensorflow", "torch", "TensorFlow 1.11× faster"),
        ("tie", "torch", "tensorflow", "no difference resolved"),
        ("insufficient_data", "torch", "tensorflow", "insufficient data (4 pairs < 5)"),
        ("fingerprints_disagree", "torch", "tensorflow", "not compared: final losses disagree"),
    ],
)
def test_comparison_table_verdict_wording(verdict: str, numerator: str, denominator: str, words: str) -> None:
    run = made_up_run()
    has_interval = verdict != "insufficient_data"
    # A ratio on the side of its verdict: step time numerator / denominator below 1 when the numerator won.
    ratio, low, high = (1 / 0.9, 1 / 0.95, 1 / 0.85) if verdict == "denominator_faster" else (0.9, 0.85, 0.95)
    run.comparisons = [
        FrameworkComparison(
            workload="mlp", device="cpu", config=run.cases[0].config, numerator=numerator,
            denominator=denominator, n_pairs=4, min_pairs=5, ratio_median=ratio if has_interval else None,
            ci_low=low if has_interval else None, ci_high=high if has_interval else None,
            confidence_level=0.95, verdict=verdict,
        )
    ]
    (row,) = _table_rows(who_is_faster.who_is_faster_table(run))
    assert row[0] == words  # the verdict leads the row


def test_comparison_table_shows_ratio_and_interval() -> None:
    rows = _table_rows(who_is_faster.who_is_faster_table(made_up_run()))
    assert rows[0] == ["PyTorch 1.19× faster", "1.19× (1.14×–1.23×)", "mlp", "train · fp32 · batch 128",
                       "default: PyTorch — · TensorFlow —"]


def test_provenance_table_names_versions_hardware_and_commit() -> None:
    run = made_up_run()
    facts = dict((row[0], row[1]) for row in _table_rows(run_provenance.provenance_table(run)))
    assert facts["git commit"] == f"{run.provenance.git_commit} (clean)"
    assert facts["package: torch"] == "2.5.1"
    assert facts["package: tensorflow"] == "2.18.0"
    assert facts["package: numpy"] == "2.1.3"
    assert facts["CPU"] == "Made-Up CPU 9000 @ 3.00GHz"
    assert facts["CPU cores: logical / usable / physical"] == "16 / 8 / 8"
    assert facts["RAM (GiB)"] == "64.0"
    assert facts["GPU"] == "none"
    assert facts["command"] == "fwbench run --preset quick"
    assert facts["setting: preset"] == "quick"
    assert facts["duration"] == "42 min 07 s"


def test_run_caption_names_run_hardware_and_versions() -> None:
    caption = provenance_text.run_caption(made_up_run())
    assert caption == (
        "Run 20260101T000000Z-abc123, 2026-01-01, Made-Up CPU 9000 @ 3.00GHz / no GPU, torch 2.5.1, tensorflow 2.18.0"
    )


# --- placeholders ------------------------------------------------------------------------


def test_placeholders_are_replaced_with_or_without_spaces() -> None:
    run = made_up_run()
    page = "Before\n\n{{ fwbench.who_is_faster }}\n\n{{fwbench.failures}}\n"
    filled = placeholders.fill_placeholders(page, run, page="performance.md")
    assert "{{" not in filled
    assert who_is_faster.who_is_faster_table(run) in filled
    assert "No failed processes in this run." in filled


def test_multi_line_output_keeps_the_placeholder_indentation() -> None:
    filled = placeholders.fill_placeholders("=== \"Tab\"\n\n    {{ fwbench.provenance }}\n", made_up_run(), page="p.md")
    table_lines = filled.split("\n")[2:]
    assert all(line.startswith("    |") for line in table_lines if line.strip())


def test_unknown_placeholder_fails_naming_page_and_placeholder() -> None:
    with pytest.raises(PluginError, match=r"methodology\.md: unknown placeholder '\{\{ fwbench\.nonsense \}\}'"):
        placeholders.fill_placeholders("{{ fwbench.nonsense }}", made_up_run(), page="methodology.md")


def test_every_placeholder_in_the_docs_is_registered() -> None:
    used = {
        name
        for page in (REPO_ROOT / "docs").glob("*.md")
        for name in placeholders.PLACEHOLDER.findall(page.read_text(encoding="utf-8"))
    }
    assert used and used <= set(placeholders.PLACEHOLDERS)


def test_embedded_figure_json_cannot_close_its_script_tag() -> None:
    run = made_up_run()
    hostile = "</script><script>alert(1)</script>"
    for case in run.cases:
        case.config["note"] = hostile
    chart_html = performance.throughput_chart_section(run)
    (match,) = FIGURE_SCRIPT.finditer(chart_html)
    assert "</" not in match.group(2)
    figure = json.loads(match.group(2))
    assert any(hostile in row[0] for row in figure["data"][0]["customdata"])


# --- loading and building ----------------------------------------------------------------


def _write_runs(directory: Path, *runs: RunResult) -> None:
    for run in runs:
        dump_run(run, final_path(directory, run.run_id))


def test_newest_complete_run_is_loaded(tmp_path: Path) -> None:
    _write_runs(tmp_path, made_up_run(run_id="20260101T000000Z-old"), made_up_run(run_id="20260102T000000Z-new"))
    (tmp_path / "20260103T000000Z-unfinished.partial.json").write_text("{}", encoding="utf-8")
    assert hooks.newest_run(tmp_path).run_id == "20260102T000000Z-new"


def test_no_run_and_unreadable_run_fail_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"no result files in .*: run `fwbench run` first"):
        hooks.newest_run(tmp_path)
    (tmp_path / "20260101T000000Z-broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PluginError, match=r"broken\.json: not valid JSON"):
        hooks.newest_run(tmp_path)


def test_most_useful_error_line_prefers_errors_then_warnings() -> None:
    output = "INFO    -  Building\nWARNING -  a warning\nERROR   -  the real problem\nAborted with a BuildError!"
    assert most_useful_error_line(output) == "the real problem"
    assert most_useful_error_line("WARNING -  Doc file 'x.md' contains a link\nAborted with 1 warnings in strict mode!") == (
        "Doc file 'x.md' contains a link"
    )


def test_site_build_without_results_fails_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(SiteBuildError, match=r"^no result files in .*: run `fwbench run` first$"):
        build_site(tmp_path / "results", tmp_path / "site")


# Off-origin URLs that third-party scripts carry but that this site never makes them fetch:
# plotly.js's modebar logo link (off: displaylogo is false); the cartesian bundle has no map traces.
VENDOR_URLS_NEVER_FETCHED = {
    "plotly.min.js": ("https://plotly.com",),
}
OFF_ORIGIN_REFERENCE = re.compile(r"""(?:\b(?:src|href)\s*=\s*|url\(\s*)["']?(https?:)?//[^"'\s)>]+""", re.I)


def test_strict_site_build_embeds_both_frameworks_and_fetches_nothing_off_origin(tmp_path: Path) -> None:
    run = made_up_run(with_failure=True)
    # An older reference run beside it: the reference rule would pick that one; --default-run picks `run`.
    reference = made_up_run(run_id="20251201T000000Z-ref000")
    reference.rules.reference_run = True
    reference.settings.preset = "full"
    _write_runs(tmp_path / "results", reference, run)
    site = tmp_path / "site"
    build_site(tmp_path / "results", site, default_run=run.run_id, site_url="https://example.org/fw")

    performance = (site / "performance" / "index.html").read_text(encoding="utf-8")
    figure = json.loads(_embedded_figures(performance)["chart-throughput"])
    plotted = {trace["name"]: trace["y"] for trace in figure["data"]}
    for framework, name in (("torch", "PyTorch"), ("tensorflow", "TensorFlow")):
        medians = [c.summary.samples_per_second_median for c in run.cases if c.framework == framework and c.summary]
        assert plotted[name] == medians
    cases = (site / "cases" / "index.html").read_text(encoding="utf-8")
    assert FAILURE_REASON in cases and "<h2 id=\"failures\"" in cases
    assert 'href="../performance/#perf-mlp"' in cases  # each row's workload leads to its Performance section
    assert f'data-run-id="{run.run_id}" data-default-rule="requested"' in performance
    assert f"https://example.org/fw/performance--{run.run_id}/" in performance  # the full permalink
    record = json.loads((site / "fwbench-build.json").read_text(encoding="utf-8"))
    assert record["requested_default_run"] == run.run_id
    assert record["pages"] and all(p == {"shows": run.run_id, "rule": "requested"} for p in record["pages"].values())
    assert (site / "compare" / "pairs" / f"{reference.run_id}--{run.run_id}.json").is_file()
    assert "fwbench-compare-index" in (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert run.run_id in (site / "index.html").read_text(encoding="utf-8")
    assert run.provenance.git_commit in (site / "methodology" / "index.html").read_text(encoding="utf-8")

    plotly_js = site / "assets" / "javascripts" / "plotly.min.js"
    assert plotly_js.stat().st_size == hooks.plotly_js_path().stat().st_size
    assert (site / "assets" / "javascripts" / "fwbench-charts.js").is_file()
    assert '<script defer src="../assets/javascripts/plotly.min.js"></script>' in performance
    for script in ("tablesort.min.js", "fwbench-tables.js", "fwbench-compare.js"):
        assert f'<script defer src="../assets/javascripts/{script}"></script>' in performance
        assert (site / "assets" / "javascripts" / script).is_file()

    offenders = []
    for path in site.rglob("*"):
        if path.suffix not in {".html", ".js", ".css"}:
            continue
        # The site's own published address (canonical links, the citations' permalinks) is its own origin.
        allowed = (*VENDOR_URLS_NEVER_FETCHED.get(path.name, ()), "https://example.org/fw/")
        for found in OFF_ORIGIN_REFERENCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            reference = found.group(0)
            if not any(url in reference for url in allowed):
                offenders.append(f"{path.relative_to(site)}: {reference}")
    assert offenders == []


def test_a_link_to_an_anchor_the_target_page_lacks_fails_the_strict_build_with_one_line(tmp_path: Path) -> None:
    """The site's own validation setting: moving a table to another page without moving the links to it (the
    workload links of the all-cases rows, `#failures` on Methodology) must fail the build, not publish dead links."""
    from mkdocs.config import load_config

    anchors = load_config(str(REPO_ROOT / "mkdocs.yml")).validation.links.anchors  # a logging level
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[every case](cases.md#failures)\n", encoding="utf-8")
    (docs / "cases.md").write_text("# All cases\n\n## Every case {#all-cases}\n", encoding="utf-8")
    config = {"site_name": "test", "strict": True, "docs_dir": str(docs),
              "validation": {"anchors": {logging.WARNING: "warn", logging.INFO: "info"}.get(anchors, "ignore")}}
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(SiteBuildError) as raised:
        build_site(tmp_path / "results", tmp_path / "site", config_file=tmp_path / "mkdocs.yml")
    assert "'cases.md#failures'" in str(raised.value) and "\n" not in str(raised.value)


def test_workloads_block_describes_the_declaration_recorded_in_the_run() -> None:
    text = configurations.configurations_table(made_up_run())
    assert "### MLP classifier" in text
    assert "A made-up description." in text
    assert "0.0123" in text and "`sgd_momentum`" in text


def test_cases_run_on_a_loaded_machine_are_flagged() -> None:
    run = made_up_run()
    quiet, loaded = run.cases[0], run.cases[1]
    quiet.summary = quiet.summary.model_copy(update={"foreign_cpu_fraction_max": 0.02})
    loaded.summary = loaded.summary.model_copy(update={"foreign_cpu_fraction_max": 0.4})
    text = all_cases.throughput_table(run)
    assert "40% ⚠ loaded" in text
    assert "2%" in text and "2% ⚠" not in text
