"""Once-per-run measurements, each in its own child: peak matmul per framework and precision, FLOPs per
configuration, and the proof that both implementations compute the same function."""

from __future__ import annotations

import json
from typing import Callable

from benchmarks import registry
from benchmarks.harness import shards
from benchmarks.harness.child_process import run_child
from benchmarks.harness.reporting import Reporter
from benchmarks.presets import PRESETS
from benchmarks.workload import step_flops

# The declared formula and the counter count the same products (both are integer sums far below 2**53), so they
# agree to rounding: a larger difference is a missing or extra term, and the case gets no fraction of peak.
FLOPS_TOLERANCE = 1e-9
from contract.schema import FRAMEWORKS, CallOverhead, CaseResult, EquivalenceRecord, PeakMatmul, RunResult, RunSettings


def calibrate(run: RunResult, reporter: Reporter, save: Callable[[], None]) -> None:
    """Peak matmul per framework and precision, the equivalence proof, FLOPs per configuration; `save` after each."""
    settings = run.settings
    if not run.peak_matmul:
        reporter.phase("measuring peak matmul FLOP/s")
        precisions = sorted({c.config.get("precision", "fp32") for c in run.cases})
        installed = [fw for fw in settings.frameworks if fw not in settings.frameworks_not_installed]
        run.peak_matmul = [measure_peak(framework, settings, precision)
                           for framework in installed for precision in precisions]
        save()
    if not run.call_overhead:
        reporter.phase("measuring each mode's per-call overhead")
        modes = sorted({(c.framework, str(c.config.get("mode"))) for c in run.cases
                        if c.config.get("task") == "infer" and c.config.get("batch_size") == 1 and not c.not_measured})
        run.call_overhead = [measure_call_overhead(framework, mode, settings) for framework, mode in modes]
        save()
    first_shard = settings.shard is None or shards.parse(settings.shard)[0] == 1  # the proof is per code, not machine
    both = set(FRAMEWORKS) <= set(settings.frameworks) and not settings.frameworks_not_installed
    if not run.equivalence and both and first_shard:
        for name in settings.workloads:
            reporter.phase(f"proving {name} equivalent in both frameworks")
            run.equivalence.append(check_equivalence(name, PRESETS[settings.preset].sizes_name))
        save()
    counted_by_key: dict[str, float | None] = {}
    workloads = registry.workloads()
    for case in run.cases:
        if case.flops_verified is not None:
            continue
        workload = workloads[case.workload]
        config = {k: v for k, v in case.shared_config.items() if k != "precision"}
        key = json.dumps([case.workload, {k: v for k, v in config.items() if k != "task"}], sort_keys=True)
        if key not in counted_by_key:
            reporter.phase(f"checking the FLOP formula of {case.workload} at batch {case.config.get('batch_size')}")
            counted_by_key[key] = count_flops(case, settings)
        counted = counted_by_key[key]
        forward = step_flops(workload, {**config, "task": "infer"})
        case.flops_counted_forward = counted
        case.flops_verified = bool(forward and counted and abs(forward - counted) <= FLOPS_TOLERANCE * forward)
        case.flops_per_step = step_flops(workload, config) if case.flops_verified else None
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

def measure_call_overhead(framework: str, mode: str, settings: RunSettings) -> CallOverhead:
    outcome = run_child(["benchmarks.harness.calibration_child", "overhead", framework, settings.device, mode,
                         str(settings.threads)], settings, timeout=300.0)
    common = dict(framework=framework, device=settings.device, mode=mode)
    if outcome.result is not None and "unsupported" in outcome.result:
        return CallOverhead(**common, status="unsupported", reason=outcome.result["unsupported"])
    if outcome.result is not None:
        return CallOverhead(**common, seconds_per_call=outcome.result["seconds_per_call"])
    return CallOverhead(**common, status=outcome.failure_status, reason=outcome.failure_reason)


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
