"""Training throughput against batch size, one line per framework, mode, layout and precision; and its tables.

Only measured cases are drawn; a case with no summary is listed under the chart with its reason, never drawn as zero.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import section, style
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

SCALING_HOVER = (
    "<b>%{fullData.name}</b> · batch %{x}<br>"
    "median %{y:,.4g} samples/s<br>"
    "IQR over processes %{customdata[2]:,.4g} – %{customdata[3]:,.4g} samples/s<br>"
    "processes ok %{customdata[4]} of %{customdata[5]}<br>"
    "case %{customdata[1]}<br>"
    "%{customdata[0]}"
    "<extra></extra>"
)


def scaling_series(run: RunResult, workload: str) -> dict[str, list[CaseResult]]:
    """Measured training cases per line: (framework, mode, layout, precision), each sorted by batch."""
    series: dict[str, list[CaseResult]] = {}
    for case in selection.training_cases(run, workload):
        if case.summary is not None:
            series.setdefault(labels.series_name(case), []).append(case)
    for members in series.values():
        members.sort(key=lambda c: int(c.config["batch_size"]))
    return series


def throughput_vs_batch_figure(run: RunResult, workload: str) -> go.Figure:
    """Training samples/s against batch size, one line per framework, mode, layout and precision."""
    series = scaling_series(run, workload)
    modes = list(dict.fromkeys(labels.mode_label(c.config) for members in series.values() for c in members))
    figure = go.Figure()
    for name, members in series.items():
        summaries = [c.summary for c in members]
        first = members[0]
        figure.add_trace(go.Scatter(
            name=name,
            mode="lines+markers",
            x=[int(c.config["batch_size"]) for c in members],
            y=[s.samples_per_second_median for s in summaries],
            error_y={
                "type": "data", "symmetric": False,
                "array": [s.samples_per_second_q3 - s.samples_per_second_median for s in summaries],
                "arrayminus": [s.samples_per_second_median - s.samples_per_second_q1 for s in summaries],
            },
            customdata=[
                [labels.config_text(c.config), c.case_id, style.rounded(s.samples_per_second_q1), style.rounded(s.samples_per_second_q3),
                 s.processes_ok, len(c.samples)]
                for c, s in zip(members, summaries)
            ],
            hovertemplate=SCALING_HOVER,
            line={"color": style.framework_colour(first.framework),
                  "dash": style.PRECISION_DASH.get(labels.precision_of(first.config), "dashdot")},
            marker={"symbol": style.MODE_SYMBOLS[modes.index(labels.mode_label(first.config)) % len(style.MODE_SYMBOLS)],
                    "size": 9},
        ))
    batches = sorted({x for trace in figure.data for x in trace.x})
    figure.update_layout(**style.base_layout(
        "Training throughput against batch size",
        xaxis=style.value_axis("batch size (log scale)", type="log", tickvals=batches, ticktext=[str(b) for b in batches]),
        yaxis=style.value_axis("training throughput (samples/s)", rangemode="tozero"),
        legend={"title": {"text": "framework, mode, precision"}},
    ))
    return figure


def scaling_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.training_cases(run, workload):
        s = case.summary
        rows.append([
            fmt.code_aware_cell(labels.series_name(case)),
            fmt.cell(case.config.get("batch_size")),
            fmt.significant(s.samples_per_second_median) if s else fmt.MISSING,
            fmt.significant(s.samples_per_second_q1) if s else fmt.MISSING,
            fmt.significant(s.samples_per_second_q3) if s else fmt.MISSING,
            section.processes_text(case),
            fmt.code_span(case.case_id),
            fmt.code_aware_cell(labels.case_status(case)),
        ])
    headers = ["line (framework, mode, precision)", "batch", "median (samples/s)", "Q1", "Q3",
               "processes ok / total", "case", "status"]
    return fmt.table(headers, rows)


def scaling_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    return selection.fully_failed(selection.training_cases(run, workload))


def block(run: RunResult, workload: str) -> section.ChartBlock:
    cases = selection.training_cases(run, workload)
    drawn = scaling_series(run, workload)
    return section.ChartBlock(
        intro=("Training samples per second against batch size (higher is better), one line per framework, mode, "
               "layout and precision. Points are medians over fresh processes, error bars span the interquartile "
               "range over processes; a mode measured at one batch size only is a single point."),
        figure=throughput_vs_batch_figure(run, workload) if drawn else None,
        empty="No training case of this workload was measured in this run.",
        not_plotted=section.not_plotted_table(scaling_not_plotted(run, workload)),
        data_table=scaling_data_table(run, workload) if cases else None,
        notes=[],
    )
