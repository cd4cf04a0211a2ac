"""One measuring child of one case, and what became of it as a ProcessSample: never an exception."""

from __future__ import annotations

from pydantic import ValidationError

from benchmarks.harness.child_process import run_child
from benchmarks.harness.run_plan import utc_now
from contract.schema import CaseResult, ProcessSample, RunSettings


def run_process(case: CaseResult, repeat_index: int, settings: RunSettings, attempt: int = 0) -> ProcessSample:
    """One fresh measuring child; whatever happens to it becomes a ProcessSample, never an exception."""
    latency_case = case.config.get("task") == "infer" and case.config.get("batch_size") == 1
    spec = {
        "workload": case.workload,
        "framework": case.framework,
        "device": case.device,
        "config": case.config,
        "threads": settings.threads,
        "warmup_steps": settings.warmup_steps,
        "measured_steps": settings.latency_calls if latency_case and settings.latency_calls else settings.measured_steps,
    }
    started_utc = utc_now()
    outcome = run_child(["benchmarks.harness.timing_child"], settings, timeout=settings.timeout_seconds, spec=spec)
    common = dict(repeat_index=repeat_index, attempt=attempt, started_utc=started_utc, wall_seconds=outcome.wall_seconds,
                  peak_host_rss_bytes=outcome.peak_host_rss_bytes, peak_host_rss_source=outcome.peak_host_rss_source,
                  foreign_cpu_fraction=outcome.foreign_cpu_fraction, host_rss_timeline=outcome.host_rss_timeline)
    if outcome.failure_status == "timeout":
        return ProcessSample(**common, status="timeout", stderr_tail=outcome.stderr_tail,
                             reason=f"exceeded the {settings.timeout_seconds:g} s per-process timeout and was killed")
    if outcome.result is not None:
        try:
            if outcome.result.get("status") == "ok":
                return ProcessSample(**common, **outcome.result)
            return ProcessSample(**common, stderr_tail=outcome.stderr_tail, **outcome.result)
        except (ValidationError, TypeError) as exc:  # a result outside the format is this process's failure
            problem = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            return ProcessSample(**common, status="crashed", stderr_tail=outcome.stderr_tail,
                                 reason=f"its result does not match the results schema ({problem[:300]})")
    return ProcessSample(**common, status=outcome.failure_status, stderr_tail=outcome.stderr_tail,
                         reason=outcome.failure_reason)
