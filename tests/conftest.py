import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_workloads(monkeypatch):
    """Make the deliberately broken workloads discoverable, here and in every child process."""
    from benchmarks import registry

    monkeypatch.setenv("FWBENCH_EXTRA_WORKLOADS", "tests.fake_workloads")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    registry._discover.cache_clear()
    yield
    registry._discover.cache_clear()
