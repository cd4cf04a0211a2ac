"""Batch-1 inference latency: every measured call of every process as a box per framework and mode; the table
gives each case's p50 and p99, taken per process and then medianed over processes.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import section, style
from site_scripts.text import formatting, labels, quantities


def latency_values_ms(case: CaseResult) -> list[float]:
    """Every measured call of every successful process, in milliseconds, pooled."""
    return [formatting.round_significant(t * 1000) for s in case.samples if s.status == "ok" for t in s.step_seconds]


def latency_figure(run: RunResult, workload: str) -> go.Figure:
    """Box plots of per-call latency at batch 1, one box per framework and mode, pooled over processes."""
    figure = go.Figure()
    measured = [c for c in selection.latency_cases(run, workload) if c.summary is not None]
    for case in measured:
        colour = style.framework_colour(case.framework)
        figure.add_trace(go.Box(
            name=labels.case_label(case),
            y=latency_values_ms(case),
            boxpoints="outliers",
            marker={"color": colour, "size": 4},
            line={"color": colour},
            hoverinfo="y+name",
        ))
    figure.update_layout(**style.base_layout(
        "Inference latency per call, batch 1",
        yaxis=style.value_axis(quantities.label("latency_per_call"), type="log",
                         **style.log_ticks([v for trace in figure.data for v in trace.y])),
        xaxis={"type": "category", "title": {"text": "framework and mode"}},
        showlegend=False,
    ))
    return figure


def latency_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.latency_cases(run, workload):
        s = case.summary
        rows.append([
            formatting.code_aware_cell(labels.case_label(case)),
            str(len(latency_values_ms(case))),
            formatting.significant(s.latency_p50_seconds * 1000) if s and s.latency_p50_seconds is not None else formatting.MISSING,
            formatting.significant(s.latency_p99_seconds * 1000) if s and s.latency_p99_seconds is not None else formatting.MISSING,
            section.processes_text(case),
            formatting.code_aware_cell(labels.case_status(case)),
        ])
    headers = ["framework and mode", "calls pooled", formatting.cell(quantities.label("latency_p50")),
               formatting.cell(quantities.label("latency_p99")), "processes ok / total", "status"]
    return formatting.table(headers, rows)


def latency_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    return selection.fully_failed(selection.latency_cases(run, workload))


def block(run: RunResult, workload: str) -> section.ChartBlock:
    cases = selection.latency_cases(run, workload)
    measured = [c for c in cases if c.summary is not None]
    return section.ChartBlock(
        intro=("Every measured call of every process of the batch-1 inference cases, in milliseconds (log scale; "
               "lower is better). Boxes span the quartiles of the pooled calls; the table gives each case's p50 "
               "and p99, taken per process and then medianed over processes."),
        figure=latency_figure(run, workload) if measured else None,
        empty="This run has no measured batch-1 inference case of this workload.",
        not_plotted=section.not_plotted_table(latency_not_plotted(run, workload)),
        data_table=latency_data_table(run, workload) if cases else None,
        notes=[quantities.definitions("latency_per_call", "latency_p50", "latency_p99")] if cases else [],
    )
