"""Sharded runs: deterministic split by comparison group, merge back into one run, refusal of a mix."""

import json

import pytest

from benchmarks.harness import run_plan, runner, shard_merge, shards
from contract.files import complete_runs, load_run
from fwbench import cli
from tests.test_runner import request

WORKLOADS = ["crashes", "unsupported", "allocates"]


def test_select_is_every_nth_item_and_rejects_nonsense():
    assert shards.select(list(range(7)), "2/3") == [1, 4]
    assert shards.select(list(range(7)), None) == list(range(7))
    for bad in ("0/2", "3/2", "a/b", "1-2"):
        with pytest.raises(ValueError):
            shards.parse(bad)


def test_shards_partition_the_plan_and_keep_each_comparison_group_together(tmp_path, fake_workloads):
    whole = run_plan.start_run(request(tmp_path, WORKLOADS, modes=None, tasks=None, studies=[]))
    parts = [run_plan.start_run(request(tmp_path, WORKLOADS, modes=None, tasks=None, studies=[], shard=f"{k}/3"))
             for k in (1, 2, 3)]
    ids = [c.case_id for part in parts for c in part.cases]
    assert sorted(ids) == sorted(c.case_id for c in whole.cases) and len(ids) == len(set(ids))
    for part in parts:  # both sides of every shared configuration are on one machine
        groups = {}
        for case in part.cases:
            groups.setdefault((case.workload, tuple(sorted(case.shared_config.items()))), set()).add(case.framework)
        assert all(frameworks == {"torch", "tensorflow"} for frameworks in groups.values())


def run_shards(tmp_path, n=2):
    paths = []
    for k in range(1, n + 1):
        out = tmp_path / f"shard{k}"
        run = run_plan.start_run(request(out, WORKLOADS, shard=f"{k}/{n}", studies=[]))
        paths.append(runner.execute(run, out))
    return paths


def test_merged_shards_are_one_run_with_comparisons_recomputed(tmp_path, fake_workloads):
    paths = run_shards(tmp_path)
    merged_path = shard_merge.merge_shard_files(paths, tmp_path / "results", "fwbench merge")
    merged = load_run(merged_path)
    whole = run_plan.start_run(request(tmp_path, WORKLOADS, studies=[]))
    assert [c.case_id for c in merged.cases] == [c.case_id for c in whole.cases]
    assert merged.settings.shard is None
    assert merged.settings.merged_from == [load_run(p).run_id for p in paths]
    assert {c.workload for c in merged.comparisons} == {"crashes", "unsupported", "allocates"}
    assert complete_runs(tmp_path / "results") == [merged_path]


def test_a_shard_from_other_versions_or_a_missing_shard_is_refused_in_one_line(tmp_path, fake_workloads, capsys):
    first, second = run_shards(tmp_path)
    raw = json.loads(second.read_text())
    raw["provenance"]["packages"]["torch"] = "0.0.1"
    second.write_text(json.dumps(raw))
    assert cli.main(["merge", str(first), str(second), "--out", str(tmp_path / "results")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "differ in framework versions" in error and "0.0.1" in error
    assert cli.main(["merge", str(first), "--out", str(tmp_path / "results")]) == 1
    assert "need shards 1/2 to 2/2" in capsys.readouterr().err
    assert not (tmp_path / "results").exists() or not complete_runs(tmp_path / "results")


def test_bad_shard_option_is_one_line(tmp_path, capsys):
    assert cli.main(["run", "--shard", "3/2", "--out", str(tmp_path)]) != 0
    assert "--shard" in capsys.readouterr().err


def test_the_site_never_shows_a_shard_on_its_own(tmp_path, fake_workloads):
    from mkdocs.exceptions import PluginError

    from site_scripts import hooks

    first, _ = run_shards(tmp_path)
    with pytest.raises(PluginError, match="only shards"):
        hooks.all_runs(first.parent)
