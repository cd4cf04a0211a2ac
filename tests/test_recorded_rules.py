"""A run is described by the rules it recorded, never by today's constants (version 4 and its upgrade)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract import code_identity
from contract.files import complete_runs, load_run
from site_scripts.analysis import selection
from site_scripts.chrome import run_selector
from site_scripts.tables import comparison_rules
from site_scripts.text import labels
from tests.made_up_results import made_up_run, made_up_suite_run

RESULTS = Path(__file__).resolve().parents[1] / "results"


@pytest.mark.parametrize("path", complete_runs(RESULTS), ids=lambda p: p.name)
def test_every_committed_run_upgrades_to_the_rules_its_code_applied(path):
    run = load_run(path)
    written_at = json.loads(path.read_text(encoding="utf-8"))["schema_version"]
    if written_at >= 4:  # recorded its rules itself: loading keeps them as written, nothing is upgraded
        assert run.rules.model_dump(mode="json") == json.loads(path.read_text(encoding="utf-8"))["rules"]
        return
    assert run.rules.min_pairs_for_verdict == 5 and run.rules.confidence_level == 0.95
    assert run.rules.default_modes == {"torch": ["eager"], "tensorflow": ["function"]}
    assert run.rules.timing_run == (run.settings.preset != "memory" and bool(run.cases))
    for comparison in run.comparisons:
        assert comparison.min_pairs == 5
        for numerator in (True, False):
            case = selection.side_case(run, comparison, numerator)
            mode = comparison.numerator_mode if numerator else comparison.denominator_mode
            if case is None:  # every case of that side failed
                framework = comparison.numerator if numerator else comparison.denominator
                assert all(c.summary is None for c in run.cases if c.framework == framework
                           and c.workload == comparison.workload and c.shared_config == comparison.config)
                continue
            # The version-3 rule: the side's fastest case (layout) in the mode the comparison recorded.
            assert case.config.get("mode") == mode and case.shared_config == comparison.config
            rivals = [c for c in run.cases if c.framework == case.framework and c.workload == case.workload
                      and c.shared_config == case.shared_config and c.config.get("mode") == mode and c.summary]
            assert case.summary.step_seconds_median == min(c.summary.step_seconds_median for c in rivals)


def test_the_methodology_page_states_the_runs_own_rules():
    run = made_up_suite_run()
    run.rules.min_pairs_for_verdict = 7
    run.rules.fingerprint_tolerance = {"fp32": 0.25}
    run.rules.confidence_level = 0.9
    text = comparison_rules.comparison_rules(run)
    assert "at least 7 process pairs" in text and "0.25 in fp32" in text and "90%" in text


def test_a_verdict_names_the_minimum_pairs_its_comparison_recorded():
    run = made_up_run()
    comparison = run.comparisons[0].model_copy(update={"verdict": "insufficient_data", "n_pairs": 3, "min_pairs": 8})
    assert labels.verdict_words(comparison) == "insufficient data (3 pairs < 8)"


def test_the_reference_run_and_the_timing_run_are_what_the_run_recorded():
    quick, memory = made_up_run(run_id="20260101T000000Z-aaaaaa"), made_up_run(run_id="20260102T000000Z-bbbbbb")
    memory.settings.preset = "quick"  # the preset's name decides nothing: its recorded rules do
    memory.rules.reference_run, memory.rules.timing_run = True, False
    assert run_selector.default_run([memory, quick]) is memory
    assert not memory.is_timing_run and quick.is_timing_run


def test_a_side_is_the_case_the_comparison_recorded_not_the_fastest_found_again():
    run = made_up_run()
    comparison = run.comparisons[0]
    slower = next(c for c in run.cases if c.case_id == comparison.numerator_case_id)
    assert selection.side_case(run, comparison, True) is slower
    comparison.numerator_case_id = None
    assert selection.side_case(run, comparison, True) is None


def test_a_case_code_hash_covers_the_harness_its_runtime_and_its_workload_and_no_study():
    files = {"benchmarks/harness/timing_child.py": "a", "benchmarks/frameworks/torch_runtime.py": "b",
             "benchmarks/frameworks/tensorflow_runtime.py": "c", "benchmarks/workloads/mlp/__init__.py": "d",
             "benchmarks/workloads/lstm/__init__.py": "e", "benchmarks/studies/export/cells.py": "f",
             "contract/stats.py": "g"}
    paths = code_identity.case_paths("torch", "benchmarks/workloads/mlp")
    before = code_identity.code_hash(files, paths)
    for unrelated in ("benchmarks/frameworks/tensorflow_runtime.py", "benchmarks/workloads/lstm/__init__.py",
                      "benchmarks/studies/export/cells.py", "contract/stats.py"):
        assert code_identity.code_hash({**files, unrelated: "changed"}, paths) == before, unrelated
    for related in ("benchmarks/harness/timing_child.py", "benchmarks/frameworks/torch_runtime.py",
                    "benchmarks/workloads/mlp/__init__.py"):
        assert code_identity.code_hash({**files, related: "changed"}, paths) != before, related
    assert code_identity.differing_files(files, {**files, "benchmarks/harness/timing_child.py": "x"}, paths) == [
        "benchmarks/harness/timing_child.py"]


def test_a_git_blob_id_is_gits_own():
    # `printf 'hello\n' | git hash-object --stdin`
    assert code_identity.git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_a_new_run_records_its_rules_preset_code_and_export_paths(tmp_path):
    from benchmarks.harness import run_plan, run_request
    from benchmarks.presets import PRESETS

    run = run_plan.start_run(run_request.RunRequest(
        preset="memory", workloads=["mlp"], frameworks=["torch", "tensorflow"], device="cpu", out_dir=tmp_path,
        command="test", studies=["export"], calibrate=False))
    assert run.rules.timing_run is False and run.rules.reference_run is True  # the memory preset's purpose
    assert run.settings.preset_definition.processes_per_case == PRESETS["memory"].processes_per_case
    assert run.workloads["mlp"].source_dir == "benchmarks/workloads/mlp"
    assert run.provenance.code_files["benchmarks/harness/timing_child.py"]
    hashes = {c.framework: c.code_hash for c in run.cases}
    assert set(hashes) == {"torch", "tensorflow"} and hashes["torch"] != hashes["tensorflow"]
    assert set(run.study_info["export"].parameters["paths"]) == {"torch", "tensorflow"}


def test_a_study_payload_that_does_not_match_its_model_is_refused_on_load(tmp_path):
    import json

    from contract.files import ResultFileError, dump_run
    from contract.schema import StudyRecord

    run = made_up_run()
    run.studies = [StudyRecord(study="retracing", record_id="retracing/torch/any/scenario=eager", framework="torch",
                               device="cpu", status="ok", started_utc=run.started_utc, wall_seconds=1.0,
                               data={"framework_version": "9.9"})]
    path = tmp_path / f"{run.run_id}.json"
    path.write_text(json.dumps(json.loads(run.model_dump_json())))
    with pytest.raises(ResultFileError, match=r"studies\.0 \(retracing/torch/any/scenario=eager\).*RetracingData"):
        load_run(path)
    run.studies[0].status = "crashed"  # a failed task has no payload to check
    dump_run(run, path, overwrite=True)
    assert load_run(path).studies[0].status == "crashed"
