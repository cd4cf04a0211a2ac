"""The Performance article of the workload suite on a made-up run: every chart, table and anchor, and a strict build."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pytest

from contract.files import dump_run, final_path, load_run
from site_scripts import placeholders
from site_scripts.analysis import selection
from site_scripts.charts import (
    compile_time,
    embed,
    latency,
    peak_fraction,
    section,
    speedup,
    throughput_overview,
    throughput_vs_batch,
)
from site_scripts.pages import performance
from site_scripts.site_build import build_site
from site_scripts.tables import comparison_rules, equivalence_proof, mode_details, peak_matmul, who_is_faster
from site_scripts.text import formatting, labels, provenance_text
from tests.made_up_results import (
    EQUIVALENCE_FAILURE,
    SUITE_FAILURES,
    SUITE_LATENCY_CALLS,
    SUITE_PEAK_FAILURE,
    SUITE_PROCESSES,
    SUITE_WORKLOADS,
    made_up_suite_run,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
FIGURE_SCRIPT = re.compile(r'<script type="application/json" class="fwbench-figure" data-for="([^"]+)">(.*?)</script>', re.S)
CHART_KEYS = [key for key, _ in performance.CHARTS]


@pytest.fixture(scope="module")
def run():
    return made_up_suite_run()


def _rows(markdown_text: str) -> list[list[str]]:
    """Body rows of the first table in the text, as the cell texts a reader sees (a line break reads as a space)."""
    rendered = markdown.markdown(markdown_text, extensions=["tables"])
    body = rendered.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", cell))).strip()
             for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _headers(markdown_text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", markdown.markdown(markdown_text, extensions=["tables"]))]


def _column(markdown_text: str, header: str) -> list[str]:
    index = _headers(markdown_text).index(header)
    return [row[index] for row in _rows(markdown_text)]


def _failed(run, workload):
    return [c for c in run.cases if c.workload == workload and c.summary is None]


# --- the run itself ----------------------------------------------------------------------------


def test_suite_run_holds_what_the_article_needs(run) -> None:
    assert labels.workloads(run) == ["mlp", "resnet"]
    assert {c.verdict for c in run.comparisons} == {
        "numerator_faster", "denominator_faster", "tie", "insufficient_data", "fingerprints_disagree"}
    assert {r.status for r in run.equivalence} == {"ok", "failed"}
    assert any(c.summary is None for c in run.cases)
    assert any(c.config.get("layout") for c in run.cases)
    assert selection.reference_batch(run, "mlp") == SUITE_WORKLOADS["mlp"]["batch"]
    assert selection.reference_batch(run, "resnet") == SUITE_WORKLOADS["resnet"]["batch"]


# --- training throughput against batch size ----------------------------------------------------


def test_scaling_chart_has_a_line_per_framework_mode_layout_precision_with_summary_numbers(run) -> None:
    for workload in labels.workloads(run):
        figure = throughput_vs_batch.throughput_vs_batch_figure(run, workload)
        measured = [c for c in run.cases if c.workload == workload and c.config["task"] == "train" and c.summary]
        expected_lines = {labels.series_name(c) for c in measured}
        assert {trace.name for trace in figure.data} == expected_lines
        assert figure.layout.xaxis.type == "log"
        for trace in figure.data:
            members = sorted((c for c in measured if labels.series_name(c) == trace.name),
                             key=lambda c: c.config["batch_size"])
            assert list(trace.x) == [c.config["batch_size"] for c in members]
            assert list(trace.y) == [c.summary.samples_per_second_median for c in members]
            assert list(trace.error_y.array) == [
                c.summary.samples_per_second_q3 - c.summary.samples_per_second_median for c in members]
            assert list(trace.error_y.arrayminus) == [
                c.summary.samples_per_second_median - c.summary.samples_per_second_q1 for c in members]
            assert trace.mode == "lines+markers"
            for row, case in zip(trace.customdata, members):
                assert row[0] == labels.config_text(case.config)  # every config key, for the hover
                assert row[1] == case.case_id
                assert list(row[4:]) == [case.summary.processes_ok, len(case.samples)]


def test_torch_layouts_are_separate_lines(run) -> None:
    names = {t.name for t in throughput_vs_batch.throughput_vs_batch_figure(run, "resnet").data}
    assert "PyTorch eager · channels_first · fp32" in names
    assert "PyTorch eager · channels_last · fp32" in names


def test_failed_training_cases_are_listed_under_the_chart_not_drawn_as_zero(run) -> None:
    figure = throughput_vs_batch.throughput_vs_batch_figure(run, "resnet")
    failed = [c for c in _failed(run, "resnet") if c.config["task"] == "train"]
    assert len(failed) == 2
    for case in failed:
        for trace in (t for t in figure.data if t.name == labels.series_name(case)):
            assert case.config["batch_size"] not in trace.x
    assert all(0 not in trace.y for trace in figure.data)
    # TensorFlow xla failed at its only batch: no line at all rather than a point at zero.
    assert "TensorFlow xla · fp32" not in {t.name for t in figure.data}
    listed = section.not_plotted_table(throughput_vs_batch.scaling_not_plotted(run, "resnet"))
    reasons = _column(listed, "status and reason")
    for case in failed:
        status, reason, _ = SUITE_FAILURES[(case.workload, case.framework, "train", "fp32", case.config["mode"],
                                            None, case.config["batch_size"])]
        assert f"failed: {status} ×{SUITE_PROCESSES}: {reason}" in reasons
    data = throughput_vs_batch.scaling_data_table(run, "resnet")
    assert sum(status.startswith("failed") for status in _column(data, "status")) == 2


def test_partly_failed_case_is_plotted_and_its_failures_named(run) -> None:
    case = next(c for c in run.cases if c.workload == "resnet" and c.framework == "tensorflow"
                and c.config["task"] == "train" and c.config["batch_size"] == 8)
    assert case.summary.processes_ok == SUITE_PROCESSES - 2
    data = throughput_vs_batch.scaling_data_table(run, "resnet")
    row = next(r for r in _rows(data) if case.case_id in r)
    assert row[5] == f"{SUITE_PROCESSES - 2} / {SUITE_PROCESSES}"
    assert row[-1].startswith("ok (2 of 6 processes failed: crashed ×2: Segmentation fault")


# --- speed-up ----------------------------------------------------------------------------------


def test_speedup_chart_has_a_point_per_comparison_with_ratio_interval_and_verdict_legend(run) -> None:
    for workload in labels.workloads(run):
        figure = speedup.speedup_figure(run, workload)
        row_labels = speedup.comparison_labels(run, workload)
        comparisons = selection.comparisons_of(run, workload)
        plotted = {row_labels[i]: c for i, c in enumerate(comparisons)
                   if c.ratio_median is not None and c.verdict != "fingerprints_disagree"}
        seen = {}
        for trace in figure.data:
            for x, y, plus, minus, custom in zip(trace.x, trace.y, trace.error_x.array, trace.error_x.arrayminus,
                                                 trace.customdata):
                c = plotted[y]
                assert trace.name == labels.verdict_legend(c)
                assert x == c.ratio_median
                assert plus == c.ci_high - c.ratio_median and minus == c.ratio_median - c.ci_low
                assert custom[2] == c.n_pairs
                assert c.numerator_mode in custom[0] and (c.denominator_mode or "") in custom[0]
                seen[y] = trace.name
        assert set(seen) == set(plotted)
        assert figure.layout.shapes[0].x0 == 1.0 and figure.layout.shapes[0].x1 == 1.0
        assert figure.layout.xaxis.type == "log"


def test_speedup_labels_name_task_precision_and_batch(run) -> None:
    assert list(speedup.comparison_labels(run, "mlp").values()) == [
        "train · fp32 · batch 32", "train · fp32 · batch 128", "train · fp32 · batch 512", "train · bf16 · batch 128",
        "infer · fp32 · batch 1", "infer · fp32 · batch 1024"]


def test_comparisons_without_a_point_are_listed_with_why(run) -> None:
    mlp = _rows(speedup.speedup_not_plotted_table(run, "mlp"))
    assert [row[:2] for row in mlp] == [["train · bf16 · batch 128", "not compared: final losses disagree"]]
    assert mlp[0][2] == "the final losses differ by 8.0e-02 (relative), beyond the bf16 tolerance of 0.05"
    resnet = _rows(speedup.speedup_not_plotted_table(run, "resnet"))
    assert [row[:2] for row in resnet] == [["train · fp32 · batch 64", "insufficient data (0 pairs < 6)"]]
    assert "TensorFlow every mode failed" in resnet[0][2]


# --- compile time ------------------------------------------------------------------------------


def test_compile_chart_shows_every_mode_at_the_reference_batch(run) -> None:
    for workload in labels.workloads(run):
        figure = compile_time.compile_time_figure(run, workload)
        reference = [c for c in run.cases if c.workload == workload and c.config["task"] == "train"
                     and c.config["precision"] == "fp32" and c.config["batch_size"] == SUITE_WORKLOADS[workload]["batch"]]
        plotted = {y: x for trace in figure.data for y, x in zip(trace.y, trace.x)}
        assert plotted == {labels.case_label(c): c.summary.compile_seconds_median for c in reference if c.summary}
        assert [t.name for t in figure.data] == ["PyTorch", "TensorFlow"]


def test_compile_chart_lists_the_failed_mode_and_explains_cold_compile_and_fit(run) -> None:
    (failed,) = compile_time.compile_not_plotted(run, "resnet")
    assert failed.config["mode"] == "xla"
    assert "TensorFlow xla" not in {y for t in compile_time.compile_time_figure(run, "resnet").data for y in t.y}
    rendered = performance.workload_section(run, "resnet")
    assert "failed: `out_of_memory` ×6: `RESOURCE_EXHAUSTED`: OOM when allocating tensor \\| in XLA" in rendered
    assert "fresh compile cache in each process" in rendered
    assert "Keras fit's first call is a whole epoch (8 steps here)" in rendered
    rows = _rows(compile_time.compile_data_table(run, "resnet"))
    fit = next(r for r in rows if r[0] == "TensorFlow fit")
    assert fit[4] == "8" and fit[5].startswith("Keras fit, an epoch of 8 steps per call")


# --- latency -----------------------------------------------------------------------------------


def test_latency_boxes_pool_every_call_of_every_process_in_ms(run) -> None:
    for workload in labels.workloads(run):
        figure = latency.latency_figure(run, workload)
        cases = [c for c in run.cases if c.workload == workload and c.config["task"] == "infer"
                 and c.config["batch_size"] == 1]
        assert [t.name for t in figure.data] == [labels.case_label(c) for c in cases]
        for trace, case in zip(figure.data, cases):
            assert trace.type == "box"
            pooled = [formatting.round_significant(t * 1000) for s in case.samples for t in s.step_seconds]
            assert list(trace.y) == pooled
            assert len(pooled) == SUITE_PROCESSES * SUITE_LATENCY_CALLS
        rows = _rows(latency.latency_data_table(run, workload))
        for row, case in zip(rows, cases):
            assert row[2] == formatting.significant(case.summary.latency_p50_seconds * 1000)
            assert row[3] == formatting.significant(case.summary.latency_p99_seconds * 1000)
            assert row[2] != row[3]


# --- fraction of peak --------------------------------------------------------------------------


def test_peak_chart_plots_fraction_of_peak_for_training_and_large_batch_inference(run) -> None:
    figure = peak_fraction.peak_fraction_figure(run, "mlp")
    points = {y: (x, custom) for trace in figure.data for y, x, custom in zip(trace.y, trace.x, trace.customdata)}
    expected = [c for c in run.cases if c.workload == "mlp" and not selection.is_latency_case(c)
                and c.summary and c.summary.fraction_of_peak is not None]
    assert {peak_fraction.peak_label(c): c.summary.fraction_of_peak for c in expected} == {
        y: x for y, (x, _) in points.items()}
    assert not any("batch 1 ·" in y for y in points)
    case = expected[0]
    achieved, peak = points[peak_fraction.peak_label(case)][1][:2]
    assert achieved == formatting.round_significant(case.summary.achieved_flops_per_second / 1e9)
    assert peak == formatting.round_significant(run.peak_matmul[0].flops_per_second / 1e9)


def test_cases_without_a_peak_are_listed_with_the_peak_failure(run) -> None:
    missing, why = peak_fraction.peak_not_plotted(run, "mlp")
    assert [(c.framework, c.config["precision"]) for c in missing] == [("tensorflow", "bf16")]
    framework, precision, status, reason = SUITE_PEAK_FAILURE
    assert why[missing[0].case_id] == f"no fraction of peak: the matmul peak measurement {status}: {reason}"


def test_without_calibration_the_peak_chart_says_it_was_skipped() -> None:
    uncalibrated = made_up_suite_run(calibrate=False)
    rendered = performance.workload_section(uncalibrated, "mlp")
    assert "calibration (peak matmul and FLOP counts) was skipped" in rendered
    assert f'data-for="{section.chart_id("mlp", "peak-fraction")}"' not in rendered
    assert "skipped in this run" in equivalence_proof.equivalence_table(uncalibrated)
    assert "not measured" in peak_matmul.peak_matmul_table(uncalibrated)


# --- the summary table -------------------------------------------------------------------------

def _evidence_rows(markdown_text: str) -> list[list[str]]:
    """Rows of the folded evidence table that follows the verdict table."""
    folded = markdown_text.split("Evidence behind each verdict", 1)[1]
    return _rows("\n".join(line[4:] for line in folded.splitlines()[1:]))


def test_who_is_faster_leads_with_the_verdict_then_how_much_then_what(run) -> None:
    text = who_is_faster.who_is_faster_table(run)
    rows = _rows(text)
    comparisons = selection.comparisons_of(run)
    assert len(rows) == len(comparisons) == len(run.comparisons)
    assert _headers(text)[:5] == ["verdict", "how much (95% interval)", "workload", "configuration", "path: modes"]
    for row, c in zip(rows, comparisons):
        assert row[2] == c.workload  # the short name, linking to the workload's section
        if c.verdict == "numerator_faster":
            assert row[0] == f"PyTorch {1 / c.ratio_median:.2f}× faster"
            assert row[1] == f"{1 / c.ratio_median:.2f}× ({1 / c.ci_high:.2f}×–{1 / c.ci_low:.2f}×)"
        elif c.verdict == "denominator_faster":
            assert row[0] == f"TensorFlow {c.ratio_median:.2f}× faster"
            assert row[1] == f"{c.ratio_median:.2f}× ({c.ci_low:.2f}×–{c.ci_high:.2f}×)"
        elif c.verdict == "tie":
            assert row[0] == "no difference resolved"
            assert row[1] == f"{c.ratio_median:.3f} ({c.ci_low:.3f}–{c.ci_high:.3f})"
        elif c.verdict == "fingerprints_disagree":
            assert row[0] == "not compared: final losses disagree" and row[1] == "—"
        else:
            assert row[0] == f"insufficient data ({c.n_pairs} pairs < 6)"
    assert {row[0].split(" ")[0] for row in rows} >= {"PyTorch", "TensorFlow", "no", "not", "insufficient"}
    evidence = _evidence_rows(text)
    assert [row[3] for row in evidence] == [str(c.n_pairs) for c in comparisons]


def test_who_is_faster_names_layouts_fingerprints_and_links_to_sections(run) -> None:
    text = who_is_faster.who_is_faster_table(run)
    rows = {(r[2], r[3]): r for r in _rows(text)}
    resnet_16 = rows[("resnet", "train · fp32 · batch 16")]
    assert resnet_16[4] == "default: PyTorch compile · channels_last · TensorFlow fit"
    evidence = {(r[0], r[1]): r for r in _evidence_rows(text)}
    # Keras fit is TensorFlow's fastest here; the fingerprint falls back to its fastest one-step-per-call mode.
    assert evidence[("resnet", "train · fp32 · batch 16")][-1].startswith("agree (")
    assert evidence[("mlp", "train · fp32 · batch 128")][-1].startswith("agree (")
    assert evidence[("mlp", "train · bf16 · batch 128")][-1] == "disagree (8.0e-02)"
    assert evidence[("mlp", "infer · fp32 · batch 1")][-1] == "not comparable (inference)"
    assert "[`mlp`](performance.md#perf-mlp)" in text and "[`resnet`](performance.md#perf-resnet)" in text
    # Every row carries the anchor the Home page's matrix links to.
    for c in run.comparisons:
        assert f'id="{labels.comparison_anchor(c)}"' in text


# --- methodology -------------------------------------------------------------------------------


def test_equivalence_table_shows_the_numbers_and_a_failed_proof(run) -> None:
    text = equivalence_proof.equivalence_table(run)
    rows = {row[0]: row for row in _rows(text)}
    mlp = rows["MLP classifier"]
    record = run.equivalence[0]
    assert mlp[1] == "PyTorch 101,386; TensorFlow 101,386"
    assert mlp[2:7] == [formatting.scientific(v) for v in (
        record.forward_max_abs_diff, record.loss_abs_diff, record.loss_after_step_abs_diff,
        record.forward_after_step_max_abs_diff, record.weights_after_step_max_abs_diff)]
    assert mlp[7] == "forward_atol 0.0001, loss_atol 1e-05, weights_after_step_atol 1e-05"
    assert mlp[-1] == "yes"
    assert rows["ResNet (small)"][-1] == f"failed: {EQUIVALENCE_FAILURE}"
    assert 'fwbench-icon-ok' in text and 'fwbench-icon-failed' in text


def test_peak_matmul_table_lists_each_framework_and_precision(run) -> None:
    rows = _rows(peak_matmul.peak_matmul_table(run))
    assert [r[:3] for r in rows] == [["PyTorch", "cpu", "fp32"], ["PyTorch", "cpu", "bf16"],
                                     ["TensorFlow", "cpu", "fp32"], ["TensorFlow", "cpu", "bf16"]]
    assert rows[0][4] == formatting.significant(run.peak_matmul[0].flops_per_second / 1e9)
    assert rows[-1][-1] == f"{SUITE_PEAK_FAILURE[2]}: {SUITE_PEAK_FAILURE[3]}"


def test_mode_details_say_how_each_mode_ran(run) -> None:
    rows = {(r[0], r[1]): r[2] for r in _rows(mode_details.mode_details_table(run))}
    assert rows[("TensorFlow", "fit")] == "Keras fit, an epoch of 8 steps per call (jit_compile=False) (mlp, resnet)"
    assert rows[("PyTorch", "compile")].startswith("torch.compile (inductor, default mode)")


def test_comparison_rules_state_the_thresholds_the_code_applies(run) -> None:
    from contract.stats import FINGERPRINT_TOLERANCE, MIN_PAIRS_FOR_VERDICT

    rules = comparison_rules.comparison_rules(run)
    for precision, tolerance in FINGERPRINT_TOLERANCE.items():
        assert f"{tolerance:g}" in rules and precision in rules
    assert f"at least {MIN_PAIRS_FOR_VERDICT} process pairs" in rules
    assert "PyTorch in eager, compile; TensorFlow in eager, function, xla, fit" in rules


# --- sections, anchors, ids, reproduce ---------------------------------------------------------


def _ids(text: str) -> list[str]:
    return re.findall(r"\{#([^}]+)\}", text) + re.findall(r'id="([^"]+)"', text)


def test_every_workload_gets_a_section_with_stable_anchors_and_chart_ids(run) -> None:
    text = performance.performance_by_workload(run)
    expected = []
    for workload in ("mlp", "resnet"):
        expected += [f"perf-{workload}"] + [f"perf-{workload}-{key}" for key in CHART_KEYS]
    assert re.findall(r"\{#([^}]+)\}", text) == expected
    assert re.findall(r'<div class="fwbench-chart" id="([^"]+)">', text) == [
        f"chart-{w}-{key}" for w in ("mlp", "resnet") for key in CHART_KEYS]
    # The same run, loaded again, gives the same ids: links keep working across rebuilds.
    again = made_up_suite_run()
    assert _ids(performance.performance_by_workload(again)) == _ids(text)


def test_each_chart_has_data_reproduce_command_and_caption(run) -> None:
    text = performance.workload_section(run, "mlp")
    blocks = text.split("\n### ")[1:]
    assert len(blocks) == len(CHART_KEYS)
    for block in blocks:
        assert '??? note "Data behind this chart"' in block
        assert "Reproduce: `fwbench run --preset full --only mlp --device cpu --studies none`" in block
        assert provenance_text.run_caption(run) in html.unescape(block.replace("\\", ""))
    assert "### Training throughput against batch size {#perf-mlp-throughput-vs-batch}" in text
    assert SUITE_WORKLOADS["mlp"]["info"].description in text
    assert "`sgd_momentum`" in text


def test_reproduce_command_follows_the_run_settings(run) -> None:
    assert provenance_text.reproduce_command(run) == "fwbench run --preset full --only mlp,resnet --device cpu --studies none"
    uncalibrated = made_up_suite_run(calibrate=False)
    uncalibrated.settings.modes = ["eager", "function"]
    uncalibrated.settings.processes_per_case = 2
    assert provenance_text.reproduce_command(uncalibrated, "resnet") == (
        "fwbench run --preset full --only resnet --device cpu --modes eager,function --processes 2 --skip-calibration --studies none")


def test_every_figure_is_small_plain_json_without_template(run) -> None:
    builders = [throughput_vs_batch.throughput_vs_batch_figure, speedup.speedup_figure,
                compile_time.compile_time_figure, latency.latency_figure,
                peak_fraction.peak_fraction_figure]
    for workload in labels.workloads(run):
        for build in builders:
            text = embed.figure_json(build(run, workload))
            figure = json.loads(text)
            assert "template" not in figure["layout"]
            assert "bdata" not in text  # plain lists, not typed arrays
            assert len(text) < 15_000, (workload, build.__name__, len(text))
    assert len(embed.figure_json(throughput_overview.throughput_figure(run))) < 15_000


def test_overview_chart_has_a_panel_per_workload_with_each_frameworks_fastest_mode(run) -> None:
    figure = throughput_overview.throughput_figure(run)
    for trace in figure.data:
        panel = "mlp" if trace.xaxis == "x" else "resnet"
        framework = {"PyTorch": "torch", "TensorFlow": "tensorflow"}[trace.name]
        for label, y in zip(trace.x, trace.y):
            batch = int(re.search(r"batch (\d+)", label).group(1))
            precision = label.rsplit(" · ", 1)[-1]
            candidates = [c for c in run.cases if c.workload == panel and c.framework == framework and c.summary
                          and c.config["task"] == "train" and c.config["batch_size"] == batch
                          and c.config["precision"] == precision]
            assert y == max(c.summary.samples_per_second_median for c in candidates)
    notes = [a.text for a in figure.layout.annotations]
    assert "TensorFlow: failed (timeout)" in notes


def test_whole_pages_fill_and_a_v1_run_still_renders(run) -> None:
    for page in ("performance.md", "methodology.md", "index.md"):
        filled = placeholders.fill_placeholders((REPO_ROOT / "docs" / page).read_text(encoding="utf-8"), run, page=page)
        assert "{{" not in filled
    v1 = load_run(REPO_ROOT / "tests" / "fixtures" / "schema_v1_run.json")
    text = placeholders.fill_placeholders((REPO_ROOT / "docs" / "performance.md").read_text(encoding="utf-8"), v1,
                                          page="performance.md")
    assert f"chart-{v1.cases[0].workload}-throughput-vs-batch" in text


def test_strict_site_build_of_the_suite_run(tmp_path: Path, run) -> None:
    dump_run(run, final_path(tmp_path / "results", run.run_id))
    build_site(tmp_path / "results", tmp_path / "site")
    performance = (tmp_path / "site" / "performance" / "index.html").read_text(encoding="utf-8")
    embedded = {m.group(1): json.loads(m.group(2)) for m in FIGURE_SCRIPT.finditer(performance)}
    assert set(embedded) == {"chart-throughput"} | {f"chart-{w}-{k}" for w in ("mlp", "resnet") for k in CHART_KEYS}
    for anchor in ["who-is-faster", "perf-mlp", "perf-resnet-latency"]:
        assert f'id="{anchor}"' in performance
    assert 'href="#perf-resnet"' in performance
    scaling = embedded["chart-mlp-throughput-vs-batch"]
    case = next(c for c in run.cases if c.workload == "mlp" and c.config["mode"] == "compile" and c.config["task"] == "train")
    trace = next(t for t in scaling["data"] if t["name"] == labels.series_name(case))
    assert trace["y"] == [case.summary.samples_per_second_median]
    methodology = (tmp_path / "site" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert EQUIVALENCE_FAILURE in methodology and 'id="comparison-rules"' in methodology
    assert 'href="../performance/#perf-mlp"' in methodology


def test_no_text_from_the_run_can_close_a_figure_script() -> None:
    hostile = "</script><script>alert(1)</script>"
    run = made_up_suite_run()
    for case in run.cases:
        case.config["note"] = hostile
        for sample in case.samples:
            sample.mode_detail = hostile
    text = performance.performance_by_workload(run)
    bodies = [m.group(2) for m in FIGURE_SCRIPT.finditer(text)]
    assert len(bodies) == 2 * len(CHART_KEYS)
    assert all("</" not in body for body in bodies)
    assert any(hostile in json.dumps(json.loads(body)) for body in bodies)


def test_workload_section_publishes_the_fairness_notes(run) -> None:
    workload = next(iter(run.workloads))
    info = run.workloads[workload]
    noted = run.model_copy(update={"workloads": {
        **run.workloads, workload: info.model_copy(update={"notes": {"torch_hidden_bias": "held at zero and frozen"}})}})
    text = performance.workload_section(noted, workload)
    assert "What keeps the two implementations the same function" in text
    assert "held at zero and frozen" in text
