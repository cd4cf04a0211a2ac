"""The ecosystem page on made-up results: failed export cells are red with their message, a task
that crashed shows for every path, a run without the studies says so, and stale facts are flagged."""

from __future__ import annotations

from datetime import date, datetime, timezone

import markdown

from benchmarks.studies.export import PATHS
from contract.schema import StudyInfo, StudyRecord
from site_scripts import placeholders
from site_scripts.analysis import ecosystem_facts
from site_scripts.tables import ecosystem_checks, export_matrix, footprint, sourced_facts
from tests.made_up_results import made_up_run

STARTED = datetime(2026, 1, 1, tzinfo=timezone.utc)
FAILURE = "'keras_tensor_3' <script>"


def _cell(path_id: str, ok: bool = True) -> dict:
    base = {"path_id": path_id, "title": path_id, "runtime": "made-up runtime 1.0", "warnings": [], "notes": []}
    if ok:
        return {**base, "status": "ok", "max_abs_diff": 1.25e-7, "artifact_bytes": 409600, "load_seconds": 0.0125,
                "latency_seconds_median": 0.000375, "dynamic_batch": True, "dynamic_batch_detail": "batch 3 ran"}
    return {**base, "status": "failed", "failed_stage": "export", "error_type": "KeyError", "message": FAILURE}


def _record(study: str, framework: str | None, workload: str | None, data: dict, status: str = "ok",
            reason: str | None = None, config: dict | None = None) -> StudyRecord:
    return StudyRecord(study=study, record_id=f"{study}/{framework}/{workload}", framework=framework, workload=workload,
                       device="cpu", config=config or {}, status=status, reason=reason, started_utc=STARTED,
                       wall_seconds=1.0, data=data)


def _export_data(cells: list[dict]) -> dict:
    return {"framework_version": "1", "export_batch": 8, "other_batch": 3, "input_shape": [8, 128],
            "input_dtype": "float32", "reference_latency_seconds_median": 0.0005, "threads": 2, "cells": cells}


def _run_with_studies():
    tf_cells = [_cell(p, ok=(p != "onnx_tf2onnx_keras")) for p in PATHS["tensorflow"]]
    studies = [
        _record("export", "torch", "mlp", _export_data([_cell(p) for p in PATHS["torch"]])),
        _record("export", "tensorflow", "mlp", _export_data(tf_cells)),
        _record("export", "torch", "lstm", {}, status="crashed", reason="child died with signal 9"),
        _record("footprint", "torch", None, {
            "distribution": "torch", "version": "9.9.9", "module": "torch",
            "closure": [{"name": "torch", "version": "9.9.9", "installed_bytes": 700 * 2**20, "files": 10}],
            "missing": [], "root_installed_bytes": 700 * 2**20, "closure_installed_bytes": 777 * 2**20,
            "import_seconds": [3.5, 2.25, 2.75],
            "fresh_venv": {"status": "unsupported", "reason": "pip could not fetch torch==9.9.9: no index"}}),
        _record("ecosystem_checks", None, None, {"check": "torch_tensorboard", "claim": "PyTorch writes TensorBoard logs",
                                                 "passed": True, "evidence": {"read_back": [2.5]},
                                                 "versions": {"torch": "9.9.9"}}, config={"check": "torch_tensorboard"}),
    ]
    info = StudyInfo(title="Export", description="d", parameters={"paths": PATHS})
    return made_up_run().model_copy(update={"studies": studies, "study_info": {"export": info}})


def test_export_overview_shows_a_failed_cell_red_with_its_message_escaped() -> None:
    text = export_matrix.export_overview(_run_with_studies())
    failed_row = next(line for line in text.splitlines() if "`tf2onnx.convert.from_keras`" in line)
    assert f'class="{export_matrix.FAILED_CLASS}"' in failed_row
    # The cell says where it failed and links to the message, which sits folded under the detail table.
    anchor = export_matrix.error_anchor("tensorflow", "mlp", "onnx_tf2onnx_keras")
    assert f"[failed at export](#{anchor})" in failed_row
    errors = markdown.markdown(export_matrix.export_errors(_run_with_studies(), "mlp"),
                               extensions=["pymdownx.details", "md_in_html"])
    assert f'id="{anchor}"' in errors and "KeyError" in errors
    assert "&lt;script&gt;" in errors and "<script>" not in errors


def test_a_crashed_task_shows_its_reason_in_every_path_of_that_workload() -> None:
    text = export_matrix.export_overview(_run_with_studies())
    torch_rows = [line for line in text.splitlines() if line.startswith("| PyTorch")]
    assert len(torch_rows) == len(PATHS["torch"])
    assert all("task crashed: child died with signal 9" in row for row in torch_rows)


def test_export_detail_renders_measured_values_from_the_record() -> None:
    text = export_matrix.export_detail(_run_with_studies(), "mlp")
    assert "1.25e-07" in text and "400 KiB" in text and "12.5 ms" in text and "0.375 ms" in text
    assert "yes (batch 3 ran)" in text


def test_footprint_table_shows_measurements_and_an_unsupported_fresh_venv_with_its_reason() -> None:
    text = footprint.footprint_table(_run_with_studies())
    assert "700 MiB" in text and "777 MiB" in text
    assert "first 3.50 s, median 2.75 s" in text
    assert "unsupported: pip could not fetch torch==9.9.9: no index" in text


def test_placeholders_say_not_measured_on_a_run_without_the_studies() -> None:
    placeholders.load_pages()
    run = made_up_run()
    for name in ("export_matrix", "install_footprint", "ecosystem_checks"):
        assert placeholders.PLACEHOLDERS[name](run) == export_matrix.NOT_MEASURED


def test_the_export_placeholder_is_filled_from_the_newest_run_that_has_the_study() -> None:
    placeholders.load_pages()
    with_export, without = _run_with_studies(), made_up_run(run_id="20270101T000000Z-def456")
    assert placeholders.run_for("export_matrix", [with_export, without]) is with_export


def test_checks_table_links_an_anchor_per_check_and_shows_the_verdict() -> None:
    text = ecosystem_checks.checks_table(_run_with_studies())
    assert 'id="check-torch_tensorboard"' in text and "fwbench-icon-ok" in text and "passed" in text


def test_a_failed_check_keeps_its_anchor_for_the_facts_that_link_to_it() -> None:
    run = _run_with_studies()
    failed = _record("ecosystem_checks", None, None, {}, status="crashed", reason="child died with signal 9",
                     config={"check": "tf_serving"})
    run = run.model_copy(update={"studies": [*run.studies, failed]})
    assert ecosystem_checks.executed_checks(run) == {"torch_tensorboard", "tf_serving"}
    assert 'id="check-tf_serving"' in ecosystem_checks.checks_table(run)


def test_facts_table_flags_only_facts_older_than_twelve_months() -> None:
    def fact(fact_id: str, checked: date) -> ecosystem_facts.Fact:
        return ecosystem_facts.Fact(id=fact_id, topic=fact_id, torch="t", tensorflow="f", checked=checked, check="keras_torch_backend",
                    sources=[{"url": "https://example.org/a", "title": "A source"}])

    text = sourced_facts.facts_table([fact("old", date(2024, 1, 1)), fact("new", date(2026, 6, 1))], date(2026, 11, 21),
                                     {"keras_torch_backend"})
    old, new = [line for line in text.splitlines() if line.startswith("| old") or line.startswith("| new")]
    assert "older than 12 months" in old and export_matrix.FAILED_CLASS in old
    assert "older than 12 months" not in new
    assert "A source: `https://example.org/a`" in new and "(#check-keras_torch_backend)" in new
    unexecuted = sourced_facts.facts_table([fact("new", date(2026, 6, 1))], date(2026, 11, 21), set())
    assert "#check-" not in unexecuted and "`keras_torch_backend`: not executed in the run shown" in unexecuted
