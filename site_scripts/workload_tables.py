"""The tables under one workload's charts: the same numbers as the chart, and what the chart leaves out.

Each data table holds every case the chart could have drawn, failed ones included with
their status and reason, so a missing point is explained right under the chart.
"""

from __future__ import annotations

from contract.schema import CaseResult, RunResult
from site_scripts import formatting as fmt
from site_scripts import naming, selection, workload_figures


def _processes(case: CaseResult) -> str:
    return f"{case.summary.processes_ok if case.summary else 0} / {len(case.samples)}"


def not_plotted_table(cases: list[CaseResult], why: dict[str, str] | None = None) -> str:
    """Cases the chart above does not draw, with their status and reason ('' when there are none)."""
    if not cases:
        return ""
    why = why or {}
    rows = [
        [fmt.cell(naming.case_label(c)), fmt.cell(naming.task_of(c.config)), fmt.cell(naming.precision_of(c.config)),
         fmt.cell(c.config.get("batch_size")), fmt.cell(why.get(c.case_id) or naming.case_status(c))]
        for c in cases
    ]
    return fmt.table(["not plotted", "task", "precision", "batch", "status and reason"], rows)


# --- training throughput against batch size ---------------------------------------------------


def scaling_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.training_cases(run, workload):
        s = case.summary
        rows.append([
            fmt.cell(naming.series_name(case)),
            fmt.cell(case.config.get("batch_size")),
            fmt.significant(s.samples_per_second_median) if s else fmt.MISSING,
            fmt.significant(s.samples_per_second_q1) if s else fmt.MISSING,
            fmt.significant(s.samples_per_second_q3) if s else fmt.MISSING,
            _processes(case),
            fmt.code_span(case.case_id),
            fmt.cell(naming.case_status(case)),
        ])
    headers = ["line (framework, mode, precision)", "batch", "median (samples/s)", "Q1", "Q3",
               "processes ok / total", "case", "status"]
    return fmt.table(headers, rows)


def scaling_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    return selection.fully_failed(selection.training_cases(run, workload))


# --- speed-up ratio ---------------------------------------------------------------------------


def speedup_data_table(run: RunResult, workload: str) -> str:
    comparisons = selection.comparisons_of(run, workload)
    labels = workload_figures.comparison_labels(run, workload)
    rows = []
    for i, c in enumerate(comparisons):
        if c.verdict == "fingerprints_disagree":
            plotted = "no: final losses disagree"
        elif c.ratio_median is None:
            plotted = "no: no process pair succeeded"
        else:
            plotted = "yes"
        rows.append([
            fmt.cell(labels[i]),
            fmt.cell(f"{naming.framework_name(c.numerator)} {selection.side_mode_label(run, c, True)}"),
            fmt.cell(f"{naming.framework_name(c.denominator)} {selection.side_mode_label(run, c, False)}"),
            fmt.MISSING if c.ratio_median is None else f"{c.ratio_median:.4g}",
            fmt.MISSING if c.ci_low is None else f"{c.ci_low:.4g}",
            fmt.MISSING if c.ci_high is None else f"{c.ci_high:.4g}",
            str(c.n_pairs),
            fmt.cell(naming.fingerprint_text(c, selection.several_steps_per_call(run, c))),
            fmt.cell(naming.verdict_words(c)),
            plotted,
        ])
    level = f"{comparisons[0].confidence_level:.0%}" if comparisons else ""
    headers = ["comparison", "numerator", "denominator", "ratio (median)", f"{level} CI low", f"{level} CI high",
               "process pairs", "final losses (relative difference)", "verdict", "plotted"]
    return fmt.table(headers, rows)


def speedup_not_plotted_table(run: RunResult, workload: str) -> str:
    """Comparisons without a point, and why: no pair of processes succeeded, or the final losses disagree."""
    labels = workload_figures.comparison_labels(run, workload)
    rows = []
    for i, c in enumerate(selection.comparisons_of(run, workload)):
        if c.verdict == "fingerprints_disagree":
            precision = naming.precision_of(c.config)
            difference = (fmt.MISSING if c.fingerprint_relative_difference is None
                          else f"{c.fingerprint_relative_difference:.1e}")
            why = (f"the final losses differ by {difference} (relative), beyond the {precision} tolerance of "
                   f"{c.fingerprint_tolerance:g}")
        elif c.ratio_median is None:
            sides = (f"{naming.framework_name(c.numerator)} {selection.side_mode_label(run, c, True)}, "
                     f"{naming.framework_name(c.denominator)} {selection.side_mode_label(run, c, False)}")
            why = f"no process pair succeeded ({sides})"
        else:
            continue
        rows.append([fmt.cell(labels[i]), fmt.cell(naming.verdict_words(c)), fmt.cell(why)])
    return fmt.table(["not plotted", "verdict", "why"], rows) if rows else ""


# --- compile / trace time ---------------------------------------------------------------------


def compile_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.reference_cases(run, workload):
        s = case.summary
        rows.append([
            fmt.cell(naming.case_label(case)),
            fmt.significant(s.compile_seconds_median) if s and s.compile_seconds_median is not None else fmt.MISSING,
            fmt.significant(s.first_step_seconds_median) if s else fmt.MISSING,
            fmt.significant(s.step_seconds_median) if s else fmt.MISSING,
            str(workload_figures.steps_per_call(case)) if s else fmt.MISSING,
            fmt.cell(workload_figures.mode_details(case)),
            _processes(case),
            fmt.cell(naming.case_status(case)),
        ])
    headers = ["framework and mode", "compile/trace (s)", "first call (s)", "steady step (s)", "steps per call",
               "ran as", "processes ok / total", "status"]
    return fmt.table(headers, rows)


def compile_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    plotted = {c.case_id for c in workload_figures.compile_cases(run, workload)}
    return [c for c in selection.reference_cases(run, workload) if c.case_id not in plotted]


# --- batch-1 inference latency ----------------------------------------------------------------


def latency_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.latency_cases(run, workload):
        s = case.summary
        rows.append([
            fmt.cell(naming.case_label(case)),
            str(len(workload_figures.latency_values_ms(case))),
            fmt.significant(s.latency_p50_seconds * 1000) if s and s.latency_p50_seconds is not None else fmt.MISSING,
            fmt.significant(s.latency_p99_seconds * 1000) if s and s.latency_p99_seconds is not None else fmt.MISSING,
            _processes(case),
            fmt.cell(naming.case_status(case)),
        ])
    headers = ["framework and mode", "calls pooled", "p50 (ms, median over processes)",
               "p99 (ms, median over processes)", "processes ok / total", "status"]
    return fmt.table(headers, rows)


def latency_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    return selection.fully_failed(selection.latency_cases(run, workload))


# --- achieved fraction of peak ----------------------------------------------------------------


def peak_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.throughput_cases(run, workload):
        s = case.summary
        peak = selection.peak_for(run, case.framework, case.device, naming.precision_of(case.config))
        achieved = s.achieved_flops_per_second if s else None
        rows.append([
            fmt.cell(workload_figures.peak_label(case)),
            fmt.significant(achieved / workload_figures.GFLOP) if achieved else fmt.MISSING,
            fmt.significant(peak.flops_per_second / workload_figures.GFLOP) if peak and peak.flops_per_second else fmt.MISSING,
            fmt.percent(s.fraction_of_peak) if s else fmt.MISSING,
            fmt.cell(_peak_status(run, case)),
        ])
    headers = ["case", "achieved (GFLOP/s)", "matmul peak (GFLOP/s)", "fraction of peak", "status"]
    return fmt.table(headers, rows)


def _peak_status(run: RunResult, case: CaseResult) -> str:
    """Why a case has no fraction of peak, or its ordinary status."""
    if case.summary is None or case.summary.fraction_of_peak is not None:
        return naming.case_status(case)
    if not run.settings.calibrate:
        return "no fraction of peak: calibration was skipped in this run"
    if case.flops_per_step is None:
        return "no fraction of peak: FLOPs per step were not counted for this case"
    peak = selection.peak_for(run, case.framework, case.device, naming.precision_of(case.config))
    if peak is None:
        return f"no fraction of peak: no {naming.precision_of(case.config)} matmul peak measured"
    if peak.status != "ok":
        return f"no fraction of peak: the matmul peak measurement {peak.status}: {peak.reason or 'no reason recorded'}"
    return "no fraction of peak recorded"


def peak_not_plotted(run: RunResult, workload: str) -> tuple[list[CaseResult], dict[str, str]]:
    plotted = {c.case_id for c in workload_figures.peak_cases(run, workload)}
    missing = [c for c in selection.throughput_cases(run, workload) if c.case_id not in plotted]
    return missing, {c.case_id: _peak_status(run, c) for c in missing}
