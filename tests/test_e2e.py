"""The whole path for real: every workload measured in both frameworks, then a strict site build from that very run."""

import json
import os
import re
import subprocess
import sys

import pytest

from benchmarks import registry
from contract.files import complete_runs, load_run
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e


def fwbench(*args):
    done = subprocess.run([sys.executable, "-m", "fwbench", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=3000)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def figure(page: str, chart_id: str) -> dict:
    pattern = re.compile(rf'<script type="application/json"[^>]*data-for="{re.escape(chart_id)}"[^>]*>(.*?)</script>', re.S)
    (payload,) = pattern.findall(page)
    return json.loads(payload)


@pytest.fixture(scope="module")
def quick_run_and_site(tmp_path_factory):
    """One quick-preset run of every workload (the CI run of the whole case matrix), then the site from it."""
    root = tmp_path_factory.mktemp("e2e")
    results, site = root / "results", root / "site"
    done = fwbench("run", "--preset", "quick", "--device", "cpu", "--out", str(results))
    (path,) = complete_runs(results)
    run = load_run(path)
    assert done.stdout.strip() == run.run_id  # the one stdout line: what `make site` passes to the build
    built = fwbench("build", "--results", str(results), "--site-dir", str(site), "--default-run", run.run_id)
    assert built.stdout.strip().splitlines()[-1].startswith(f"every page with a run selector shows run {run.run_id}")
    return run, site


def test_every_workload_ran_in_both_frameworks(quick_run_and_site):
    run, _ = quick_run_and_site
    assert run.status == "complete"
    for workload in registry.workloads():
        for framework in ("torch", "tensorflow"):
            cases = [c for c in run.cases if c.workload == workload and c.framework == framework]
            assert cases, (workload, framework)
            default = [c for c in cases if c.config["task"] == "train" and c.config["precision"] == "fp32"
                       and c.config["mode"] in ("eager", "function")]
            assert default and all(c.summary is not None for c in default), default
    for case in run.cases:
        for sample in case.samples:
            assert sample.status == "ok" or sample.reason, sample  # a failure always says why


def test_both_frameworks_computed_the_same_function(quick_run_and_site):
    run, _ = quick_run_and_site
    assert {e.workload for e in run.equivalence} == set(registry.workloads())
    for record in run.equivalence:
        assert record.status == "ok" and record.equivalent, record
    for comparison in run.comparisons:
        assert comparison.fingerprints_agree is not False, comparison


def test_the_compiled_training_step_computes_what_the_eager_step_computes(quick_run_and_site):
    """compile_step hands forward, loss, backward and optimizer step to torch.compile whole: its final loss after the
    same steps must match eager's within the run's tolerance, and each process says how it compiled."""
    run, _ = quick_run_and_site
    compiled = [c for c in run.cases if c.config.get("mode") == "compile_step"]
    assert {c.workload for c in compiled} == set(registry.workloads())
    for case in compiled:
        assert case.summary is not None, case.failures
        assert case.summary.agrees_with_default_path is True, (case.case_id, case.summary.final_loss_vs_default_path)
        for sample in case.samples:
            assert "torch.compile of the whole training step" in sample.mode_detail
            assert "fullgraph=" in sample.mode_detail and sample.graph_breaks is not None
            assert sample.optimizer_implementation == "torch.optim.SGD(foreach=True)"
            assert len(sample.warmup_seconds) == run.settings.warmup_steps


def test_performance_page_plots_this_runs_numbers(quick_run_and_site):
    run, site = quick_run_and_site
    page = (site / "performance" / "index.html").read_text()
    assert run.run_id in page
    for workload in registry.workloads():
        plotted = {trace["name"]: trace["y"] for trace in figure(page, f"chart-{workload}-throughput-vs-batch")["data"]}
        for framework, name, mode in (("torch", "PyTorch", "eager"), ("tensorflow", "TensorFlow", "function")):
            (case,) = [c for c in run.cases if c.workload == workload and c.framework == framework
                       and c.config["task"] == "train" and c.config["precision"] == "fp32"
                       and c.config["mode"] == mode and c.config.get("layout") in (None, "channels_last")]
            layout = f" · {case.config['layout']}" if case.config.get("layout") else ""
            trace = f"{name} {mode}{layout} · fp32"
            assert plotted[trace] == [pytest.approx(case.summary.samples_per_second_median)], trace
    assert (site / "assets" / "javascripts" / "plotly.min.js").is_file()


def test_max_autotune_compiles_the_same_training_step(tmp_path):
    """compile_step_autotune (left out of quick runs) is compile_step with mode='max-autotune': run it once at the
    quick MLP's size beside eager, through the timing child, and require the same final loss."""
    workload = registry.workloads()["mlp"]
    sizes = workload.preset("quick")
    outcomes = {}
    for mode in ("eager", "compile_step_autotune"):
        spec = {"workload": "mlp", "framework": "torch", "device": "cpu", "threads": 2, "warmup_steps": 2,
                "measured_steps": 3, "config": {**sizes.model, "task": "train", "precision": "fp32", "mode": mode,
                                                "batch_size": sizes.batch_size}}
        (tmp_path / f"{mode}.json").write_text(json.dumps(spec))
        env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": str(tmp_path / f"inductor-{mode}")}
        subprocess.run([sys.executable, "-m", "benchmarks.harness.timing_child", str(tmp_path / f"{mode}.json"),
                        str(tmp_path / f"{mode}.out.json")], cwd=REPO_ROOT, env=env, timeout=900, capture_output=True)
        outcomes[mode] = json.loads((tmp_path / f"{mode}.out.json").read_text())
    tuned = outcomes["compile_step_autotune"]
    assert tuned["status"] == "ok", tuned.get("reason")
    assert "mode max-autotune" in tuned["mode_detail"]
    assert tuned["final_loss"] == pytest.approx(outcomes["eager"]["final_loss"], rel=1e-3)
