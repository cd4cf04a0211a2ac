"""Headline figures of the runs of one hardware class and one preset: one line per (workload, framework), x the
run, y its median; PyTorch and TensorFlow in their site colours, workloads told apart by marker.

Only runs of the same preset share a chart (a quick run measures tiny models, not the same figure), only the
headline cases are drawn (each workload's reference batch, each framework's default mode; compiled modes for
compile time), and a group with a single run draws no line: there is no trend in one point.
"""

from __future__ import annotations

import statistics

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import history, selection
from site_scripts.charts import style
from site_scripts.text import formatting, labels, provenance_text

# One marker per workload, in the order a run lists them; colours stay the frameworks'.
WORKLOAD_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")


def headline_case(run: RunResult, metric: history.Metric, case: CaseResult) -> bool:
    """Whether a case is one of the run's headline figures for this metric."""
    if not metric.select(case):
        return False
    if labels.task_of(case.config) == "infer":
        return case.config.get("mode") in run.rules.default_modes.get(case.framework, [])
    if case.config.get("batch_size") != selection.reference_batch(run, case.workload):
        return False
    if metric.key == "compile":
        return True
    return case.config.get("mode") in run.rules.default_modes.get(case.framework, [])


def history_figure(runs: list[RunResult], metric: history.Metric, title: str) -> go.Figure | None:
    """One line per (workload, framework) over the runs, None when fewer than two runs measured the metric."""
    points: dict[tuple[str, str, str], list[tuple[str, float, str]]] = {}
    names: dict[tuple[str, str, str], str] = {}
    workload_order: list[str] = []
    measured_runs = set()
    for run in runs:
        x = f"{formatting.utc_date(run.started_utc)} · {run.run_id[-6:]}"
        for case in run.cases:
            if not headline_case(run, metric, case) or not (vs := history.values(metric, case)):
                continue
            key = (case.workload, case.framework, labels.mode_label(case.config))
            names[key] = f"{labels.workload_title(run, case.workload)} · {labels.case_label(case)}"
            if case.workload not in workload_order:
                workload_order.append(case.workload)
            points.setdefault(key, []).append((x, float(statistics.median(vs)), ", ".join(provenance_text.versions(run))))
            measured_runs.add(run.run_id)
    if len(measured_runs) < 2:
        return None
    figure = go.Figure()
    for key, series in sorted(points.items(), key=lambda item: (workload_order.index(item[0][0]), item[0][1:])):
        workload, framework, _ = key
        symbol = WORKLOAD_SYMBOLS[workload_order.index(workload) % len(WORKLOAD_SYMBOLS)]
        colour = style.framework_colour(framework)
        figure.add_trace(go.Scatter(
            name=names[key], x=[p[0] for p in series],
            y=[formatting.round_significant(p[1]) for p in series], customdata=[p[2] for p in series],
            mode="lines+markers", legendgroup=workload,
            line={"color": colour, "width": 1.5}, marker={"color": colour, "symbol": symbol, "size": 9},
            hovertemplate="<b>%{fullData.name}</b><br>%{x}<br>%{y:,.4g} " + metric.unit + "<br>%{customdata}<extra></extra>",
        ))
    figure.update_layout(**style.base_layout(
        f"{metric.title} ({metric.unit}) across runs", height=460,
        xaxis={"type": "category", "title": {"text": "run (UTC date · id)"}},
        yaxis=style.value_axis(f"{metric.unit} (log scale)", type="log"),
        legend={"font": {"size": 10}, "orientation": "h", "y": -0.25, "x": 0},
        margin={"t": 60, "l": 70, "r": 20, "b": 150},
    ))
    figure.add_annotation(text=formatting.cell(title), xref="paper", yref="paper", x=0, y=1.06, showarrow=False,
                          font={"size": 11}, xanchor="left")
    return figure
