"""Shard and merge for real: the quick preset split over two 'machines', merged, equal to the unsharded plan."""

import pytest

from benchmarks.harness import run_plan
from contract.files import complete_runs, load_run
from tests.test_e2e import fwbench

pytestmark = pytest.mark.e2e


def test_quick_preset_sharded_in_two_and_merged(tmp_path):
    common = ["--preset", "quick", "--only", "mlp", "--device", "cpu", "--studies", "none", "--skip-calibration"]
    for k in (1, 2):
        fwbench("run", *common, "--shard", f"{k}/2", "--out", str(tmp_path / f"shard{k}"))
    shard_files = [complete_runs(tmp_path / f"shard{k}")[0] for k in (1, 2)]
    fwbench("merge", *map(str, shard_files), "--out", str(tmp_path / "results"))
    (merged_path,) = complete_runs(tmp_path / "results")
    merged = load_run(merged_path)
    plan = run_plan.plan_cases(merged.settings)
    assert [c.case_id for c in merged.cases] == [c.case_id for c in plan]
    assert all(c.samples for c in merged.cases)
    # One process per case in quick: each comparison pairs the two frameworks' processes of one shard.
    assert any(c.n_pairs == 1 for c in merged.comparisons)
