"""Rendering of the ease-of-use article's measured parts on made-up runs: retracing, start-up."""

from __future__ import annotations

import json

from benchmarks.studies.retracing import STUDY, call_sequence
from benchmarks.study import PlanContext
from contract.payloads import RetracingData
from contract.schema import StudyRecord
from site_scripts import placeholders
from site_scripts.charts import retracing
from site_scripts.tables import startup
from tests.made_up_results import STARTED, made_up_run

SIZES = call_sequence("quick")


def _record(framework: str, scenario: str, api: str, traces: int, graph_breaks: int = 0,
            warnings: list[str] | None = None) -> StudyRecord:
    calls = [0.5 + 0.0123 * i for i in range(len(SIZES))]
    data = RetracingData(framework_version="9.9", features=64, hidden_units=128, scenario={
        "scenario": scenario, "api": api, "batch_sizes": SIZES, "traces": traces, "graph_breaks": graph_breaks,
        "call_seconds": calls, "first_call_seconds": calls[0], "total_seconds": sum(calls),
        "steady_call_seconds": 0.0432, "warnings": warnings or []})
    return StudyRecord(study="retracing", record_id=f"retracing/{framework}/any/scenario={scenario}", framework=framework,
                       device="cpu", config={"sizes": "quick", "scenario": scenario}, status="ok",
                       started_utc=STARTED, wall_seconds=3.0, data=data.model_dump(mode="json"))


def _run_with_retracing():
    run = made_up_run(run_id="20260102T000000Z-retrace")
    run.studies = [
        _record("tensorflow", "function_default", "tf.function(forward)", 7, warnings=["5 out of the last 5 calls retraced"]),
        _record("tensorflow", "function_input_signature", "tf.function(forward, input_signature=...)", 1),
        _record("torch", "compile_branch", "torch.compile(model) with a branch", 5, graph_breaks=3),
        StudyRecord(study="retracing", record_id="retracing/torch/any/scenario=compile_static", framework="torch",
                    device="cpu", config={"sizes": "quick", "scenario": "compile_static"}, status="timeout",
                    reason="killed after 300 s", started_utc=STARTED, wall_seconds=300.0),
    ]
    return run


def test_retracing_is_planned_in_quick_full_and_gpu_for_every_framework() -> None:
    for preset in ("quick", "full", "gpu"):
        assert STUDY.runs_by_default(preset, "cpu" if preset != "gpu" else "cuda")
    tasks = STUDY.plan(PlanContext(preset="quick", device="cpu", frameworks=("torch", "tensorflow"), workloads=("mlp",)))
    scenarios = {(task.framework, task.config["scenario"]) for task in tasks}
    assert ("tensorflow", "function_input_signature") in scenarios and ("torch", "compile_dynamic") in scenarios


def test_retracing_table_shows_counts_times_and_failures() -> None:
    text = retracing.retracing_table(_run_with_retracing())
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == 4
    default = next(row for row in rows if "tf.function(forward)`" in row)
    cells = [cell.strip() for cell in default.strip("|").split("|")]
    assert cells[3:5] == ["7", "0"] and cells[7] == "0.0432"
    assert any("timeout: killed after 300 s" in row for row in rows)


def test_retracing_placeholder_picks_the_run_that_has_it_and_embeds_a_chart() -> None:
    with_data, newer_without = _run_with_retracing(), made_up_run(run_id="20260103T000000Z-newer")
    text = placeholders.fill_placeholders("{{ fwbench.ease_retracing }}", [with_data, newer_without], page="ease-of-use.md")
    assert "chart-retracing-cumulative" in text and "20260102T000000Z-retrace" in text
    assert "--studies" in text
    assert "5 out of the last 5 calls retraced" in text
    figure = json.loads(text.split('data-for="chart-retracing-cumulative">', 1)[1].split("</script>", 1)[0])
    assert len(figure["data"]) == 3  # the timed-out setting has no calls to plot


def test_measured_placeholders_say_not_measured_when_no_run_has_the_data() -> None:
    run = made_up_run()
    for name in ("ease_retracing", "ease_startup"):
        assert placeholders.fill_placeholders("{{ fwbench.%s }}" % name, [run], page="p.md") == "Not measured in this run."


def test_startup_table_uses_default_mode_fp32_training_phases() -> None:
    run = made_up_run()
    for case in run.cases:
        case.config = {**case.config, "mode": "eager" if case.framework == "torch" else "function"}
        for index, sample in enumerate(case.samples):
            offset = 0.0 if case.framework == "torch" else 4.0
            sample.phase_seconds = {"harness": 1.0, "import": 3.0 + offset + index, "build": 5.0 + offset, "steady": 9.0}
    rows = startup.startup_rows(run)
    torch_row = next(row for row in rows if row[1] == "PyTorch" and row[3] == "128")
    tf_row = next(row for row in rows if row[1] == "TensorFlow" and row[3] == "128")
    assert torch_row[4] == "3.5" and torch_row[5] == "5.75"  # import medians 2,3,4,5; build 5 + first step 0.75
    assert tf_row[4] == "7.5" and tf_row[5] == "10.2"  # 10.25 to three significant figures
    text = placeholders.fill_placeholders("{{ fwbench.ease_startup }}", [run], page="p.md")
    assert "framework import in a timing process (s)" in text and "Reproduce:" in text
