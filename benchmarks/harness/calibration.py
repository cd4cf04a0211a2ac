"""Once-per-run measurements, each in its own child: peak matmul per framework and precision, FLOPs per
configuration, and the proof that both implementations compute the same function."""

from __future__ import annotations

import json
from typing import Callable

from benchmarks.harness import shards
from benchmarks.harness.child_process import run_child
from benchmarks.harness.reporting import Reporter
from benchmarks.presets import PRESETS
from contract.schema import FRAMEWORKS, CaseResult, EquivalenceRecord, PeakMatmul, RunResult, RunSettings


def calibrate(run: RunResult, reporter: Reporter, save: Callable[[], None]) -> None:
    """Peak matmul per framework and precision, the equivalence proof, FLOPs per configuration; `save` after each."""
    settings = run.settings
    if not run.peak_matmul:
        reporter.phase("measuring peak matmul FLOP/s")
        precisions = sorted({c.config.get("precision", "fp32") for c in run.cases})
        run.peak_matmul = [measure_peak(framework, settings, precision)
                           for framework in settings.frameworks for precision in precisions]
        save()
    first_shard = settings.shard is None or shards.parse(settings.shard)[0] == 1  # the proof is per code, not machine
    if not run.equivalence and set(FRAMEWORKS) <= set(settings.frameworks) and first_shard:
        for name in settings.workloads:
            reporter.phase(f"proving {name} equivalent in both frameworks")
            run.equivalence.append(check_equivalence(name, PRESETS[settings.preset].sizes_name))
        save()
    flops_by_key: dict[str, float | None] = {}
    for case in run.cases:
        if case.flops_per_step is not None:
            continue
        key = json.dumps([case.workload, {k: v for k, v in case.shared_config.items() if k != "precision"}],
                         sort_keys=True)
        if key not in flops_by_key:
            reporter.phase(f"counting FLOPs of {case.workload} {case.config.get('task')} batch {case.config.get('batch_size')}")
            flops_by_key[key] = count_flops(case, settings)
        case.flops_per_step = flops_by_key[key]
    save()

def measure_peak(framework: str, settings: RunSettings, precision: str) -> PeakMatmul:
    n = PRESETS[settings.preset].matmul_size
    outcome = run_child(["benchmarks.harness.calibration_child", "peak", framework, settings.device, precision, str(n),
                         str(settings.threads)], settings, timeout=300.0)
    common = dict(framework=framework, device=settings.device, precision=precision, matrix_size=n)
    if outcome.result is not None and "unsupported" in outcome.result:
        return PeakMatmul(**common, status="unsupported", reason=outcome.result["unsupported"])
    if outcome.result is not None:
        return PeakMatmul(**common, flops_per_second=outcome.result["flops_per_second"])
    return PeakMatmul(**common, status=outcome.failure_status, reason=outcome.failure_reason)

def count_flops(case: CaseResult, settings: RunSettings) -> float | None:
    """Counted on the PyTorch implementation in eager fp32; None where torch cannot run here."""
    spec = {"workload": case.workload, "device": settings.device, "threads": settings.threads,
            "config": {**case.config, "mode": "eager", "precision": "fp32", "layout": None}}
    outcome = run_child(["benchmarks.harness.calibration_child", "flops"], settings, timeout=600.0, spec=spec)
    return None if outcome.result is None else outcome.result.get("flops")

def check_equivalence(workload: str, preset: str) -> EquivalenceRecord:
    from benchmarks import equivalence

    try:
        report = equivalence.check(workload, preset)
    except Exception as exc:  # recorded, and shown on the site as a failed proof
        return EquivalenceRecord(workload=workload, status="failed", reason=str(exc).strip().splitlines()[-1][:500])
    return EquivalenceRecord(
        workload=workload, status="ok", sizes=report.sizes, optimizer_steps=report.optimizer_steps,
        trainable_parameters=report.trainable_parameters,
        forward_max_abs_diff=report.forward_max_abs_diff, loss_abs_diff=report.loss_abs_diff,
        loss_after_step_abs_diff=report.loss_after_step_abs_diff,
        forward_after_step_max_abs_diff=report.forward_after_step_max_abs_diff,
        weights_after_step_max_abs_diff=report.weights_after_step_max_abs_diff,
        tolerances=report.tolerance.as_dict(), equivalent=report.equivalent,
    )
