"""The reader's and citer's blocks on made-up runs: default run, selector, runs used, citation, chart data."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import plotly.graph_objects as go

from site_scripts import placeholders
from site_scripts.charts import embed
from site_scripts.chrome import chart_data, citation, run_selector
from site_scripts.text import provenance_text
from tests.made_up_results import made_up_run


def _variant(run_id: str, *, preset: str, days: int, device: str = "cpu"):
    run = made_up_run(run_id=run_id)
    run = run.model_copy(update={"started_utc": run.started_utc + timedelta(days=days)}, deep=True)
    run.settings.preset = preset
    run.rules.reference_run = preset in ("full", "gpu", "memory")
    run.settings.device = device
    return run


def test_default_run_is_newest_reference_run_on_fastest_hardware():
    old_full = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    new_full = _variant("20260102T000000Z-bbbbbb", preset="full", days=1)
    newer_quick = _variant("20260103T000000Z-cccccc", preset="quick", days=2)
    assert run_selector.default_run([old_full, new_full, newer_quick]) is new_full
    gpu = _variant("20260101T000000Z-dddddd", preset="gpu", days=-5, device="cuda")
    assert run_selector.default_run([old_full, new_full, newer_quick, gpu]) is gpu
    # Without a reference run, the newest run wins.
    assert run_selector.default_run([newer_quick]) is newer_quick


def test_runs_view_puts_the_chosen_run_where_run_for_picks_it():
    first = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    second = _variant("20260102T000000Z-bbbbbb", preset="quick", days=1)
    placeholders.load_pages()  # the pages register what each placeholder needs
    view = run_selector.runs_view([first, second], first)
    assert placeholders.run_for("throughput_chart", view) is first
    assert run_selector.runs_used(["throughput_chart", "run_caption"], view) == [first]
    assert run_selector.eligible_runs(["throughput_chart"], [first, second]) == [first, second]
    assert run_selector.eligible_runs(["history"], [first, second]) == []  # draws on every run: no selector


def test_run_note_lists_every_choice_and_marks_the_shown_run():
    first = _variant("20260101T000000Z-aaaaaa", preset="full", days=0)
    second = _variant("20260102T000000Z-bbbbbb", preset="quick", days=1)
    choices = [run_selector.RunChoice(first, "../performance/", True), run_selector.RunChoice(second, "../performance--x/", False)]
    default = run_selector.pick_default([first, second], None)
    note = run_selector.run_note_html(first, [], choices, default)
    assert note.count("<option") == 2 and 'data-run-id="20260101T000000Z-aaaaaa" selected' in note
    assert "the default: the reference rule, among 2 runs" in note and "a reference run (preset full)" in note
    assert 'data-default-rule="reference"' in note
    assert run_selector.variant_src_uri("performance.md", second) == "performance--20260102T000000Z-bbbbbb.md"


def test_cite_block_names_run_versions_hardware_and_permalink():
    run = made_up_run()
    text = citation.cite_markdown("Performance", [run], "/performance--x/", permalink_is_relative=True)
    assert "{#cite-this-page}" in text and run.run_id in text and "@misc{" in text
    assert "--site-url" in text  # says the permalink is relative, and how to make it full

    assert all(version in text for version in provenance_text.versions(run))
    assert run.provenance.host.cpu_model in text


def _figure() -> dict:
    figure = go.Figure()
    figure.add_trace(go.Bar(name="PyTorch", x=["a", "b"], y=[1.5, 2.0], error_y={"type": "data", "array": [0.1, 0.2]}))
    figure.add_trace(go.Scatter(name="TensorFlow", x=[1, 2, 3], y=[3, None, 4]))
    figure.update_layout(xaxis={"title": {"text": "batch"}}, yaxis={"title": {"text": "samples/s"}})
    return json.loads(embed.figure_json(figure))


def test_chart_rows_csv_and_json_hold_every_point_of_every_trace():
    figure = _figure()
    header, rows = chart_data.chart_rows(figure)
    assert header == ["series", "batch", "samples/s", "error y plus"]
    assert len(rows) == 5 and rows[0] == ["PyTorch", "a", 1.5, 0.1] and rows[3] == ["TensorFlow", 2, None, None]
    parsed = list(csv.reader(io.StringIO(chart_data.chart_csv(figure))))
    assert len(parsed) == 6 and parsed[4][2] == ""
    document = json.loads(chart_data.chart_json(figure, "chart-x", "performance/", ["r1"]))
    assert [t["points"] for t in document["traces"]] == [2, 3] and document["runs"] == ["r1"]
    html = chart_data.table_html(figure, "../data/p/chart-x.csv", "../data/p/chart-x.json", "chart-x")
    assert html.count("<tr>") == 6 and 'href="../data/p/chart-x.csv"' in html


def test_a_chart_of_many_points_is_summarised_per_series_in_the_page_and_whole_in_the_downloads():
    """Every call of a latency chart is hundreds of rows: the page summarises each series, the CSV keeps them all."""
    calls = [float(v) for v in range(1, 202)]
    figure = {"data": [{"type": "box", "name": "PyTorch eager", "y": calls},
                       {"type": "box", "name": "TensorFlow function", "y": [5.0, 1.0, 3.0]}],
              "layout": {"yaxis": {"title": {"text": "latency (ms)"}}}}
    html = chart_data.table_html(figure, "a.csv", "a.json", "chart-l")
    assert "204 points of latency (ms), summarised per series" in html and html.count("<tr>") == 3
    assert "<th>median</th>" in html
    assert "<td>PyTorch eager</td><td>201</td><td>1</td><td>101</td><td>201</td>" in html
    assert "<td>TensorFlow function</td><td>3</td><td>1</td><td>3</td><td>5</td>" in html
    assert len(chart_data.chart_csv(figure).splitlines()) == 205


def test_figure_script_pattern_matches_what_embed_figure_writes():
    figure = go.Figure(go.Bar(x=["<a>"], y=[1]))
    block = embed.embed_figure(figure, "chart-test")
    match = chart_data.FIGURE_SCRIPT.search(block)
    assert match and match.group("id") == "chart-test"
    assert json.loads(match.group("json"))["data"][0]["x"] == ["<a>"]
