"""The ease_of_use study for real, through `fwbench run` (studies only, PyTorch's examples: about a minute), then a
strict build from that run: every example ran as a notebook in its own kernel, its record validates, the mistakes'
errors point at the example file's own lines, and each example is a notebook page with both downloads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contract.files import complete_runs, load_run
from contract.payloads import EaseOfUseData, payload
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e


def fwbench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fwbench", *args], cwd=REPO_ROOT, capture_output=True, text=True)


def test_the_examples_run_as_notebooks_and_become_pages(tmp_path):
    results, site = tmp_path / "results", tmp_path / "site"
    done = fwbench("run", "--preset", "quick", "--tasks", "none", "--studies", "ease_of_use", "--frameworks", "torch",
                   "--skip-calibration", "--out", str(results))
    assert done.returncode == 0, done.stderr[-2000:]
    run = load_run(complete_runs(results)[0])
    records = run.study_records("ease_of_use")
    assert len(records) >= 7 and all(r.status == "ok" for r in records), [(r.record_id, r.reason) for r in records]
    mistakes: EaseOfUseData = payload(next(r for r in records if r.config["example"] == "mistakes"))
    lines = (REPO_ROOT / mistakes.example).read_text(encoding="utf-8").splitlines()
    raised = [cell for cell in mistakes.cells if cell.expects_error]
    assert raised and all(cell.error is not None for cell in raised)
    for cell in raised:  # the kernel's cell files mapped back: the line is the example file's, with its code
        assert lines[cell.error.line - 1].strip() == cell.error.code
    assert str(REPO_ROOT) not in run.model_dump_json()

    built = fwbench("build", "--results", str(results), "--site-dir", str(site))
    assert built.returncode == 0, built.stderr[-2000:]
    for record in records:
        name = f"{record.config['example']}_torch"
        folder = site / "notebooks" / "ease-of-use" / run.run_id / name
        assert (folder / "index.html").is_file() and (folder / f"{name}.ipynb").is_file() and (folder / f"{name}.py").is_file()
    article = (site / "ease-of-use" / "index.html").read_text(encoding="utf-8")
    assert f"notebooks/ease-of-use/{run.run_id}/mistakes_torch/" in article
