"""Traps the harness closes: a forgotten override, a broken study driver, a hanging equivalence side."""

from datetime import datetime, timezone

import pytest

from benchmarks import equivalence
from benchmarks.harness import child_main, study_runner
from benchmarks.study import PlanContext, Study, StudyTask
from contract.schema import RunSettings
from tests.made_up_results import preset_definition


def test_a_workload_that_forgets_an_override_fails_to_build_and_is_recorded_as_crashed(tmp_path):
    torch_runtime = pytest.importorskip("benchmarks.frameworks.torch_runtime")
    from benchmarks import registry

    class ForgotBuildModel(torch_runtime.TorchCase):  # no build_model, get_weights, set_weights
        pass

    workload = registry.workloads()["mlp"]
    config = {**workload.preset("quick").model, "batch_size": 4, "task": "train", "mode": "eager", "precision": "fp32"}

    def task(spec):
        ForgotBuildModel(workload, config, "cpu", 1)
        return {"status": "ok"}

    spec, out = tmp_path / "spec.json", tmp_path / "out.json"
    spec.write_text("{}")
    assert child_main.run_and_record(task, [str(spec), str(out)]) != 0
    outcome = __import__("json").loads(out.read_text())
    # Not "unsupported": a stub that raised NotImplementedError would have read as a framework limit.
    assert outcome["status"] == "crashed" and "abstract" in outcome["reason"]


def _settings() -> RunSettings:
    return RunSettings(preset="quick", preset_definition=preset_definition(), workloads=["mlp"], frameworks=["torch"], device_requested="cpu", device="cpu",
                       processes_per_case=1, warmup_steps=1, measured_steps=1, timeout_seconds=10.0, threads=1)


def test_a_study_driver_that_raises_is_that_tasks_failure_not_the_runs():
    def drive(task, probe):
        raise ZeroDivisionError("the search divided by zero")

    study = Study(name="broken_driver", title="t", description="d", default_presets=(), drive=drive,
                  plan=lambda context: [StudyTask("torch", "mlp", {}, 10.0)])
    (task,) = study.plan(PlanContext("quick", "cpu", ("torch",), ("mlp",)))
    record = study_runner.run_task(study, task, _settings())
    assert record.status == "crashed"
    assert "ZeroDivisionError: the search divided by zero" in record.reason
    assert record.started_utc <= datetime.now(timezone.utc)


def test_an_equivalence_side_that_does_not_finish_is_a_failed_proof_not_a_hang(monkeypatch):
    monkeypatch.setattr(equivalence, "SIDE_TIMEOUT_SECONDS", 0.01)
    with pytest.raises(RuntimeError, match="did not finish within"):
        equivalence.check("mlp", "quick")
