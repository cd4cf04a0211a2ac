"""The claims checker on made-up results: the verdict table, each check through its verdicts, the scope
filters, the evidence selection the pages share, the registry against the seed articles, and the page.

Fixtures are built so that a broken check changes a verdict: the median and the interval disagree,
each filter excludes exactly one opposing row, the memory levels and measures disagree, a preferred
memory layout differs from the other, and an old release's run is the newest by date.
"""

from __future__ import annotations

import itertools
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from contract.schema import StudyRecord
from site_scripts import placeholders
from site_scripts.chrome import run_selector
from site_scripts.claims import checks, verdicts
from site_scripts.claims.checks import CHECKS, Context, equivalence_test, preferred_layouts
from site_scripts.claims.evaluate import check_all, docs_markdown, select_evidence
from site_scripts.claims.registry import (
    NOT_STATED,
    TOPICS,
    Claim,
    ClaimFileError,
    age_text,
    load_claims,
    render_dates,
)
from site_scripts.claims.verdicts import AGAINST, FOR, NEITHER, OUT_OF_SCOPE, UNDECIDED, EvidenceRow, aggregate
from tests.made_up_memory import made_up_memory_run
from tests.made_up_results import MIB, _comparison, made_up_run
from tests.test_parity_stats import record as parity_record

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
BUILD = date(2026, 12, 2)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "claims.md"
SEEDS = next((p for p in (Path(os.environ.get("FWBENCH_SEEDS", "/nonexistent")),
                          Path(__file__).resolve().parents[2] / "shared" / "seeds", Path("/work/shared/seeds"))
              if p.is_dir()), None)


def claim(check_name: str, scope: dict | None = None, kind: str = "difference", **params) -> Claim:
    return Claim(id="made-up", topic="speed", kind=kind, claim="A made-up claim for a test.",
                 appears_in=[{"article": "a", "lines": [1], "quote": "made up"}],
                 scope={"device": "any", **(scope or {})}, check=check_name, params=params)


def decide(check_name, run, scope=None, kind="difference", ctx=None, **params):
    return CHECKS[check_name].decide(run, claim(check_name, scope, kind, **params),
                                     ctx or Context((run,) if run else (), BUILD))


def counted(verdict):
    return [r.outcome for r in verdict.rows if r.outcome != OUT_OF_SCOPE]


# --- the verdict table ----------------------------------------------------------------------

COUNTABLE = (FOR, AGAINST, NEITHER)
MIRROR = {"supported": "contradicted", "contradicted": "supported", "partly_supported": "partly_contradicted",
          "partly_contradicted": "partly_supported", "mixed": "mixed", "inconclusive": "inconclusive",
          "no_difference_detected": "no_difference_detected", "not_measured": "not_measured"}


def rows_of(*outcomes):
    return [EvidenceRow(f"r{i}", "m", outcome) for i, outcome in enumerate(outcomes)]


def subsets():
    return [s for n in range(len(COUNTABLE) + 1) for s in itertools.combinations(COUNTABLE, n)]


@pytest.mark.parametrize("kind", verdicts.KINDS)
def test_exactly_one_rule_matches_every_set_of_outcomes(kind):
    for outcomes in subsets():
        matching = [r for r in verdicts.RULES if kind in r.kinds and r.matches(frozenset(outcomes))]
        assert len(matching) == 1, (kind, outcomes, [r.status for r in matching])


@pytest.mark.parametrize("kind", verdicts.KINDS)
def test_the_rules_are_symmetric_for_and_against(kind):
    swap = {FOR: AGAINST, AGAINST: FOR, NEITHER: NEITHER}
    for outcomes in subsets():
        mirrored = [swap[o] for o in outcomes]
        assert aggregate(rows_of(*mirrored), kind) == MIRROR[aggregate(rows_of(*outcomes), kind)], outcomes


@pytest.mark.parametrize(("outcomes", "kind", "status"), [
    ((FOR, FOR), "difference", "supported"),
    ((AGAINST,), "difference", "contradicted"),
    ((FOR, AGAINST, NEITHER), "difference", "mixed"),
    ((FOR, NEITHER), "difference", "partly_supported"),
    ((AGAINST, NEITHER), "difference", "partly_contradicted"),
    ((NEITHER, NEITHER), "difference", "inconclusive"),
    ((NEITHER,), "equality", "no_difference_detected"),
    ((UNDECIDED, UNDECIDED), "difference", "not_measured"),
    ((FOR, OUT_OF_SCOPE, AGAINST), "difference", "mixed"),
    ((FOR, OUT_OF_SCOPE, OUT_OF_SCOPE), "difference", "supported"),
    ((OUT_OF_SCOPE,), "difference", "not_measured"),
])
def test_aggregate_follows_the_table_and_never_counts_out_of_scope_rows(outcomes, kind, status):
    assert aggregate(rows_of(*outcomes), kind) == status


def test_the_legend_is_the_table():
    words = dict(verdicts.legend_rows())
    for rule in verdicts.RULES:
        assert words[verdicts.STATUS_WORDS[rule.status]] == rule.rows_text
    assert words["not testable here"] == verdicts.WITHOUT_ROWS["not_testable"]
    assert verdicts.STATUS_WORDS["no_difference_detected"] == "no difference detected (not proof of equality)"
    assert "contradicted" in words and "every counted row is against the claim" == words["contradicted"]


# --- speed ----------------------------------------------------------------------------------

def speed_run(*specs, run_id="20260101T000000Z-abc123", reference=True):
    """One comparison per spec (ratio, ci, verdict[, config overrides[, workload[, device]]]), PyTorch over TF."""
    run = made_up_run(run_id=run_id)
    run.settings.preset = "full" if reference else "quick"
    run.rules.reference_run = reference
    comparisons = []
    for i, spec in enumerate(specs):
        ratio, ci, verdict, *rest = spec
        c = _comparison(100 + i, ratio, ci, verdict, 5)
        overrides = rest[0] if rest else {}
        c.config.update({"task": "train", "precision": "fp32", **overrides})
        if len(rest) > 1:
            c.workload = rest[1]
        if len(rest) > 2:
            c.device = rest[2]
        comparisons.append(c)
    run.comparisons = comparisons
    return run


TORCH_FASTER = (0.8, (0.75, 0.85), "numerator_faster")
TF_FASTER = (1.2, (1.1, 1.3), "denominator_faster")
TIE = (1.0, (0.95, 1.05), "tie")
NO_DATA = (None, None, "insufficient_data")


@pytest.mark.parametrize(("comparisons", "claimed", "status"), [
    ((TORCH_FASTER, TORCH_FASTER), "torch", "supported"),
    ((TORCH_FASTER,), "tensorflow", "contradicted"),
    ((TF_FASTER, TIE), "torch", "partly_contradicted"),
    ((TORCH_FASTER, TIE), "torch", "partly_supported"),
    ((TORCH_FASTER, TF_FASTER), "torch", "mixed"),
    ((TIE, TIE), "torch", "inconclusive"),
    ((NO_DATA,), "torch", "not_measured"),
])
def test_faster_verdicts(comparisons, claimed, status):
    verdict = decide("faster", speed_run(*comparisons), faster=claimed)
    assert verdict.status == status
    assert all(row.link == "performance.md#perf-mlp" for row in verdict.rows)


@pytest.mark.parametrize(("spec", "outcome"), [
    ((0.8, (0.7, 1.1), "tie"), NEITHER),  # the median says faster; the interval contains 1
    ((0.97, (0.95, 0.99), "numerator_faster"), FOR),  # close to 1, but the whole interval is below it
    ((1.2, (0.98, 1.4), "tie"), NEITHER),
])
def test_a_row_follows_the_interval_not_the_median(spec, outcome):
    verdict = decide("faster", speed_run(spec), faster="torch")
    assert counted(verdict) == [outcome]


def test_faster_inverts_the_ratio_for_tensorflow_and_shows_the_interval():
    verdict = decide("faster", speed_run(TF_FASTER), faster="tensorflow")
    assert verdict.status == "supported"
    assert "0.833 [0.769, 0.909]" in verdict.rows[0].measured


def test_disagreeing_fingerprints_and_unknown_verdicts_are_undecided():
    against_if_counted = (1.5, (1.4, 1.6), "fingerprints_disagree")
    verdict = decide("faster", speed_run(TORCH_FASTER, against_if_counted), faster="torch")
    assert verdict.status == "supported" and counted(verdict) == [FOR, UNDECIDED]
    assert "different losses" in verdict.rows[1].note
    run = speed_run(TORCH_FASTER, TF_FASTER)
    run.comparisons[1] = run.comparisons[1].model_copy(update={"verdict": "insufficient_quiet_pairs"})
    verdict = decide("faster", run, faster="torch")
    assert verdict.status == "supported" and "'insufficient_quiet_pairs' is not one this check" in verdict.rows[1].note
    # A run judged with a practical-equivalence margin: an interval inside it counts for neither side, as on its page.
    run = speed_run(TORCH_FASTER, (0.97, (0.96, 0.98), "practically_equal"))
    for c in run.comparisons:
        c.equivalence_margin = 0.05
    verdict = decide("faster", run, faster="torch")
    assert counted(verdict) == [FOR, NEITHER] and "practically equal" in verdict.rows[1].note


# Each filter alone keeps one TensorFlow-faster row out: drop the filter and the verdict changes.
FILTERED = [
    ("task", {"task": "train"}, (*TF_FASTER, {"task": "infer"})),
    ("precision", {"precision": "fp32"}, (*TF_FASTER, {"precision": "bf16"})),
    ("workloads", {"workloads": ["mlp"]}, (*TF_FASTER, {}, "lstm")),
    ("device", {"device": "cpu"}, (*TF_FASTER, {}, "mlp", "cuda")),
    ("batch", {"task": "infer", "batch": 1}, (*TF_FASTER, {"task": "infer", "batch_size": 64})),
    ("sizes", {"workloads": ["mlp"], "sizes": {"mlp": {"hidden_units": 256}}}, (*TF_FASTER, {"hidden_units": 1024})),
]


@pytest.mark.parametrize(("name", "scope", "excluded"), FILTERED, ids=[f[0] for f in FILTERED])
def test_each_scope_filter_keeps_out_the_rows_it_should(name, scope, excluded):
    inside = (*TORCH_FASTER, {"task": scope.get("task", "train"), "batch_size": scope.get("batch", 128)})
    verdict = decide("faster", speed_run(inside, excluded), scope=scope, faster="torch")
    assert verdict.status == "supported", name
    assert counted(verdict) == [FOR]
    assert decide("faster", speed_run(inside, excluded), faster="torch").status == "mixed"  # unfiltered


def test_a_gpu_claim_on_cpu_runs_is_not_testable_and_shows_labelled_cpu_rows():
    run = speed_run(TORCH_FASTER, TF_FASTER)
    verdict = decide("faster", run, scope={"device": "cuda"}, faster="torch")
    assert verdict.status == "not_testable" and "NVIDIA GPU" in verdict.summary
    assert [r.outcome for r in verdict.rows] == [OUT_OF_SCOPE, OUT_OF_SCOPE]
    assert all("out of scope: CPU evidence for an NVIDIA GPU claim" in r.label for r in verdict.rows)


def test_a_gpu_claim_is_decided_by_the_gpu_rows_alone():
    run = speed_run((*TF_FASTER, {}, "mlp", "cpu"), (*TORCH_FASTER, {}, "mlp", "cuda"))
    verdict = decide("faster", run, scope={"device": "cuda"}, faster="torch")
    assert verdict.status == "supported" and len(verdict.rows) == 1


def test_a_named_model_size_the_runs_lack_is_not_measured_with_labelled_rows():
    run = speed_run(TORCH_FASTER)
    verdict = decide("faster", run, scope={"device": "cpu", "workloads": ["mlp"], "sizes": {"mlp": {"hidden_units": 4096}},
                                          "sizes_text": {"mlp": "a 4096-wide MLP"}}, faster="torch")
    assert verdict.status == "not_measured"
    assert "not a 4096-wide MLP" in verdict.rows[0].label and verdict.rows[0].outcome == OUT_OF_SCOPE


@pytest.mark.parametrize(("spec", "status"), [
    ((1.02, (0.97, 1.06), "tie"), "supported"),  # inside [1/1.1, 1.1]: equivalent
    ((1.0, (0.8, 1.25), "tie"), "no_difference_detected"),  # contains 1, too wide: not proof of equality
    ((1.4, (1.3, 1.5), "denominator_faster"), "contradicted"),
    ((1.05, (1.02, 1.08), "denominator_faster"), "supported"),  # a difference, but inside the margin
])
def test_comparable_speed_is_an_equivalence_test(spec, status):
    assert decide("comparable_speed", speed_run(spec), kind="equality", margin=0.10).status == status


# --- evidence selection (the pages' rule) ---------------------------------------------------

def versioned(run, tf_version):
    run.provenance.packages["tensorflow"] = tf_version
    for case in run.cases:
        for sample in case.samples:
            if case.framework == "tensorflow":
                sample.framework_version = tf_version
    return run


def test_a_claim_is_decided_on_the_run_its_page_shows_not_the_newest_by_date():
    reference = versioned(speed_run(TORCH_FASTER, run_id="20260101T000000Z-ref221"), "2.21.0")
    old_release = versioned(speed_run(TF_FASTER, run_id="20260201T000000Z-rel220"), "2.20.0")
    old_release.started_utc = reference.started_utc + timedelta(days=30)
    runs = [reference, old_release]
    eligible, default = run_selector.page_runs(docs_markdown("performance.md"), runs)
    assert default is reference and old_release in eligible
    checked = {i.claim.id: i for i in check_all(load_claims(), runs, BUILD)}
    item = checked["tensorflow-lags-in-speed"]
    assert item.run is reference and item.evidence.is_default and item.evidence.page == "performance.md"
    assert item.verdict.status == "supported"


def test_a_claim_the_default_run_cannot_decide_names_its_run_and_links_to_its_page():
    reference = speed_run(TORCH_FASTER, run_id="20260101T000000Z-ref001")  # training only
    quick = speed_run((*TORCH_FASTER, {"task": "infer", "batch_size": 1}), run_id="20260301T000000Z-qck001",
                      reference=False)
    checked = {i.claim.id: i for i in check_all(load_claims(), [reference, quick], BUILD)}
    item = checked["lower-overhead"]
    assert item.evidence.default is reference and item.run is quick and not item.evidence.is_default
    assert item.evidence.page == "performance--20260301T000000Z-qck001.md"
    assert all(r.link.startswith("performance--20260301T000000Z-qck001.md#") for r in item.verdict.rows)
    assert item.verdict.link.startswith("performance--20260301T000000Z-qck001.md")
    assert "ref001" in item.evidence.why_not_default
    assert checked["tensorflow-lags-in-speed"].run is reference


def test_select_evidence_without_any_run_for_the_page():
    item = select_evidence(load_claims().claim("equal-accuracy"), [speed_run(TORCH_FASTER)])
    assert item.run is None and item.page == "accuracy.md"


# --- memory ---------------------------------------------------------------------------------

def memory_run(levels: dict[tuple[str, int], dict[str, float]]):
    """The made-up memory run with levels (MiB) per (framework, batch): import, build, steady, peak."""
    run = made_up_memory_run()
    run.settings.preset = "memory"
    run.rules.timing_run, run.rules.reference_run = False, True
    for case in run.cases:
        key = (case.framework, int(case.config["batch_size"]))
        for sample in case.samples:
            if sample.status == "ok" and key in levels:
                mib = {k: int(v * MIB) for k, v in levels[key].items()}
                sample.peak_host_rss_bytes = mib["peak"]
                sample.memory_phases = {"harness": 40 * MIB, "import": mib["import"], "build": mib["build"],
                                        "steady": mib["steady"]}
    return run


def both(torch: dict, tensorflow: dict, batches=(128, 256, 4096)):  # TensorFlow failed at 4096: that pair is undecided
    return {(fw, b): levels for b in batches for fw, levels in (("torch", torch), ("tensorflow", tensorflow))}


LOW_TF_STEADY_HIGH_TF_PEAK = both({"import": 200, "build": 300, "steady": 1000, "peak": 1000},
                                  {"import": 200, "build": 300, "steady": 500, "peak": 1500})
HIGH_TF_BASELINE = both({"import": 200, "build": 300, "steady": 1000, "peak": 1000},
                        {"import": 800, "build": 900, "steady": 1200, "peak": 1200})


@pytest.mark.parametrize(("levels", "level", "measure", "status"), [
    (LOW_TF_STEADY_HIGH_TF_PEAK, "steady", "total", "supported"),
    (LOW_TF_STEADY_HIGH_TF_PEAK, "peak", "total", "contradicted"),
    (HIGH_TF_BASELINE, "steady", "total", "contradicted"),
    (HIGH_TF_BASELINE, "steady", "increment", "supported"),
    (both({"import": 200, "build": 300, "steady": 1000, "peak": 1000},
          {"import": 200, "build": 300, "steady": 990, "peak": 990}), "steady", "total", "inconclusive"),
])
def test_lower_memory_decides_on_the_level_and_measure_the_claim_means(levels, level, measure, status):
    verdict = decide("lower_memory", memory_run(levels), lower="tensorflow", level=level, measure=measure)
    assert verdict.status == status
    assert verdict.rows[0].link == "memory.md#memory-mlp"
    assert "+" in verdict.rows[0].measured and "=" in verdict.rows[0].measured  # baseline + increment = total


def test_lower_memory_shows_the_other_measure_without_counting_it():
    verdict = decide("lower_memory", memory_run(HIGH_TF_BASELINE), lower="tensorflow", level="steady", measure="total")
    assert "By the training increment above the import baseline instead (shown, not deciding): TensorFlow lower" \
        in verdict.summary


def layout_run():
    """ResNet next to the MLP: torch's preferred layout (most cases) uses less memory than the other one."""
    run = memory_run(both({"import": 200, "build": 300, "steady": 400, "peak": 400},
                          {"import": 200, "build": 300, "steady": 400, "peak": 400}))
    template = {fw: next(c for c in run.cases if c.framework == fw and c.config.get("mode") in ("eager", "function")
                         and c.config["batch_size"] == 128 and c.summary is not None)
                for fw in ("torch", "tensorflow")}
    extra = []
    for fw, layouts in (("torch", ("channels_last", "channels_last", "channels_first")), ("tensorflow", (None,))):
        for i, layout in enumerate(layouts):
            case = template[fw].model_copy(deep=True)
            case.workload, case.case_id = "resnet", f"resnet/{fw}/{layout}/{i}"
            if layout:
                case.config["layout"] = layout
            if i == 1:
                case.config["mode"] = "compile"  # the preferred layout also runs the other modes
            steady = {"channels_last": 400, "channels_first": 2000, None: 1000}[layout]
            for sample in case.samples:
                sample.memory_phases = {"harness": 40 * MIB, "import": 200 * MIB, "build": 300 * MIB, "steady": steady * MIB}
                sample.peak_host_rss_bytes = steady * MIB
            extra.append(case)
    run.cases += extra
    return run


def test_memory_includes_resnet_in_each_sides_preferred_layout():
    run = layout_run()
    assert preferred_layouts(run)[("torch", "resnet")] == "channels_last"
    verdict = decide("lower_memory", run, lower="torch", level="steady", measure="total")
    resnet = [r for r in verdict.rows if r.label.startswith("resnet")]
    assert len(resnet) == 1 and "channels_last" in resnet[0].label and resnet[0].outcome == FOR
    assert "PyTorch 200 + 200 = 400 MiB" in resnet[0].measured


def test_a_gpu_memory_claim_on_a_cpu_run_is_not_testable():
    verdict = decide("lower_memory", memory_run(HIGH_TF_BASELINE), scope={"device": "cuda"}, lower="tensorflow",
                     level="peak", measure="total")
    assert verdict.status == "not_testable"
    assert verdict.rows and all("CPU evidence for an NVIDIA GPU claim" in r.label for r in verdict.rows)


@pytest.mark.parametrize(("build", "steady", "status"), [(900, 500, "supported"), (300, 900, "contradicted"),
                                                         (500, 510, "inconclusive")])
def test_loading_against_training(build, steady, status):
    levels = {"import": 200, "build": build, "steady": steady, "peak": max(build, steady)}
    assert decide("loading_vs_training", memory_run(both(levels, levels))).status == status


def precision_run(ratios: dict[str, float]):
    """Each framework at batch 128 in fp32 and bf16; bf16 peak = fp32 peak × ratio[framework]."""
    run = memory_run(both({"import": 200, "build": 300, "steady": 1000, "peak": 1000},
                          {"import": 200, "build": 300, "steady": 1000, "peak": 1000}))
    extra = []
    for case in [c for c in run.cases if c.config["batch_size"] == 128]:
        mixed = case.model_copy(deep=True)
        mixed.config["precision"] = "bf16"
        mixed.case_id += "/bf16"
        for sample in mixed.samples:
            if sample.peak_host_rss_bytes:
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
def test_mixed_precision_memory_on_the_device_in_scope(ratios, status):
    assert decide("mixed_precision_memory", precision_run(ratios), scope={"device": "cpu", "precision": "mixed"}).status \
        == status
    gpu = decide("mixed_precision_memory", precision_run(ratios), scope={"device": "cuda", "precision": "mixed"})
    assert gpu.status == "not_testable" and all(r.outcome == OUT_OF_SCOPE for r in gpu.rows)
    assert all("CPU evidence for an NVIDIA GPU claim (host peak RSS)" in r.label for r in gpu.rows)


# --- accuracy -------------------------------------------------------------------------------

def parity_run(gaps: dict[str, float], seeds: int = 5, noise: float = 0.004):
    run = made_up_run()
    run.studies = []
    for workload, gap in gaps.items():
        for seed in range(seeds):
            for framework in ("torch", "tensorflow"):
                jitter = noise * ((seed * 7 + (framework == "torch")) % 3)
                r = parity_record(framework, seed, [0.5, 0.9 + jitter - (gap if framework == "tensorflow" else 0)])
                r.workload = workload
                r.record_id = r.record_id.replace("/mlp/", f"/{workload}/")
                run.studies.append(r)
    return run


@pytest.mark.parametrize(("gaps", "seeds", "noise", "status"), [
    ({"mlp": 0.0}, 5, 0.0, "supported"),  # identical on every seed
    ({"mlp": 0.0}, 5, 0.004, "supported"),  # small noise: the 90 % interval is inside ±1 point
    ({"mlp": 0.05}, 5, 0.004, "contradicted"),
    ({"mlp": 0.0}, 3, 0.06, "no_difference_detected"),  # too noisy to show equivalence: not proof of equality
    ({"mlp": 0.0, "resnet": 0.05}, 5, 0.004, "mixed"),
    ({"mlp": 0.0}, 1, 0.004, "not_measured"),
])
def test_equal_accuracy_needs_an_equivalence_test(gaps, seeds, noise, status):
    verdict = decide("accuracy_equivalence", parity_run(gaps, seeds, noise), kind="equality", margin_points=1.0)
    assert verdict.status == status
    assert verdict.rows[0].link == "accuracy.md#accuracy-mlp"


def test_tost_against_hand_computed_values():
    first = {0: 0.90, 1: 0.91, 2: 0.92, 3: 0.90, 4: 0.91}
    second = {0: 0.905, 1: 0.905, 2: 0.915, 3: 0.905, 4: 0.905}
    result = equivalence_test(first, second, 0.01)
    assert result.mean == pytest.approx(0.001) and result.outcome == FOR
    assert result.low90 == pytest.approx(0.001 - 2.131847 * 0.0054772 / 5 ** 0.5, rel=1e-3)


# --- studies: retracing, export, executed facts, footprint ----------------------------------

def study_record(study, framework=None, workload=None, config=None, data=None, status="ok"):
    return StudyRecord(study=study, record_id=f"{study}/{framework}/{workload}/{config}", framework=framework,
                       workload=workload, device="cpu", config=config or {}, status=status, started_utc=NOW,
                       wall_seconds=1.0, data=data or {})


def retracing_run(tf_traces: int, torch_graphs: int, torch_eager: int = 0):
    run = made_up_run()
    sizes = [16, 24, 32, 16, 24, 32]
    scenario = lambda name, traces: {"framework_version": "9.9", "features": 64, "hidden_units": 128,
                                     "scenario": {"scenario": name, "api": name, "batch_sizes": sizes, "traces": traces,
                                                  "graph_breaks": 0, "call_seconds": [0.1] * 6, "first_call_seconds": 0.1,
                                                  "total_seconds": 0.6, "steady_call_seconds": 0.1}}
    run.studies = [study_record("retracing", fw, config={"scenario": name}, data=scenario(name, traces))
                   for fw, name, traces in (("tensorflow", "function_default", tf_traces), ("torch", "compile_default", torch_graphs),
                                            ("torch", "eager", torch_eager), ("tensorflow", "eager", 0))]
    return run


@pytest.mark.parametrize(("tf_traces", "torch_graphs", "status"), [
    (3, 1, "partly_supported"), (1, 2, "mixed"), (3, 2, "mixed")])
def test_retracing_verdicts(tf_traces, torch_graphs, status):
    assert decide("retracing", retracing_run(tf_traces, torch_graphs)).status == status


def test_retracing_missing_or_failed_is_not_measured():
    assert decide("retracing", None).status == "not_measured"
    run = retracing_run(3, 1)
    run.studies[2] = study_record("retracing", "torch", config={"scenario": "eager"}, status="crashed")
    assert decide("retracing", run).status == "not_measured"


@pytest.mark.parametrize(("framework", "holds_if", "status"), [
    ("torch", "no_traces", "supported"), ("tensorflow", "traces", "contradicted")])
def test_one_retracing_scenario(framework, holds_if, status):
    assert decide("retracing_scenario", retracing_run(3, 2), framework=framework, scenario="eager",
                  claim_holds_if=holds_if).status == status


def cell(path_id, ok, message=None):
    return {"path_id": path_id, "title": path_id, "runtime": "r", "status": "ok" if ok else "failed",
            "failed_stage": None if ok else "export", "error_type": None if ok else "ConverterError",
            "message": message, "max_abs_diff": 1e-7 if ok else None}


TORCH_PATHS = ("torch_export", "torchscript", "executorch")


def export_run(outcomes: dict[str, dict[str, bool]], declared_torch=TORCH_PATHS, messages=None):
    """workload -> {path_id: ok}; torch paths go to the torch record, the rest to TensorFlow's."""
    from contract.schema import StudyInfo

    run = made_up_run()
    run.studies = []
    run.study_info["export"] = StudyInfo(title="export", description="d", parameters={"paths": {
        "torch": {p: p for p in declared_torch}, "tensorflow": {"tflite": "tflite"}}})
    for workload, paths in outcomes.items():
        for framework, ids in (("torch", TORCH_PATHS), ("tensorflow", ("tflite",))):
            cells = [cell(p, ok, (messages or {}).get((workload, p))) for p, ok in paths.items() if p in ids]
            data = {"framework_version": "9.9", "export_batch": 8, "other_batch": 3, "input_shape": [8, 4],
                    "input_dtype": "float32", "reference_latency_seconds_median": 0.001, "threads": 2, "cells": cells}
            run.studies.append(study_record("export", framework, workload, data=data))
    return run


@pytest.mark.parametrize(("outcomes", "status"), [
    ({"mlp": {"tflite": True, "executorch": False}}, "supported"),
    ({"mlp": {"tflite": False, "executorch": True}}, "contradicted"),
    ({"mlp": {"tflite": True, "executorch": True}}, "inconclusive"),
    ({"mlp": {"tflite": True, "executorch": False}, "lstm": {"tflite": False, "executorch": True}}, "mixed"),
])
def test_on_device_compares_the_two_on_device_artifacts(outcomes, status):
    verdict = decide("on_device", export_run(outcomes))
    assert verdict.status == status and verdict.link == "ecosystem.md#export-matrix"


def test_on_device_gives_no_verdict_while_a_side_is_not_built():
    run = export_run({"mlp": {"tflite": True, "torch_export": True}}, declared_torch=("torch_export", "torchscript"))
    verdict = decide("on_device", run)
    assert verdict.status == "not_measured" and "built no executorch artifact" in verdict.summary
    assert "no ExecuTorch path" in verdict.rows[0].measured


def test_our_converter_setting_is_not_a_framework_limit():
    message = "error: TensorListReserve requires element_shape to be static during TF Lite transformation"
    run = export_run({"lstm": {"tflite": False, "executorch": True}, "mlp": {"tflite": True, "executorch": True}},
                     messages={("lstm", "tflite"): message})
    verdict = decide("on_device", run)
    lstm = next(r for r in verdict.rows if r.label == "lstm")
    assert lstm.outcome == UNDECIDED and "our export setting" in lstm.note
    assert verdict.status == "inconclusive"  # the one failure is ours, so no workload counts against TensorFlow


def test_a_missing_executorch_package_is_not_built_here_not_a_pytorch_limit():
    run = export_run({"mlp": {"tflite": True, "executorch": False}})
    torch_record = next(r for r in run.studies if r.framework == "torch")
    torch_record.data["cells"][0].update(error_type="ModuleNotFoundError", message="No module named 'executorch'")
    verdict = decide("on_device", run)
    assert verdict.status == "not_measured" and "not built here" in verdict.rows[0].note


@pytest.mark.parametrize(("outcomes", "holds_if", "status"), [
    ({"mlp": {"torch_export": False, "torchscript": False}}, "fails", "supported"),
    ({"mlp": {"torch_export": True, "torchscript": False}}, "fails", "contradicted"),
    ({"mlp": {"torch_export": True}}, "works", "supported"),
])
def test_export_path_verdicts(outcomes, holds_if, status):
    assert decide("export_path", export_run(outcomes), framework="torch", paths=["torch_export", "torchscript"],
                  claim_holds_if=holds_if).status == status


def fact_run(passed: bool | None, status="ok", check="torch_tensorboard"):
    run = made_up_run()
    data = {} if passed is None else {"check": check, "claim": "PyTorch writes TensorBoard logs",
                                      "passed": passed, "evidence": {"scalars": 3}, "versions": {"torch": "9.9"}}
    run.studies = [study_record("ecosystem_checks", config={"check": check}, data=data, status=status)]
    return run


@pytest.mark.parametrize(("passed", "holds_if_passed", "status", "row"), [
    (True, False, "contradicted", AGAINST), (False, False, "supported", FOR), (True, True, "supported", FOR),
    (False, True, "contradicted", AGAINST)])
def test_executed_fact_rows_count_for_the_claim_not_for_the_check(passed, holds_if_passed, status, row):
    verdict = decide("executed_fact", fact_run(passed), check="torch_tensorboard", claim_holds_if_passed=holds_if_passed)
    assert verdict.status == status and [r.outcome for r in verdict.rows] == [row]


def test_executed_fact_missing_or_crashed_is_not_measured():
    params = {"check": "torch_tensorboard", "claim_holds_if_passed": False}
    assert decide("executed_fact", None, **params).status == "not_measured"
    assert decide("executed_fact", fact_run(None, status="crashed"), **params).status == "not_measured"


def footprint_record(framework, names):
    data = {"distribution": framework, "version": "9.9", "module": framework, "missing": [], "root_installed_bytes": 1,
            "closure_installed_bytes": 1, "import_seconds": [1.0], "fresh_venv": {"status": "not_run"},
            "closure": [{"name": n, "version": "1", "installed_bytes": 1, "files": 1} for n in names]}
    return study_record("footprint", framework, data=data)


def test_keras_integration_and_dependency_checks():
    run = fact_run(True, check="keras_torch_backend")
    run.studies += [footprint_record("torch", ["torch", "sympy"]), footprint_record("tensorflow", ["tensorflow_cpu", "keras"])]
    verdict = decide("keras_integration", run)
    assert verdict.status == "mixed" and [r.outcome for r in verdict.rows] == [AGAINST, FOR, FOR]
    assert decide("dependency", run, framework="torch", package="numpy", claim_holds_if="present").status == "contradicted"
    assert decide("dependency", run, framework="tensorflow", package="Keras", claim_holds_if="present").status == "supported"


def test_dated_fact_counts_as_stated_until_it_goes_stale():
    fresh = decide("dated_fact", None, fact="serving", side="torch", outcome="against", because="Archived.")
    assert fresh.status == "contradicted" and "before this build" in fresh.summary
    late = Context((), date(2030, 1, 1))
    stale = decide("dated_fact", None, ctx=late, fact="serving", side="torch", outcome="against", because="Archived.")
    assert stale.status == "not_measured" and "to be read again" in stale.rows[0].note


def test_code_size_counts_tokens_both_ways(monkeypatch):
    from site_scripts.ease_of_use.code_metrics import CodeMetrics

    sizes = [("a", {"torch": CodeMetrics(10, 100, ()), "tensorflow": CodeMetrics(12, 150, ())}),
             ("b", {"torch": CodeMetrics(10, 100, ()), "tensorflow": CodeMetrics(10, 104, ())})]
    monkeypatch.setattr(checks, "_code_sizes", lambda run, tasks: sizes)
    assert decide("code_size", None, longer="tensorflow").status == "partly_supported"
    assert decide("code_size", None, longer="torch").status == "partly_contradicted"


def test_code_size_reads_the_examples_a_run_executed():
    from tests.test_ease_of_use_examples import made_up_example_run

    run = made_up_example_run()
    verdict = decide("code_size", run, longer="tensorflow")
    assert [row.label for row in verdict.rows] == ["mistakes"] and "token ratio 1.00" in verdict.rows[0].measured
    assert CHECKS["code_size"].page == "ease-of-use.md"
    assert CHECKS["code_size"].needs(run, claim("code_size", longer="tensorflow"))
    assert not CHECKS["code_size"].needs(made_up_run(), claim("code_size", longer="tensorflow"))
    assert decide("code_size", made_up_run(), longer="tensorflow").status == "not_measured"


def test_untestable_claims_say_why():
    verdict = decide("needs_hardware", made_up_run(), hardware="tpu")
    assert verdict.status == "not_testable" and "TPU" in verdict.summary
    verdict = decide("not_a_measurement", None, reason="Not a number.", link="ecosystem.md#facts")
    assert (verdict.status, verdict.link) == ("not_testable", "ecosystem.md#facts")
    assert decide("needs_new_evidence", None, reason="No source yet.").status == "not_measured"


# --- the registry against the articles ------------------------------------------------------

def test_every_claim_names_an_existing_check_and_every_article_that_makes_it():
    claims = load_claims()
    assert len(claims.claims) >= 70
    assert {c.topic for c in claims.claims} == set(TOPICS)
    for c in claims.claims:
        assert c.check in CHECKS and c.appears_in, c.id
    several = [c for c in claims.claims if len(c.articles) > 1]
    assert len(several) >= 20  # many claims are made by several articles, and each is listed
    assert set(claims.claim("mobile-edge-support").articles) == {"tlatoanix", "ellieb", "viso", "vast"}


def test_the_claims_the_issue_lists_are_registered_with_a_check_that_reads_their_evidence():
    claims = load_claims()
    assert claims.claim("onnx-native-export").check == "export_path"
    assert claims.claim("torchserve-serving").check == "dated_fact"
    assert claims.claim("tensorflow-more-boilerplate").check == "code_size"
    assert claims.claim("lower-overhead").check == "faster" and claims.claim("lower-overhead").scope.batch == 1
    assert claims.claim("equal-accuracy").kind == "equality"
    assert claims.claim("mixed-precision-memory").scope.device == "cuda"


def _seed_text(article) -> list[str]:
    return (SEEDS / article.file).read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(SEEDS is None, reason="the seed articles (../shared/seeds) are not on this machine")
def test_every_quote_is_verbatim_on_the_lines_it_names():
    claims = load_claims()
    norm = lambda text: " ".join(text.split())
    for c in claims.claims:
        for where in c.appears_in:
            lines = _seed_text(claims.articles[where.article])
            assert all(1 <= n <= len(lines) for n in where.lines), (c.id, where.lines)
            assert norm(where.quote) in norm(" ".join(lines[n - 1] for n in where.lines)), (c.id, where.quote)
    for item in claims.left_out:
        assert all(1 <= n <= len(_seed_text(claims.articles[item.article])) for n in item.lines)


@pytest.mark.skipif(SEEDS is None, reason="the seed articles (../shared/seeds) are not on this machine")
def test_articles_are_named_only_as_their_text_names_them():
    claims = load_claims()
    for key, article in claims.articles.items():
        text = " ".join(" ".join(_seed_text(article)).split())
        for field in ("title", "heading", "author", "publisher", "date"):
            value = getattr(article, field)
            if value and value != NOT_STATED:
                assert " ".join(value.split()) in text, (key, field, value)


def test_no_publisher_the_texts_do_not_give():
    raw = (Path(checks.__file__).parent / "claims.yaml").read_text(encoding="utf-8")
    for name in ("Vast.ai", "viso.ai", "freeCodeCamp"):
        assert name not in raw


def test_ages_are_computed_from_the_build_date():
    claims = load_claims()
    texts = [f for c in claims.claims for f in c.findings] + [f.text for f in claims.findings]
    assert not [t for t in texts if re.search(r"\b\w+-year-old\b|\b(\d+|one|two|three|four|five|six|seven) years? (old|ago)\b", t)]
    finding = next(f for f in claims.claim("eager-throughput-table-2019").findings if "{age:" in f)
    assert "6 years and 11 months" in render_dates(finding, date(2026, 11, 3))
    assert "7 years" in render_dates(finding, date(2026, 12, 3))
    assert age_text(date(2023, 11, 9), date(2026, 12, 2)) == "3 years"


def _write(tmp_path, claim_lines: str, extra: str = "") -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text("articles:\n  a: {file: f.txt, title: T, author: A, publisher: P, date: not stated in the article}\n"
                    "claims:\n" + claim_lines + extra, encoding="utf-8")
    return path


CLAIM = ("  - {id: x, topic: speed, claim: Something is faster, appears_in: [{article: a, lines: [1], quote: abc}], "
         "scope: {device: any}, check: faster, params: {faster: torch}}\n")


def test_a_well_formed_file_loads(tmp_path):
    assert load_claims(_write(tmp_path, CLAIM)).claims[0].id == "x"


@pytest.mark.parametrize(("lines", "match"), [
    (CLAIM.replace("check: faster", "check: no_such_check"), "unknown check 'no_such_check'"),
    (CLAIM.replace("article: a", "article: nobody"), "unknown article"),
    (CLAIM.replace("params: {faster: torch}", "params: {}"), "missing params faster"),
    (CLAIM.replace("topic: speed", "topic: speed, kind: equality"), "decides difference claims"),
    (CLAIM.replace("appears_in: [{article: a, lines: [1], quote: abc}], ", ""), "appears_in"),
    (CLAIM.replace("quote: abc", "quote: " + " ".join(["word"] * 30)), "at most 25 words"),
    (CLAIM.replace("scope: {device: any}", "scope: {device: gpu}"), "scope.device"),
    (CLAIM.replace("params: {faster: torch}", "params: {faster: torch}, findings: ['{age:soon}']"), "unknown template"),
])
def test_a_broken_claims_file_fails_to_load_with_one_line(tmp_path, lines, match):
    with pytest.raises(ClaimFileError, match=match) as error:
        load_claims(_write(tmp_path, lines))
    assert "\n" not in str(error.value)


def test_a_finding_naming_an_unknown_claim_fails_to_load(tmp_path):
    extra = "findings:\n  - {id: f, kind: contradiction, title: T, text: X, claims: [nope]}\n"
    with pytest.raises(ClaimFileError, match="unknown claims nope"):
        load_claims(_write(tmp_path, CLAIM, extra))


# --- the page -------------------------------------------------------------------------------

def page_for(runs, today=BUILD):
    from site_scripts.pages import claims as claims_page

    claims_page._memo.clear()
    original = claims_page.date
    try:
        claims_page.date = type("FixedDate", (), {"today": staticmethod(lambda: today)})
        return placeholders.fill_placeholders(DOCS.read_text(encoding="utf-8"), runs, page="claims.md")
    finally:
        claims_page.date = original
        claims_page._memo.clear()


def test_the_page_renders_every_claim_article_finding_and_the_legend():
    speed = speed_run(TORCH_FASTER, TIE)
    memory = memory_run(HIGH_TF_BASELINE)
    page = page_for([speed, memory])
    assert "{{" not in page
    claims = load_claims()
    for c in claims.claims:
        assert f"{{#{c.anchor}}}" in page and f"](#{c.anchor})" in page
        for key in c.articles:
            assert f"](#article-{key})" in page
    for key in claims.articles:
        assert f"{{#article-{key}}}" in page
    for f in claims.findings:
        assert f'<a id="{f.anchor}"></a>' in page
    for words, when in verdicts.legend_rows():
        assert f"| **{words}** |" in page
    assert 'class="claim-verdict claim-partly_supported"' in page and "claim-not_testable" in page
    assert "MLPerf Training publishes time to train per submitted system" in page
    assert "Made-Up CPU 9000" in page and speed.run_id in page and memory.run_id in page
    assert "passages not registered as claims" in page
    assert "Ellie B, Site Owner / Publisher" in page and "Vast.ai" not in page and "viso.ai" not in page


def test_the_page_dates_ages_at_the_build():
    assert "6 years and 11 months before this build" in page_for([speed_run(TORCH_FASTER)], date(2026, 11, 25))
    assert "7 years before this build" in page_for([speed_run(TORCH_FASTER)], date(2026, 12, 3))
