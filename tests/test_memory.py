"""Memory by phase and the largest-batch search, on a fake workload that holds a known number of MiB."""

import os

from benchmarks.harness import run_plan, runner
from benchmarks.studies.max_batch import search_largest_batch
from contract.files import load_run
from tests.fake_workloads.allocates import BATCH_LIMIT, MIB, MiB_PER_SAMPLE
from tests.test_runner import request

TOLERANCE = 3 * MIB  # allocator and interpreter noise around a deliberate allocation
# /proc/PID/statm and the kernel's high-water mark both read RSS from per-CPU counters (Linux 6.2 on), whose read
# value may be off by the batch, max(32, 2 × CPUs) pages, on every CPU, either way; RSS sums three of them (file,
# anon, shmem), and the two figures are two such reads. A fixed 256 KiB was one counter's bound on 2 CPUs, and CI
# once saw statm 264 KiB above the high-water mark.
_CPUS = os.cpu_count() or 1
COUNTER_SLACK = 2 * 3 * max(32, 2 * _CPUS) * _CPUS * os.sysconf("SC_PAGE_SIZE")


def test_each_phase_of_a_process_is_accounted_from_its_own_rss(tmp_path, fake_workloads):
    run = run_plan.start_run(request(tmp_path, ["allocates"], studies=[]))
    run = load_run(runner.execute(run, tmp_path))
    for case in run.cases:
        (sample,) = case.samples
        phases, per_sample = sample.memory_phases, MiB_PER_SAMPLE[case.framework] * MIB
        assert list(phases) == ["harness", "import", "build", "steady"]
        built = phases["build"] - phases["import"]
        assert abs(built - 8 * per_sample) < TOLERANCE, (case.framework, built)
        assert abs(phases["steady"] - phases["build"] - 4 * per_sample) < TOLERANCE
        assert sample.peak_host_rss_source == "child"
        assert phases["steady"] <= sample.peak_host_rss_bytes + COUNTER_SLACK
        seconds = list(sample.phase_seconds.values())
        assert seconds == sorted(seconds) and seconds[0] >= 0
        # Sampled from outside: never above the kernel's own peak, and it saw the build.
        sampled_peak = max(b for _, b in sample.host_rss_timeline)
        assert phases["build"] - TOLERANCE < sampled_peak <= sample.peak_host_rss_bytes + COUNTER_SLACK


def test_the_search_doubles_then_bisects_to_within_its_resolution():
    tried = []

    def attempt(batch):
        tried.append(batch)
        return ("ok", None) if batch <= 100 else ("out_of_memory", "CUDA out of memory")

    found = search_largest_batch(8, attempt, resolution=1 / 16)
    assert tried[:5] == [8, 16, 32, 64, 128]
    assert found.largest_fitting <= 100 < found.smallest_failing
    assert found.smallest_failing - found.largest_fitting <= max(1, found.largest_fitting // 16)
    assert [a.batch_size for a in found.attempts] == tried


def test_a_crash_stops_the_search_and_is_not_taken_for_a_full_device():
    found = search_largest_batch(8, lambda b: ("ok", None) if b < 32 else ("crashed", "segfault"))
    assert found.largest_fitting == 16 and found.smallest_failing is None
    assert "crashed" in found.stopped_because


def test_even_the_first_batch_not_fitting_is_reported_as_such():
    found = search_largest_batch(8, lambda b: ("out_of_memory", None))
    assert found.largest_fitting is None and found.smallest_failing == 1


def test_the_search_survives_out_of_memory_children_in_a_real_run(tmp_path, fake_workloads):
    run = run_plan.start_run(request(tmp_path, ["allocates"], studies=["max_batch"]))
    run = load_run(runner.execute(run, tmp_path))
    records = run.study_records("max_batch")
    assert {(r.framework, r.config["precision"]) for r in records} == {
        (f, p) for f in ("torch", "tensorflow") for p in ("fp32", "bf16")}
    for record in records:
        assert record.status == "ok"
        limit = BATCH_LIMIT[record.framework]
        assert record.data["largest_fitting"] <= limit < record.data["smallest_failing"]
        assert any(a["status"] == "out_of_memory" and "does not fit" in a["reason"] for a in record.data["attempts"])


def test_the_largest_batch_search_is_bounded_by_memory_not_by_the_data_sets_size():
    """An attempt at batch 4096 on a workload declaring 1024 samples gets 4096 samples, not a crash (issue 18)."""
    from benchmarks.studies.max_batch import drive
    from benchmarks.study import ProbeOutcome, StudyTask

    seen = []

    def probe(workload, framework, config):
        seen.append(config)
        return ProbeOutcome("ok", None) if config["batch_size"] <= 4096 else ProbeOutcome("out_of_memory", "too big")

    task = StudyTask("torch", "mlp", {"sizes": "quick", "start_batch": 128, "precision": "fp32", "mode": "eager"}, 60.0)
    data = drive(task, probe)
    assert data["largest_fitting"] >= 4096 and data["stopped_because"].startswith("bracketed")
    assert all(c["n_samples"] >= c["batch_size"] for c in seen)
