"""A made-up but valid RunResult for tests of everything that reads results.

The numbers are invented and distinct (no two medians alike), so a test can find each
one in a rendered table or figure and know where it came from.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from benchmarks.schema import (
    SCHEMA_VERSION,
    CaseResult,
    CaseSummary,
    FrameworkComparison,
    HostInfo,
    ProcessSample,
    Provenance,
    RunResult,
    RunSettings,
    WorkloadInfo,
)

STARTED = datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)
PROCESSES = 4
MIB = 2**20
SIZES = {"n_samples": 1024, "input_dim": 128, "hidden_units": 256, "hidden_layers": 2, "n_classes": 10}

# (batch size, framework) -> (samples/s q1, median, q3, final loss)
THROUGHPUT = {
    (128, "torch"): (5012.5, 5123.4, 5240.0, 2.301234),
    (128, "tensorflow"): (4210.0, 4321.5, 4400.25, 2.301301),
    (256, "torch"): (8790.0, 8901.2, 9050.5, 2.298765),
    (256, "tensorflow"): (8650.0, 8765.4, 8880.0, 2.298801),
    (4096, "torch"): (9300.0, 9412.3, 9500.0, 2.297111),
}
FAILED_BATCH = 4096  # TensorFlow times out here when with_failure=True
FAILURE_REASON = "killed after 600 s | no step finished"
FAILURE_STDERR = "Traceback (most recent call last):\n  File \"impl.py\", line 1\nRuntimeError: </script> out of time"


def _ok_sample(repeat_index: int, framework: str, batch: int, samples_per_second: float, loss: float) -> ProcessSample:
    step = batch / samples_per_second
    return ProcessSample(
        repeat_index=repeat_index,
        status="ok",
        started_utc=STARTED + timedelta(seconds=10 * repeat_index),
        wall_seconds=8.5,
        peak_host_rss_bytes=(600 + repeat_index) * MIB,
        framework_version="2.5.1" if framework == "torch" else "2.18.0",
        device_name="cpu",
        intra_op_threads=4,
        inter_op_threads=1,
        first_step_seconds=0.75 if framework == "torch" else 1.25,
        step_seconds=[step * f for f in (0.99, 1.0, 1.01, 1.0)],
        final_loss=loss,
    )


def _ok_case(framework: str, batch: int) -> CaseResult:
    q1, median, q3, loss = THROUGHPUT[(batch, framework)]
    samples = [_ok_sample(i, framework, batch, median, loss) for i in range(PROCESSES)]
    return CaseResult(
        case_id=f"mlp/{framework}/batch{batch}",
        workload="mlp",
        framework=framework,
        device="cpu",
        config={**SIZES, "batch_size": batch},
        samples=samples,
        summary=CaseSummary(
            processes_ok=PROCESSES,
            processes_failed=0,
            step_seconds_median=batch / median,
            step_seconds_q1=batch / q3,
            step_seconds_q3=batch / q1,
            within_process_iqr_over_median=0.01,
            samples_per_second_median=median,
            samples_per_second_q1=q1,
            samples_per_second_q3=q3,
            first_step_seconds_median=0.75 if framework == "torch" else 1.25,
            peak_host_rss_bytes_median=601 * MIB,
            final_loss_median=loss,
        ),
    )


def _failed_case(framework: str) -> CaseResult:
    """Every process of this case timed out: no summary, only failures."""
    samples = [
        ProcessSample(
            repeat_index=i,
            status="timeout",
            reason=FAILURE_REASON,
            stderr_tail=FAILURE_STDERR,
            started_utc=STARTED + timedelta(minutes=5 + i),
            wall_seconds=600.0,
        )
        for i in range(PROCESSES)
    ]
    return CaseResult(
        case_id=f"mlp/{framework}/batch{FAILED_BATCH}",
        workload="mlp",
        framework=framework,
        device="cpu",
        config={**SIZES, "batch_size": FAILED_BATCH},
        samples=samples,
        summary=None,
    )


def _comparison(batch: int, ratio: float | None, ci: tuple[float, float] | None, verdict: str, n_pairs: int) -> FrameworkComparison:
    return FrameworkComparison(
        workload="mlp",
        device="cpu",
        config={**SIZES, "batch_size": batch},
        numerator="torch",
        denominator="tensorflow",
        n_pairs=n_pairs,
        ratio_median=ratio,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        confidence_level=0.95,
        verdict=verdict,
    )


def made_up_run(*, with_failure: bool = False, run_id: str = "20260101T000000Z-abc123") -> RunResult:
    """Two frameworks on two batch sizes, one comparison each; optionally a third batch size
    on which every TensorFlow process timed out (PyTorch measured fine)."""
    cases = [_ok_case(fw, batch) for batch in (128, 256) for fw in ("torch", "tensorflow")]
    comparisons = [
        _comparison(128, 0.8435, (0.8123, 0.8765), "numerator_faster", PROCESSES),
        _comparison(256, 0.9847, (0.9511, 1.0234), "tie", PROCESSES),
    ]
    if with_failure:
        cases += [_ok_case("torch", FAILED_BATCH), _failed_case("tensorflow")]
        comparisons.append(_comparison(FAILED_BATCH, None, None, "insufficient_data", 0))
    return RunResult(
        schema_version=SCHEMA_VERSION,
        run_id=run_id,
        status="complete",
        started_utc=STARTED,
        finished_utc=STARTED + timedelta(minutes=42, seconds=7),
        command="fwbench run --preset quick",
        workloads={"mlp": WorkloadInfo(title="MLP classifier", description="A made-up description.",
                                       hyperparameters={"optimizer": "sgd_momentum", "learning_rate": 0.0123})},
        settings=RunSettings(
            preset="quick",
            workloads=["mlp"],
            frameworks=["torch", "tensorflow"],
            device_requested="auto",
            device="cpu",
            processes_per_case=PROCESSES,
            warmup_steps=5,
            measured_steps=20,
            timeout_seconds=600.0,
            threads=4,
        ),
        provenance=Provenance(
            git_commit="0123456789abcdef0123456789abcdef01234567",
            git_dirty=False,
            code_hash="sha256:feedfacecafebeef",
            python_version="3.11.7",
            packages={"torch": "2.5.1", "tensorflow": "2.18.0", "numpy": "2.1.3"},
            host=HostInfo(
                cpu_model="Made-Up CPU 9000 @ 3.00GHz",
                logical_cpus=16,
                usable_cpus=8,
                physical_cores=8,
                ram_bytes=64 * 2**30,
                os="Linux-6.1.0-made-up-x86_64",
                machine="x86_64",
            ),
            gpus=[],
        ),
        cases=cases,
        comparisons=comparisons,
    )
