"""The step-settings study: which harness setting moves which framework (issue 14).

The plan and the driver run here with a made-up probe (no framework is imported); the statistics on made-up rounds.
"""

from __future__ import annotations

import pytest

from benchmarks.studies import step_settings
from benchmarks.study import PlanContext, ProbeOutcome
from contract import stats
from contract.payloads import SettingsProcess, StepSettingsData

BOTH = ("torch", "tensorflow")


def context(preset="full", device="cpu", workloads=("lstm", "mlp"), frameworks=BOTH) -> PlanContext:
    return PlanContext(preset=preset, device=device, frameworks=frameworks, workloads=workloads)


def test_the_full_preset_runs_ten_rounds_of_the_mlp_and_nothing_runs_without_it():
    tasks = step_settings.STUDY.plan(context())
    assert [t.config["round"] for t in tasks] == list(range(10))
    assert all(t.workload == "mlp" and t.framework is None and t.config["preset"] == "full" for t in tasks)
    assert len(step_settings.STUDY.plan(context(preset="quick"))) == 1
    assert step_settings.STUDY.plan(context(workloads=("resnet",))) == []
    assert step_settings.STUDY.plan(context(device="cuda")) == []
    assert step_settings.STUDY.runs_by_default("full", "cpu") and not step_settings.STUDY.runs_by_default("quick", "cpu")


def test_every_round_runs_each_framework_in_each_variant_interleaved_and_rotated():
    orders = [step_settings.round_order(list(BOTH), i) for i in range(5)]
    expected = {(fw, v) for fw in BOTH for v in step_settings.VARIANTS[fw]}
    for order in orders:
        assert set(order) == expected and len(order) == len(expected)
    assert len({order[0][1] for order in orders}) == 5  # each round starts with another variant
    first_in_harness = [next(fw for fw, v in order if v == "harness") for order in orders[:2]]
    assert first_in_harness == ["torch", "tensorflow"]  # who goes first alternates from round to round


def fake_probe(loads: dict[tuple[str, str], list[float]], seen: list):
    """A probe that says how fast each variant is and how loaded the machine was, per attempt."""

    def probe(workload, framework, config, warmup_steps=1, measured_steps=1):
        variant = next(v for v, o in step_settings.VARIANTS[framework].items()
                       if all(config.get(k) == val for k, val in o.items()) and len(o) == sum(
                           k in config for k in ("optimizer_implementation", "inter_op_threads", "data_batches")))
        seen.append((framework, variant, warmup_steps, measured_steps, dict(config)))
        attempt = sum(1 for s in seen if s[:2] == (framework, variant)) - 1
        load = loads.get((framework, variant), [0.0] * 3)[attempt]
        result = {"status": "ok", "step_seconds": [0.03, 0.04, 0.05], "final_loss": 2.3,
                  "optimizer_implementation": "torch.optim.SGD(foreach=True)" if "optimizer_implementation" in config
                  else "torch.optim.SGD(fused=True)", "intra_op_threads": 2,
                  "inter_op_threads": config.get("inter_op_threads", 2), "data_batches": config.get("data_batches", 32)}
        return ProbeOutcome("ok", None, result=result, foreign_cpu_fraction=load, wall_seconds=5.0)

    return probe


def test_the_driver_asks_the_timing_child_for_each_variants_settings_and_reruns_a_loaded_process():
    (task, *_) = step_settings.STUDY.plan(context())
    seen: list = []
    # torch one_batch stays loaded on every attempt; TensorFlow's harness process is loaded once, then quiet.
    loads = {("torch", "one_batch"): [0.5, 0.5, 0.5], ("tensorflow", "harness"): [0.5, 0.0, 0.0]}
    data = StepSettingsData.model_validate(step_settings.drive(task, fake_probe(loads, seen)))
    assert {(s[2], s[3]) for s in seen} == {(2, 8)}  # the full preset's warm-up and measured steps, as its cases
    minimal = next(s[4] for s in seen if s[:2] == ("torch", "minimal_loop"))
    assert (minimal["optimizer_implementation"], minimal["inter_op_threads"], minimal["data_batches"]) == ("foreach", 1, 1)
    assert minimal["mode"] == "eager" and minimal["batch_size"] == 256 and minimal["hidden_units"] == 1024
    assert next(s[4] for s in seen if s[:2] == ("tensorflow", "harness"))["mode"] == "function"
    loaded = [p for p in data.processes if (p.framework, p.variant) == ("torch", "one_batch")]
    assert [p.admitted for p in loaded] == [False] * (stats.MAX_LOAD_RETRIES + 1)
    tf_harness = [p for p in data.processes if (p.framework, p.variant) == ("tensorflow", "harness")]
    assert [p.admitted for p in tf_harness] == [False, True] and [p.attempt for p in tf_harness] == [0, 1]
    assert data.loaded_machine_fraction == stats.LOADED_MACHINE_FRACTION
    assert tf_harness[1].step_seconds_median == pytest.approx(0.04) and tf_harness[1].data_batches == 32


def made_up_rounds(effects: dict[tuple[str, str], float], rounds: int = 10, noise: float = 0.01,
                   rejected: tuple[str, str] | None = None) -> list[StepSettingsData]:
    """Each variant's step time = the harness's × its effect, with a little round-to-round noise shared by none."""
    import numpy as np

    rng = np.random.default_rng(3)
    out = []
    for r in range(rounds):
        drift = float(np.exp(rng.normal(0, 0.05)))  # the machine's state this round: hits every process alike
        processes = []
        for framework, variants in step_settings.VARIANTS.items():
            base = 0.035 if framework == "torch" else 0.0345
            for variant in variants:
                seconds = base * effects.get((framework, variant), 1.0) * drift * float(np.exp(rng.normal(0, noise)))
                admitted = not (rejected == (framework, variant) and r < 6)
                processes.append(SettingsProcess(framework=framework, variant=variant, status="ok", wall_seconds=5.0,
                                                 step_seconds_median=seconds, admitted=admitted,
                                                 foreign_cpu_fraction=0.0 if admitted else 0.4,
                                                 inter_op_threads=1 if "inter_op" in variant else 2))
        out.append(StepSettingsData(workload="mlp", sizes="full", batch_size=256,
                                    modes={"torch": "eager", "tensorflow": "function"}, round_index=r, warmup_steps=2,
                                    measured_steps=8, loaded_machine_fraction=0.1, variants=step_settings.VARIANTS,
                                    processes=processes))
    return out


def test_the_summary_says_which_setting_moves_which_side_with_paired_intervals():
    rounds = made_up_rounds({("torch", "foreach_sgd"): 1.10, ("tensorflow", "minimal_loop"): 0.92})
    summary = stats.step_settings_summary(rounds, 0.95, 0.05)
    effects = {(e.numerator_framework, e.numerator_variant): e for e in summary.effects}
    assert set(effects) == {(fw, v) for fw, vs in step_settings.VARIANTS.items() for v in vs if v != "harness"}
    foreach = effects[("torch", "foreach_sgd")]
    assert foreach.n_pairs == 10 and foreach.ratio_median == pytest.approx(1.10, rel=0.02)
    assert foreach.ci_low > 1.05 and foreach.verdict == "denominator_faster"  # the harness's fused SGD is faster
    assert foreach.interval_coverage == pytest.approx(1 - 2 * 11 / 1024)  # the order-statistic interval at n = 10
    assert effects[("tensorflow", "minimal_loop")].verdict == "numerator_faster"
    assert effects[("torch", "inter_op_1")].verdict == "practically_equal"
    ratios = {r.numerator_variant: r for r in summary.framework_ratios}
    assert set(ratios) == {"harness", "inter_op_1", "one_batch", "minimal_loop"}
    assert ratios["harness"].ratio_median == pytest.approx(0.035 / 0.0345, rel=0.02)
    assert ratios["minimal_loop"].ratio_median == pytest.approx(0.035 / (0.0345 * 0.92), rel=0.02)
    cells = {(c.framework, c.variant): c for c in summary.cells}
    assert cells[("tensorflow", "inter_op_1")].inter_op_threads == 1 and cells[("torch", "harness")].processes_admitted == 10


def test_loaded_processes_are_counted_never_used_and_too_few_pairs_name_no_winner():
    rounds = made_up_rounds({("torch", "one_batch"): 1.3}, rejected=("torch", "one_batch"))
    summary = stats.step_settings_summary(rounds, 0.95, 0.05)
    one_batch = next(e for e in summary.effects if (e.numerator_framework, e.numerator_variant) == ("torch", "one_batch"))
    assert one_batch.n_pairs == 4 and one_batch.verdict == "insufficient_data"
    cell = next(c for c in summary.cells if (c.framework, c.variant) == ("torch", "one_batch"))
    assert (cell.processes_admitted, cell.processes_rejected) == (4, 6)
    assert stats.step_settings_summary([], 0.95, 0.05) is None


# --- the Methodology page: the study, and the settings each path ran with ---------------------------


def run_with_rounds(rounds: list[StepSettingsData], failed_round: bool = False):
    from datetime import datetime, timezone

    from contract.schema import StudyRecord
    from tests.made_up_results import made_up_run

    run = made_up_run()
    run.rules = stats.judging_rules({"torch": ["eager"], "tensorflow": ["function"]}, timing_run=True,
                                    reference_run=True)
    started = datetime(2026, 1, 1, tzinfo=timezone.utc)
    run.studies = [StudyRecord(study="step_settings", record_id=f"step_settings/any/mlp/round={r.round_index}",
                               workload="mlp", device="cpu", config={"round": r.round_index}, status="ok",
                               started_utc=started, wall_seconds=50.0, data=r.model_dump()) for r in rounds]
    if failed_round:
        run.studies.append(StudyRecord(study="step_settings", record_id="step_settings/any/mlp/round=10",
                                       workload="mlp", device="cpu", config={"round": 10}, status="timeout",
                                       reason="exceeded the 900 s timeout", started_utc=started, wall_seconds=900.0))
    return run


def test_the_methodology_section_shows_each_setting_against_the_harness_and_the_frameworks_in_each_setting():
    from site_scripts.tables import step_settings as table

    run = run_with_rounds(made_up_rounds({("torch", "foreach_sgd"): 1.10}), failed_round=True)
    text = table.step_settings_section(run)
    foreach = next(line for line in text.splitlines() if "foreach SGD" in line)
    assert "| PyTorch |" in foreach and "1.1" in foreach and "the harness's setting faster" in foreach
    harness = next(line for line in text.splitlines() if "none: the harness's own settings" in line and "PyTorch" in line)
    assert "1 (the baseline)" in harness and "10 / 0 / 0" in harness
    assert "PyTorch / TensorFlow [95% interval]" in text and "one batch, reused every step" in text
    assert "10 rounds" in text and "more than 10% of the machine was run again" in text
    assert "Rounds that did not finish: round 10: timeout: exceeded the 900 s timeout" in text
    assert table.step_settings_section(run_with_rounds([])) == "Not measured in this run."


def test_the_path_settings_table_reads_the_settings_each_paths_processes_recorded():
    from site_scripts.tables import step_settings as table
    from tests.made_up_results import made_up_run
    from tests.test_stats import mode_case

    cases = [mode_case("torch", "eager", [2.0] * 6), mode_case("torch", "compile_step", [1.0] * 6),
             mode_case("tensorflow", "function", [3.0] * 6)]
    for case in cases:
        for s in case.samples:
            s.intra_op_threads, s.inter_op_threads, s.data_batches = 2, 2, 32
            s.optimizer_implementation = ("torch.optim.SGD(foreach=True)" if case.config["mode"] == "compile_step"
                                          else "torch.optim.SGD(fused=True)" if case.framework == "torch"
                                          else "keras.optimizers.SGD")
    run = made_up_run()
    run.cases, run.equivalence = cases, []
    run.rules = stats.judging_rules({"torch": ["eager"], "tensorflow": ["function"]}, timing_run=True,
                                    reference_run=True)
    stats.recompute(run)
    rows = [line for line in table.path_settings_table(run).splitlines() if line.startswith("| ") and "PyTorch" in line]
    default = next(r for r in rows if "| default |" in r)
    tuned = next(r for r in rows if "tuned (best path)" in r)
    assert "`torch.optim.SGD(fused=True)`" in default and "2 / 2" in default and "| 32 |" in default
    assert "`compile_step` (6 pairs)" in tuned and "`torch.optim.SGD(foreach=True)`" in tuned


@pytest.mark.e2e
def test_one_real_round_runs_every_variant_and_each_child_records_the_settings_it_was_given(tmp_path):
    """A quick-size round for real: each process is the harness's timing child, and the runtimes honour and record
    the optimizer implementation, inter-op threads and cycled batches each variant asks for."""
    import subprocess
    import sys

    from contract.files import complete_runs, load_run
    from tests.conftest import REPO_ROOT

    done = subprocess.run([sys.executable, "-m", "fwbench", "run", "--preset", "quick", "--only", "mlp", "--device",
                           "cpu", "--tasks", "none", "--studies", "step_settings", "--out", str(tmp_path)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    (record,) = load_run(complete_runs(tmp_path)[0]).study_records("step_settings")
    assert record.status == "ok", record.reason
    data = StepSettingsData.model_validate(record.data)
    by_variant = {(p.framework, p.variant): p for p in data.processes}
    assert set(by_variant) == {(fw, v) for fw, vs in step_settings.VARIANTS.items() for v in vs}
    assert all(p.status == "ok" and p.step_seconds_median for p in data.processes), data.processes
    assert by_variant[("torch", "harness")].optimizer_implementation == "torch.optim.SGD(fused=True)"
    assert by_variant[("torch", "foreach_sgd")].optimizer_implementation == "torch.optim.SGD(foreach=True)"
    for framework in ("torch", "tensorflow"):
        harness, minimal = by_variant[(framework, "harness")], by_variant[(framework, "minimal_loop")]
        assert harness.inter_op_threads == harness.intra_op_threads and minimal.inter_op_threads == 1
        assert harness.data_batches == 8 and minimal.data_batches == 1  # quick MLP: 1024 samples, batch 128
        assert by_variant[(framework, "one_batch")].data_batches == 1
    assert by_variant[("tensorflow", "harness")].optimizer_implementation == "keras.optimizers.SGD"
