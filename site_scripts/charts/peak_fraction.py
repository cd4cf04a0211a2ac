"""Achieved FLOP/s as a fraction of the same framework's measured matmul peak at the same precision; and the table
saying, for a case without one, why.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import section, style
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

GFLOP = 1e9


PEAK_HOVER = (
    "<b>%{y}</b><br>"
    "%{x:.1%} of the measured matmul peak<br>"
    "achieved %{customdata[0]:,.4g} GFLOP/s; peak %{customdata[1]:,.4g} GFLOP/s (%{customdata[2]})<br>"
    "case %{customdata[3]}"
    "<extra></extra>"
)


def peak_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """Training and large-batch inference cases with a fraction of peak to show."""
    return [c for c in selection.throughput_cases(run, workload)
            if c.summary is not None and c.summary.fraction_of_peak is not None]


def peak_label(case: CaseResult) -> str:
    """'train · fp32 · batch 128 · PyTorch eager'."""
    config = case.config
    return (f"{labels.task_of(config)} · {labels.precision_of(config)} · batch {config.get('batch_size')} · "
            f"{labels.case_label(case)}")


def peak_text(run: RunResult, case: CaseResult) -> str:
    peak = selection.peak_for(run, case.framework, case.device, labels.precision_of(case.config))
    if peak is None:
        return "no peak measured"
    return f"{labels.framework_name(peak.framework)} {peak.precision} matmul, n = {peak.matrix_size}"


def peak_fraction_figure(run: RunResult, workload: str) -> go.Figure:
    """Horizontal bars: achieved FLOP/s over the framework's own measured matmul peak for the precision."""
    cases = peak_cases(run, workload)
    figure = go.Figure()
    for framework in labels.frameworks(run):
        members = [c for c in cases if c.framework == framework]
        if not members:
            continue
        peaks = [selection.peak_for(run, c.framework, c.device, labels.precision_of(c.config)) for c in members]
        figure.add_trace(go.Bar(
            name=labels.framework_name(framework),
            orientation="h",
            y=[peak_label(c) for c in members],
            x=[c.summary.fraction_of_peak for c in members],
            customdata=[
                [style.rounded(c.summary.achieved_flops_per_second / GFLOP) if c.summary.achieved_flops_per_second else None,
                 style.rounded(p.flops_per_second / GFLOP) if p and p.flops_per_second else None,
                 peak_text(run, c), c.case_id]
                for c, p in zip(members, peaks)
            ],
            hovertemplate=PEAK_HOVER,
            marker={"color": style.framework_colour(framework)},
        ))
    figure.update_layout(**style.base_layout(
        "Achieved fraction of the matmul peak",
        xaxis=style.value_axis("fraction of the framework's matmul peak (dashed line: the peak)", tickformat=".0%",
                         rangemode="tozero"),
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        barmode="overlay",
        shapes=[style.reference_line("x", 1.0)],
        legend={"title": {"text": "framework"}},
        height=style.chart_height(len(cases)),
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure


def peak_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.throughput_cases(run, workload):
        s = case.summary
        peak = selection.peak_for(run, case.framework, case.device, labels.precision_of(case.config))
        achieved = s.achieved_flops_per_second if s else None
        rows.append([
            fmt.code_aware_cell(peak_label(case)),
            fmt.significant(achieved / GFLOP) if achieved else fmt.MISSING,
            fmt.significant(peak.flops_per_second / GFLOP) if peak and peak.flops_per_second else fmt.MISSING,
            fmt.percent(s.fraction_of_peak) if s else fmt.MISSING,
            fmt.code_aware_cell(peak_status(run, case)),
        ])
    headers = ["case", "achieved (GFLOP/s)", "matmul peak (GFLOP/s)", "fraction of peak", "status"]
    return fmt.table(headers, rows)


def peak_status(run: RunResult, case: CaseResult) -> str:
    """Why a case has no fraction of peak, or its ordinary status."""
    if case.summary is None or case.summary.fraction_of_peak is not None:
        return labels.case_status(case)
    if not run.settings.calibrate:
        return "no fraction of peak: calibration was skipped in this run"
    if case.flops_per_step is None:
        return "no fraction of peak: FLOPs per step were not counted for this case"
    peak = selection.peak_for(run, case.framework, case.device, labels.precision_of(case.config))
    if peak is None:
        return f"no fraction of peak: no {labels.precision_of(case.config)} matmul peak measured"
    if peak.status != "ok":
        return f"no fraction of peak: the matmul peak measurement {peak.status}: {peak.reason or 'no reason recorded'}"
    return "no fraction of peak recorded"


def peak_not_plotted(run: RunResult, workload: str) -> tuple[list[CaseResult], dict[str, str]]:
    plotted = {c.case_id for c in peak_cases(run, workload)}
    missing = [c for c in selection.throughput_cases(run, workload) if c.case_id not in plotted]
    return missing, {c.case_id: peak_status(run, c) for c in missing}


def block(run: RunResult, workload: str) -> section.ChartBlock:
    cases = selection.throughput_cases(run, workload)
    missing, why = peak_not_plotted(run, workload)
    empty = ("No fraction of peak: calibration (peak matmul and FLOP counts) was skipped in this run."
             if not run.settings.calibrate else "No case of this workload has a fraction of peak in this run.")
    return section.ChartBlock(
        intro=("Achieved FLOP/s (the counted FLOPs of one step over the median step time) as a fraction of the "
               "same framework's best square-matmul FLOP/s at the same precision on this machine, for training "
               "and large-batch inference. Above the dashed line means the step beat the measured matmul rate: "
               "the peak measurement is low for that precision, not the hardware exceeded."),
        figure=peak_fraction_figure(run, workload) if peak_cases(run, workload) else None,
        empty=empty,
        # Without calibration every case lacks a fraction for the same reason, already said above.
        not_plotted=section.not_plotted_table(missing, why) if run.settings.calibrate else "",
        data_table=peak_data_table(run, workload) if cases and run.settings.calibrate else None,
        notes=[],
    )
