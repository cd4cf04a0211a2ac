"""The harness on deliberately broken workloads: failures become data and the run goes on."""

import json
from pathlib import Path

import pytest

from benchmarks.harness import provenance, run_plan, run_request, runner
from contract.files import complete_runs, load_run, partial_path
from fwbench import cli


def request(tmp_path: Path, workloads: list[str], **overrides) -> run_request.RunRequest:
    settings = dict(preset="quick", workloads=workloads, frameworks=["torch", "tensorflow"], device="cpu",
                    out_dir=tmp_path, command="test", timeout_seconds=20.0, processes_per_case=1,
                    tasks=["train"], modes=["eager"], precisions=["fp32"], calibrate=False, studies=[])
    settings.update(overrides)
    return run_request.RunRequest(**settings)


def run_to_end(tmp_path, workloads, **overrides):
    run = run_plan.start_run(request(tmp_path, workloads, **overrides))
    return load_run(runner.execute(run, tmp_path))


def samples_of(run, workload, framework):
    (case,) = [c for c in run.cases if c.workload == workload and c.framework == framework]
    return case.samples


def test_failures_are_recorded_with_reason_and_the_run_continues(tmp_path, fake_workloads):
    run = run_to_end(tmp_path, ["crashes", "aborts", "unsupported"])
    assert run.status == "complete"
    (crashed,) = samples_of(run, "crashes", "tensorflow")
    assert crashed.status == "crashed"
    assert "deliberate crash while building the model" in crashed.reason
    assert "Traceback" in crashed.stderr_tail
    (aborted,) = samples_of(run, "aborts", "tensorflow")
    assert aborted.status == "crashed" and "SIGABRT" in aborted.reason
    (unsupported,) = samples_of(run, "unsupported", "tensorflow")
    assert unsupported.status == "unsupported" and "not available" in unsupported.reason
    for workload in ("crashes", "aborts", "unsupported"):
        (ok,) = samples_of(run, workload, "torch")
        assert ok.status == "ok" and len(ok.step_seconds) > 0 and ok.peak_host_rss_bytes > 0


def test_a_hanging_process_is_killed_at_its_timeout(tmp_path, fake_workloads):
    run = run_to_end(tmp_path, ["hangs"], timeout_seconds=2.0)
    (hung,) = samples_of(run, "hangs", "tensorflow")
    assert hung.status == "timeout"
    assert "2 s" in hung.reason
    assert hung.wall_seconds < 30
    (ok,) = samples_of(run, "hangs", "torch")
    assert ok.status == "ok"


def test_processes_interleave_frameworks_repeat_by_repeat(tmp_path, fake_workloads):
    run = run_plan.start_run(request(tmp_path, ["crashes"], processes_per_case=3))
    order = [(case.framework, repeat) for case, repeat in run_plan.pending_samples(run)]
    assert order == [("torch", 0), ("tensorflow", 0), ("torch", 1), ("tensorflow", 1), ("torch", 2), ("tensorflow", 2)]


class InterruptAfter:
    """A reporter that presses Ctrl-C after n finished processes."""

    def __init__(self, n):
        self.n = n

    def planned(self, total, already_done):
        pass

    def sample_started(self, case, repeat_index):
        pass

    def sample_finished(self, case, sample):
        self.n -= 1
        if self.n == 0:
            raise KeyboardInterrupt


def test_interrupted_run_keeps_finished_processes_and_resume_runs_only_the_rest(tmp_path, fake_workloads):
    run = run_plan.start_run(request(tmp_path, ["unsupported"], processes_per_case=2))
    with pytest.raises(KeyboardInterrupt):
        runner.execute(run, tmp_path, InterruptAfter(3))
    kept = load_run(partial_path(tmp_path, run.run_id))
    assert kept.status == "incomplete"
    finished = sorted((c.framework, s.repeat_index, s.started_utc) for c in kept.cases for s in c.samples)
    assert len(finished) == 3
    assert complete_runs(tmp_path) == []

    assert cli.main(["run", "--resume", "--out", str(tmp_path)]) == 0
    (final,) = complete_runs(tmp_path)
    done = load_run(final)
    assert done.run_id == run.run_id and done.status == "complete"
    all_samples = sorted((c.framework, s.repeat_index, s.started_utc) for c in done.cases for s in c.samples)
    assert len(all_samples) == 4
    assert set(finished) <= set(all_samples)  # the three kept processes were not re-run
    assert not partial_path(tmp_path, run.run_id).exists()


def test_resume_refuses_when_benchmark_code_changed(tmp_path, fake_workloads, monkeypatch):
    run = run_plan.start_run(request(tmp_path, ["unsupported"]))
    with pytest.raises(KeyboardInterrupt):
        runner.execute(run, tmp_path, InterruptAfter(1))
    monkeypatch.setattr(provenance, "code_hash", lambda: "changed")
    with pytest.raises(run_request.RunError, match="code changed"):
        runner.resumable_run(tmp_path)


def test_provenance_is_complete_and_names_no_host(tmp_path, fake_workloads):
    run = run_to_end(tmp_path, ["unsupported"])
    p = run.provenance
    assert p.code_hash and len(p.code_hash) == 64
    assert p.host.cpu_model and p.host.logical_cpus >= 1 and p.host.ram_bytes > 0
    assert "pydantic" in p.packages and p.python_version.startswith("3.")
    assert run.settings.threads >= 1 and run.finished_utc >= run.started_utc
    measured = [s for c in run.cases for s in c.samples if s.status == "ok"]
    assert measured and all(0 <= s.foreign_cpu_fraction < 2 for s in measured)  # machine load is recorded
    import socket

    assert socket.gethostname() not in json.dumps(run.model_dump(mode="json"))


def test_a_process_run_while_the_machine_was_loaded_is_rejected_kept_and_run_again(tmp_path, fake_workloads,
                                                                                   monkeypatch):
    from benchmarks.harness import samples

    run = run_plan.start_run(request(tmp_path, ["crashes"], processes_per_case=2))
    run.rules.load_gated, run.rules.max_load_retries = True, 2
    loads = iter([0.6, 0.0, 0.0, 0.7, 0.8, 0.9, 0.0, 0.0])  # torch#0 twice, tf#0, torch#1 three times, tf#1

    def loaded(case, repeat, settings, attempt=0):
        sample = real(case, repeat, settings, attempt)
        sample.foreign_cpu_fraction = next(loads)
        return sample

    real = samples.run_process
    monkeypatch.setattr(runner, "run_process", loaded)
    finished = load_run(runner.execute(run, tmp_path))
    torch_samples = samples_of(finished, "crashes", "torch")
    assert [(s.repeat_index, s.attempt, s.admitted) for s in torch_samples] == [
        (0, 0, False), (0, 1, True), (1, 0, False), (1, 1, False), (1, 2, False)]  # retries ran out at repeat 1
    case = next(c for c in finished.cases if c.framework == "torch")
    assert case.summary.processes_ok == 1 and case.summary.processes_rejected == 4
    assert "4 of" in runner.quietness(finished) and "rejected above 10%" in runner.quietness(finished)


def test_a_framework_this_machine_lacks_is_recorded_as_not_measured_never_as_failed(tmp_path, fake_workloads,
                                                                                  monkeypatch):
    """The GPU machine has no TensorFlow: its half of the run is planned, shown, and says why it is empty."""
    from contract.schema import FrameworkRuntime
    from site_scripts.text import labels

    real = provenance.framework_runtimes

    def without_tensorflow(frameworks):
        found = real([fw for fw in frameworks if fw != "tensorflow"])
        return {**found, "tensorflow": FrameworkRuntime(installed=False, reason="tensorflow is not installed")}

    monkeypatch.setattr(provenance, "framework_runtimes", without_tensorflow)
    run = run_to_end(tmp_path, ["crashes"])
    assert run.settings.frameworks_not_installed == ["tensorflow"]
    (tf_case,) = [c for c in run.cases if c.framework == "tensorflow"]
    assert tf_case.samples == [] and tf_case.not_measured == "not measured: TensorFlow is not installed on this machine"
    assert labels.case_status(tf_case) == tf_case.not_measured
    (comparison,) = run.comparisons
    assert comparison.verdict == "not_measured" and labels.verdict_words(comparison) == tf_case.not_measured
    assert samples_of(run, "crashes", "torch")[0].status == "ok"
