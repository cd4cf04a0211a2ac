"""History across releases on made-up runs: matched cases, noise-aware verdicts, the page from all runs."""

import json

import pytest

from contract.files import load_run
from site_scripts import placeholders
from site_scripts.analysis import history
from tests.conftest import REPO_ROOT
from tests.made_up_results import made_up_run


def release_of(version: str, run_id: str, torch_speedup: float = 1.0):
    run = made_up_run(run_id=run_id)
    run.provenance.packages["tensorflow"] = version
    for case in run.cases:
        case.config.update({"task": "train", "precision": "fp32",
                            "mode": "eager" if case.framework == "torch" else "function"})
        for sample in case.samples:
            sample.framework_version = version if case.framework == "tensorflow" else sample.framework_version
            if case.framework == "torch":
                sample.step_seconds = [s / torch_speedup for s in sample.step_seconds]
    return run


def test_a_change_beyond_the_noise_is_flagged_and_an_unchanged_figure_is_not():
    old = release_of("2.20.0", "20260101T000000Z-old000")
    new = release_of("2.21.0", "20260201T000000Z-new000", torch_speedup=1.3)
    throughput = {(c.framework, c.case_id): c for c in history.changes(old, new) if c.metric.key == "throughput"}
    torch_change = throughput[("torch", "mlp/torch/batch128")]
    assert torch_change.ratio > 1.25 and torch_change.verdict == "better" and torch_change.ci_low > 1
    tf_change = throughput[("tensorflow", "mlp/tensorflow/batch128")]
    assert tf_change.verdict == "within noise" and tf_change.ci_low <= 1 <= tf_change.ci_high


def test_the_previous_release_is_the_newest_run_with_other_versions_on_the_same_hardware():
    older = release_of("2.19.0", "20251201T000000Z-oldest")
    old = release_of("2.20.0", "20260101T000000Z-old000")
    rerun = release_of("2.21.0", "20260115T000000Z-rerun0")
    new = release_of("2.21.0", "20260201T000000Z-new000")
    other_machine = release_of("2.18.0", "20260301T000000Z-gpu000")
    other_machine.provenance.host.cpu_model = "Another CPU"
    other_machine.provenance.host.hardware_key = "Another CPU × 8 CPUs / no GPU"
    pairs = {(a.run_id, b.run_id) for a, b in history.release_pairs([older, old, rerun, new, other_machine])}
    assert ("20260101T000000Z-old000", "20260201T000000Z-new000") in pairs
    assert not any(b == "20260301T000000Z-gpu000" for _, b in pairs)


def test_history_page_renders_from_all_runs_including_an_old_schema_file(tmp_path):
    v1 = load_run(REPO_ROOT / "tests" / "fixtures" / "schema_v1_run.json")
    old, new = release_of("2.20.0", "20260101T000000Z-old000"), release_of("2.21.0", "20260201T000000Z-new000", 1.3)
    placeholders.load_pages()
    page = placeholders.fill_placeholders("{{ fwbench.history }}", [v1, old, new], page="history.md")
    assert v1.run_id in page and "fwbench-icon-better" in page and "better" in page and "within noise" in page
    assert "chart-history-throughput" in page
    figures = [json.loads(chunk.split(">", 1)[1].split("</script>")[0])
               for chunk in page.split('data-for="chart-history-throughput')[1:]]
    # A case measured in both releases is one line through two runs.
    assert any(len(trace["x"]) == 2 for figure in figures for trace in figure["data"])


def test_an_older_release_measured_later_is_still_before_and_small_drift_is_not_flagged():
    newer_release_first = release_of("2.21.0", "20260101T000000Z-tf2210")
    older_release_later = release_of("2.20.0", "20260201T000000Z-tf2200", torch_speedup=1.01)
    ((before, after),) = history.release_pairs([newer_release_first, older_release_later])
    assert (before.run_id, after.run_id) == ("20260201T000000Z-tf2200", "20260101T000000Z-tf2210")
    torch = [c for c in history.changes(before, after) if c.framework == "torch" and c.metric.key == "throughput"]
    assert torch and all(c.verdict == "within noise" for c in torch)  # 1 % is drift, not a change


def test_history_marks_a_pair_measured_with_different_code_and_names_the_files():
    from site_scripts.tables import history_changes

    old, new = release_of("2.20.0", "20260101T000000Z-old000"), release_of("2.21.0", "20260201T000000Z-new000")
    old.provenance.code_files = {"benchmarks/harness/timing_child.py": "a", "benchmarks/workloads/mlp/x.py": "b",
                                 "benchmarks/studies/export/cells.py": "c"}
    new.provenance.code_files = {**old.provenance.code_files, "benchmarks/studies/export/cells.py": "changed"}
    assert all(not c.code.changed and c.code.known for c in history.changes(old, new))  # a study edit is no case's
    new.provenance.code_files["benchmarks/harness/timing_child.py"] = "changed"
    found = history.changes(old, new)
    assert found and all(c.code.files == ("benchmarks/harness/timing_child.py",) for c in found)
    assert "benchmarks/harness/timing\\_child.py" not in history_changes.changes_table(old, new)  # named once, above
    assert "fwbench-icon-warning" in history_changes.changes_table(old, new)
    assert "code changed (1 file" in history_changes.changes_table(old, new)
    assert "`benchmarks/harness/timing_child.py`" in history_changes.code_summary(old, new)
    old.provenance.code_files, old.provenance.git_commit = {}, None
    assert all(not c.code.known for c in history.changes(old, new))
    assert "is not known" in history_changes.code_summary(old, new)


def test_the_committed_release_pair_is_marked_as_changed_code():
    """TF 2.20 and 2.21 were measured on two sides of a change to the timing loop (child.py): History says so."""
    import subprocess

    from contract.files import complete_runs

    runs = [load_run(p) for p in complete_runs(REPO_ROOT / "results")]
    pairs = history.release_pairs(runs)
    if subprocess.run(["git", "cat-file", "-e", f"{pairs[0][0].provenance.git_commit}^{{commit}}"], cwd=REPO_ROOT,
                      capture_output=True).returncode != 0:
        pytest.skip("this checkout does not have the committed runs' commits (a shallow clone)")
    found = history.changes(*pairs[0])
    assert found and all(c.code.known and "benchmarks/harness/child.py" in c.code.files for c in found)
