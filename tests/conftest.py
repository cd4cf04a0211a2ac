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


@pytest.fixture(scope="session")
def browser():
    """One chromium for the session: Playwright's sync API allows one instance per process, so every browser test
    (test_browser, the hostile-input one) shares this."""
    from playwright.sync_api import Error, sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is not None and not Path(CHROMIUM).is_file():
        pytest.fail(f"FWBENCH_CHROMIUM={CHROMIUM} not found")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"no chromium to drive ({str(exc).splitlines()[0]}): `make test` sets one up "
                        "(tools/browser.sh), or set FWBENCH_CHROMIUM")
        yield launched
        launched.close()
