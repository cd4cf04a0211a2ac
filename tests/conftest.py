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


@pytest.fixture(scope="session")
def committed_site(tmp_path_factory) -> Path:
    """The site built once per session from the committed results/ (the browser and golden tests share it)."""
    from site_scripts.site_build import build_site

    site_dir = tmp_path_factory.mktemp("committed") / "site"
    build_site(REPO_ROOT / "results", site_dir)
    return site_dir
