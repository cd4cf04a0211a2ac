"""CUDA paths, run only where a CUDA GPU is visible to torch (skipped on the CPU machines and in CI)."""

import subprocess
import sys

import pytest

from contract.files import complete_runs, load_run
from tests.conftest import REPO_ROOT

torch = pytest.importorskip("torch")
pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU visible to torch")]


def test_torch_cases_run_on_the_gpu_with_device_memory_counters(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fwbench", "run", "--preset", "quick", "--only", "mlp", "--frameworks", "torch",
         "--device", "cuda", "--studies", "none", "--out", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    run = load_run(complete_runs(tmp_path)[-1])
    assert run.settings.device == "cuda" and run.provenance.gpus
    gpu = run.provenance.gpus[0]
    assert gpu.name and gpu.memory_bytes > 0 and gpu.cuda_version
    measured = [c for c in run.cases if c.summary is not None]
    assert measured
    for case in measured:
        assert case.device == "cuda"
        assert case.summary.device_peak_memory_bytes_median > 0
    precisions = {c.config["precision"] for c in run.cases}
    assert {"fp32", "bf16", "fp16"} <= precisions  # fp16 with loss scaling is a GPU configuration
    for case in measured:
        if case.config["precision"] != "fp32":
            assert all(s.precision_path == "native" for s in case.samples if s.status == "ok"), case.case_id
    assert run.provenance.host.hardware_key.endswith(gpu.name)
