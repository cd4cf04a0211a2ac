"""The whole path for real: both frameworks measured, then a strict site build from that very run."""

import json
import re
import subprocess
import sys

import pytest

from benchmarks.schema import complete_runs, load_run
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e

FIGURE = re.compile(r'<script type="application/json"[^>]*data-for="chart-throughput"[^>]*>(.*?)</script>', re.S)


def fwbench(*args):
    done = subprocess.run([sys.executable, "-m", "site_scripts", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_quick_run_of_both_frameworks_lands_on_the_performance_page(tmp_path):
    results, site = tmp_path / "results", tmp_path / "site"
    fwbench("run", "--preset", "quick", "--only", "mlp", "--device", "cpu", "--out", str(results))
    (path,) = complete_runs(results)
    run = load_run(path)
    assert run.status == "complete"
    for case in run.cases:
        assert [s.status for s in case.samples] == ["ok"] * run.settings.processes_per_case, case.samples
        assert case.summary is not None and case.summary.samples_per_second_median > 0
    torch_case, tf_case = sorted(run.cases, key=lambda c: c.framework != "torch")
    # Same data, same initial weights, same optimiser: the loss fingerprints agree closely.
    assert torch_case.summary.final_loss_median == pytest.approx(tf_case.summary.final_loss_median, rel=1e-3)

    fwbench("build", "--results", str(results), "--site-dir", str(site))
    page = (site / "performance" / "index.html").read_text()
    (figure_json,) = FIGURE.findall(page)
    figure = json.loads(figure_json.replace("<\\/", "</"))
    plotted = {trace["name"]: trace["y"] for trace in figure["data"]}
    expected = {"PyTorch": torch_case.summary.samples_per_second_median,
                "TensorFlow": tf_case.summary.samples_per_second_median}
    assert set(plotted) == set(expected)
    for name, value in expected.items():
        assert plotted[name] == [pytest.approx(value)]
    assert run.run_id in page
    assert (site / "assets" / "javascripts" / "plotly.min.js").is_file()
