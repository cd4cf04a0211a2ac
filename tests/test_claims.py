"""The claims checker on made-up results: each check through each of its verdicts, the registry, the page."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from contract.schema import StudyRecord
from site_scripts import placeholders
from site_scripts.claims.checks import CHECKS
from site_scripts.claims.evaluate import check_all, run_for_check
from site_scripts.claims.registry import TOPICS, ClaimFileError, load_claims
from tests.made_up_memory import made_up_memory_run
from tests.made_up_results import MIB, _comparison, made_up_run
from tests.test_parity_stats import record as parity_record

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "claims.md"


def decide(name, run, **params):
    return CHECKS[name].decide(run, params)


# --- registry -------------------------------------------------------------------------------

def test_every_claim_names_an_existing_check_and_has_a_source():
    claims = load_claims()
    assert len(claims.claims) >= 15
    for claim in claims.claims:
        assert claim.check in CHECKS, claim.id
        source = claims.sources[claim.source]
        assert source.title and source.publisher and source.date, claim.id
    assert {c.topic for c in claims.claims} == set(TOPICS)


def _write(tmp_path, claim_lines: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text("sources:\n  a: {title: T, publisher: P, date: D}\nclaims:\n" + claim_lines, encoding="utf-8")
    return path


def test_a_claim_naming_a_missing_check_fails_to_load(tmp_path):
    path = _write(tmp_path, "  - {id: x, topic: speed, source: a, claim: Something is faster, check: no_such_check}\n")
    with pytest.raises(ClaimFileError, match="unknown check 'no_such_check'"):
        load_claims(path)


def test_a_claim_without_a_source_fails_to_load(tmp_path):
    path = _write(tmp_path, "  - {id: x, topic: speed, claim: Something is faster, check: faster, params: {faster: torch}}\n")
    with pytest.raises(ClaimFileError, match="source"):
        load_claims(path)
    path = _write(tmp_path, "  - {id: x, topic: speed, source: nobody, claim: Something is faster, check: faster, "
                            "params: {faster: torch}}\n")
    with pytest.raises(ClaimFileError, match="unknown source"):
        load_claims(path)


def test_a_claim_with_wrong_params_fails_to_load(tmp_path):
    path = _write(tmp_path, "  - {id: x, topic: speed, source: a, claim: Something is faster, check: faster, params: {}}\n")
    with pytest.raises(ClaimFileError, match="missing params faster"):
        load_claims(path)


# --- speed ----------------------------------------------------------------------------------

def speed_run(*ratios_and_cis):
    """One comparison per (ratio, ci, verdict), PyTorch over TensorFlow, at distinct batches."""
    run = made_up_run()
    run.settings.preset = "full"
    run.rules.reference_run = True
    run.comparisons = [_comparison(100 + i, ratio, ci, verdict, 5) for i, (ratio, ci, verdict) in enumerate(ratios_and_cis)]
    return run


TORCH_FASTER = (0.8, (0.75, 0.85), "numerator_faster")
TF_FASTER = (1.2, (1.1, 1.3), "denominator_faster")
TIE = (1.0, (0.95, 1.05), "tie")
NO_DATA = (None, None, "insufficient_data")


@pytest.mark.parametrize(("comparisons", "claimed", "status"), [
    ((TORCH_FASTER, TORCH_FASTER), "torch", "supported"),
    ((TORCH_FASTER,), "tensorflow", "contradicted"),
    ((TF_FASTER, TIE), "torch", "contradicted"),
    ((TORCH_FASTER, TF_FASTER), "torch", "mixed"),
    ((TORCH_FASTER, TIE), "torch", "mixed"),
    ((TIE, TIE), "torch", "inconclusive"),
    ((NO_DATA,), "torch", "not_measured"),
])
def test_faster_needs_the_interval_to_exclude_parity(comparisons, claimed, status):
    verdict = decide("faster", speed_run(*comparisons), faster=claimed)
    assert verdict.status == status
    assert all(row.link == "performance.md#perf-mlp" for row in verdict.rows)


def test_faster_inverts_the_ratio_for_tensorflow_and_shows_the_interval():
    verdict = decide("faster", speed_run(TF_FASTER), faster="tensorflow")
    assert verdict.status == "supported"
    assert "0.833 [0.769, 0.909]" in verdict.rows[0].measured


def test_faster_without_a_run_is_not_measured_or_needs_a_gpu():
    assert decide("faster", None, faster="torch").status == "not_measured"
    assert decide("faster", None, faster="torch", device="cuda").status == "not_testable"


def test_a_cuda_claim_is_not_decided_by_a_cpu_run():
    claim = next(c for c in load_claims().claims if c.params.get("device") == "cuda")
    assert run_for_check(claim, [speed_run(TORCH_FASTER)]) is None


# --- memory ---------------------------------------------------------------------------------

def memory_run(peaks: dict[tuple[str, int], float]):
    """The made-up memory run with peak (and phase) levels set per (framework, batch) in MiB."""
    run = made_up_memory_run()
    run.settings.preset = "memory"
    run.rules.timing_run, run.rules.reference_run = False, True
    for case in run.cases:
        key = (case.framework, int(case.config["batch_size"]))
        for sample in case.samples:
            if sample.status == "ok" and key in peaks:
                level = int(peaks[key] * MIB)
                sample.peak_host_rss_bytes = level
                sample.memory_phases = {"harness": 40 * MIB, "import": 300 * MIB, "build": level // 2, "steady": level}
    return run


@pytest.mark.parametrize(("peaks", "status"), [
    ({("tensorflow", 128): 500, ("torch", 128): 1000, ("tensorflow", 256): 500, ("torch", 256): 1000}, "supported"),
    ({("tensorflow", 128): 1000, ("torch", 128): 500, ("tensorflow", 256): 1000, ("torch", 256): 500}, "contradicted"),
    ({("tensorflow", 128): 500, ("torch", 128): 1000, ("tensorflow", 256): 1000, ("torch", 256): 500}, "mixed"),
    ({("tensorflow", 128): 1000, ("torch", 128): 1010, ("tensorflow", 256): 1000, ("torch", 256): 990}, "inconclusive"),
])
def test_lower_memory_counts_differences_beyond_the_threshold(peaks, status):
    for level in ("peak", "steady", "build"):
        verdict = decide("lower_memory", memory_run(peaks), lower="tensorflow", level=level)
        assert verdict.status == status, level
    assert verdict.rows[0].link == "memory.md#memory-mlp"


def test_lower_memory_without_a_memory_run_is_not_measured():
    assert decide("lower_memory", None, lower="tensorflow", level="peak").status == "not_measured"
    claim = next(c for c in load_claims().claims if c.check == "lower_memory")
    assert run_for_check(claim, [speed_run(TORCH_FASTER)]) is None


def precision_run(ratios: dict[str, float]):
    """Each framework at batch 128 in fp32 and bf16; bf16 peak = fp32 peak × ratio[framework]."""
    run = memory_run({})
    extra = []
    for case in [c for c in run.cases if c.config["batch_size"] == 128]:
        mixed = case.model_copy(deep=True)
        mixed.config["precision"] = "bf16"
        mixed.case_id += "/bf16"
        for sample in mixed.samples:
            sample.peak_host_rss_bytes = int(sample.peak_host_rss_bytes * ratios[case.framework])
        extra.append(mixed)
    run.cases += extra
    return run


@pytest.mark.parametrize(("ratios", "status"), [
    ({"torch": 0.6, "tensorflow": 0.7}, "supported"),
    ({"torch": 1.5, "tensorflow": 1.3}, "contradicted"),
    ({"torch": 0.6, "tensorflow": 1.3}, "mixed"),
    ({"torch": 1.0, "tensorflow": 0.98}, "inconclusive"),
])
def test_mixed_precision_memory_verdicts(ratios, status):
    assert decide("mixed_precision_memory", precision_run(ratios)).status == status


def test_mixed_precision_memory_without_bf16_cases_is_not_measured():
    claim = next(c for c in load_claims().claims if c.check == "mixed_precision_memory")
    assert run_for_check(claim, [memory_run({})]) is None
    assert decide("mixed_precision_memory", None).status == "not_measured"


# --- accuracy -------------------------------------------------------------------------------

def parity_run(gaps: dict[str, float], seeds: int = 5):
    run = made_up_run()
    run.studies = []
    for workload, gap in gaps.items():
        for seed in range(seeds):
            for framework in ("torch", "tensorflow"):
                noise = 0.004 * ((seed * 7 + (framework == "torch")) % 3)
                record = parity_record(framework, seed, [0.5, 0.9 + noise - (gap if framework == "tensorflow" else 0)])
                record.workload = workload
                record.record_id = record.record_id.replace("/mlp/", f"/{workload}/")
                run.studies.append(record)
    return run


@pytest.mark.parametrize(("gaps", "seeds", "status"), [
    ({"mlp": 0.0}, 5, "supported"),
    ({"mlp": 0.05}, 5, "contradicted"),
    ({"mlp": 0.0, "resnet": 0.05}, 5, "mixed"),
    ({"mlp": 0.0}, 1, "not_measured"),
])
def test_accuracy_parity_verdicts(gaps, seeds, status):
    verdict = decide("accuracy_parity", parity_run(gaps, seeds))
    assert verdict.status == status
    assert verdict.rows[0].link == "accuracy.md#accuracy-mlp"


def test_accuracy_parity_without_records_is_not_measured():
    assert decide("accuracy_parity", None).status == "not_measured"


# --- studies: retracing, export, executed facts ---------------------------------------------

def study_record(study, framework=None, workload=None, config=None, data=None, status="ok"):
    return StudyRecord(study=study, record_id=f"{study}/{framework}/{workload}/{config}", framework=framework,
                       workload=workload, device="cpu", config=config or {}, status=status, started_utc=NOW,
                       wall_seconds=1.0, data=data or {})


def retracing_run(tf_traces: int, torch_graphs: int):
    run = made_up_run()
    sizes = [16, 24, 32, 16, 24, 32]
    scenario = lambda name, traces: {"framework_version": "9.9", "features": 64, "hidden_units": 128,
                                     "scenario": {"scenario": name, "api": name, "batch_sizes": sizes, "traces": traces,
                                                  "graph_breaks": 0, "call_seconds": [0.1] * 6, "first_call_seconds": 0.1,
                                                  "total_seconds": 0.6, "steady_call_seconds": 0.1}}
    run.studies = [study_record("retracing", "tensorflow", config={"scenario": "function_default"},
                                data=scenario("function_default", tf_traces)),
                   study_record("retracing", "torch", config={"scenario": "compile_default"},
                                data=scenario("compile_default", torch_graphs)),
                   study_record("retracing", "torch", config={"scenario": "eager"}, data=scenario("eager", 0))]
    return run


@pytest.mark.parametrize(("tf_traces", "torch_graphs", "status"), [
    (3, 1, "supported"), (1, 2, "contradicted"), (3, 2, "mixed")])
def test_retracing_verdicts(tf_traces, torch_graphs, status):
    assert decide("retracing", retracing_run(tf_traces, torch_graphs)).status == status


def test_retracing_missing_or_failed_is_not_measured():
    assert decide("retracing", None).status == "not_measured"
    run = retracing_run(3, 1)
    run.studies[1] = study_record("retracing", "torch", config={"scenario": "compile_default"}, status="crashed")
    assert decide("retracing", run).status == "not_measured"


def cell(path_id, ok):
    return {"path_id": path_id, "title": path_id, "runtime": "r", "status": "ok" if ok else "failed",
            "failed_stage": None if ok else "export", "error_type": None if ok else "RuntimeError"}


def export_run(outcomes: dict[str, dict[str, bool]]):
    """workload -> {path_id: ok}; torch paths go to the torch record, the rest to TensorFlow's."""
    run = made_up_run()
    run.studies = []
    for workload, paths in outcomes.items():
        for framework, ids in (("torch", ("torch_export", "torchscript")), ("tensorflow", ("tflite",))):
            cells = [cell(p, ok) for p, ok in paths.items() if p in ids]
            data = {"framework_version": "9.9", "export_batch": 8, "other_batch": 3, "input_shape": [8, 4],
                    "input_dtype": "float32", "reference_latency_seconds_median": 0.001, "threads": 2, "cells": cells}
            run.studies.append(study_record("export", framework, workload, data=data))
    return run


@pytest.mark.parametrize(("outcomes", "status"), [
    ({"mlp": {"tflite": True, "torch_export": False}}, "supported"),
    ({"mlp": {"tflite": False, "torch_export": True}}, "contradicted"),
    ({"mlp": {"tflite": True, "torch_export": True}}, "contradicted"),
    ({"mlp": {"tflite": True, "torch_export": False}, "lstm": {"tflite": False, "torch_export": True}}, "mixed"),
    ({"mlp": {"tflite": False, "torch_export": False}}, "inconclusive"),
])
def test_mobile_export_verdicts(outcomes, status):
    verdict = decide("mobile_export", export_run(outcomes))
    assert verdict.status == status
    assert verdict.link == "ecosystem.md#export-matrix"


@pytest.mark.parametrize(("outcomes", "status"), [
    ({"mlp": {"torch_export": False, "torchscript": False}}, "supported"),
    ({"mlp": {"torch_export": True, "torchscript": False}}, "contradicted"),
    ({"mlp": {"torch_export": False, "torchscript": False}, "lstm": {"torch_export": True, "torchscript": True}}, "mixed"),
])
def test_own_export_verdicts(outcomes, status):
    assert decide("own_export", export_run(outcomes)).status == status


def test_export_checks_without_records_are_not_measured():
    assert decide("mobile_export", None).status == "not_measured"
    assert decide("own_export", None).status == "not_measured"


def fact_run(passed: bool | None, status="ok"):
    run = made_up_run()
    data = {} if passed is None else {"check": "torch_tensorboard", "claim": "PyTorch writes TensorBoard logs",
                                      "passed": passed, "evidence": {"scalars": 3}, "versions": {"torch": "9.9"}}
    run.studies = [study_record("ecosystem_checks", config={"check": "torch_tensorboard"}, data=data, status=status)]
    return run


@pytest.mark.parametrize(("passed", "holds_if_passed", "status"), [
    (True, False, "contradicted"), (False, False, "supported"), (True, True, "supported")])
def test_executed_fact_verdicts(passed, holds_if_passed, status):
    assert decide("executed_fact", fact_run(passed), check="torch_tensorboard",
                  claim_holds_if_passed=holds_if_passed).status == status


def test_executed_fact_missing_or_crashed_is_not_measured():
    params = {"check": "torch_tensorboard", "claim_holds_if_passed": False}
    assert CHECKS["executed_fact"].decide(None, params).status == "not_measured"
    assert CHECKS["executed_fact"].decide(fact_run(None, status="crashed"), params).status == "not_measured"
    assert CHECKS["executed_fact"].decide(made_up_run(), params).status == "not_measured"


def test_untestable_claims_say_why():
    verdict = decide("needs_hardware", made_up_run(), hardware="tpu")
    assert verdict.status == "not_testable" and "TPU" in verdict.summary and "Made-Up CPU" in verdict.summary
    verdict = decide("not_a_measurement", None, reason="Not a number.", link="ecosystem.md#facts")
    assert (verdict.status, verdict.link) == ("not_testable", "ecosystem.md#facts")


# --- several runs, and the page -------------------------------------------------------------

def test_each_claim_takes_its_evidence_from_the_newest_run_that_has_it():
    speed = speed_run(TORCH_FASTER)
    memory = memory_run({("tensorflow", 128): 500, ("torch", 128): 1000})
    memory.run_id = "20260301T000000Z-mem001"
    checked = {item.claim.id: item for item in check_all(load_claims(), [speed, memory])}
    assert checked["training-time-averages"].run is speed
    assert checked["training-memory-vast"].run is memory
    assert checked["equal-accuracy"].run is memory  # the made-up memory run also holds parity records
    assert checked["recompilation-on-change"].verdict.status == "not_measured"


def test_the_page_renders_every_claim_with_its_anchor_badge_and_source():
    speed = speed_run(TORCH_FASTER, TIE)
    memory = memory_run({("tensorflow", 128): 500, ("torch", 128): 1000})
    page = placeholders.fill_placeholders(DOCS.read_text(encoding="utf-8"), [speed, memory, parity_run({"mlp": 0.0})],
                             page="claims.md")
    assert "{{" not in page
    claims = load_claims()
    for claim in claims.claims:
        assert f"{{#{claim.anchor}}}" in page and f"](#{claim.anchor})" in page
    assert 'class="claim-verdict claim-mixed"' in page and "claim-not_testable" in page
    assert "MLPerf Training publishes time-to-train per submitted system" in page
    assert "Made-Up CPU 9000" in page and speed.run_id in page and memory.run_id in page
    assert "performance.md#perf-mlp" in page and "memory.md#memory-mlp" in page
