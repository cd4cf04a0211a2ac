"""The chart data the site publishes from the committed runs, against a reviewed manifest.

Every chart's numbers are written as data/<page>/<chart>.json and .csv; their hashes are in
tests/golden/chart_data.sha256. A refactor must leave them alone; a change that means to alter a chart
regenerates the manifest (FWBENCH_UPDATE_GOLDEN=1) and says in its commit which charts changed and why.
The failure lists exactly which files changed, appeared or went.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import REPO_ROOT

MANIFEST = REPO_ROOT / "tests" / "golden" / "chart_data.sha256"

pytestmark = pytest.mark.e2e


def digests(site_dir) -> dict[str, str]:
    root = site_dir / "data"
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_published_chart_data_matches_the_reviewed_manifest(committed_site):
    built = digests(committed_site)
    if os.environ.get("FWBENCH_UPDATE_GOLDEN"):
        MANIFEST.write_text("".join(f"{digest}  {path}\n" for path, digest in built.items()), encoding="utf-8")
    expected = dict(reversed(line.split("  ", 1)) for line in MANIFEST.read_text(encoding="utf-8").splitlines())
    changed = sorted(p for p in built.keys() & expected.keys() if built[p] != expected[p])
    added, gone = sorted(built.keys() - expected.keys()), sorted(expected.keys() - built.keys())
    assert not (changed or added or gone), (
        f"chart data changed: {changed}; new: {added}; gone: {gone}. If that is intended, rerun with "
        f"FWBENCH_UPDATE_GOLDEN=1 and say in the commit which charts changed and why.")
