"""Headline figures of every timing run on one hardware class: one line per case, x the run, y its median.
"""

from __future__ import annotations

import statistics

import plotly.graph_objects as go

from contract.schema import RunResult
from site_scripts.analysis import history
from site_scripts.charts import style
from site_scripts.text import formatting, labels, provenance_text


def history_figure(runs: list[RunResult], metric: history.Metric, hardware: str) -> go.Figure | None:
    """One line per case (workload, framework, mode), x = run (date and versions), y = median over processes."""
    points: dict[str, list[tuple[str, float, str]]] = {}
    for run in runs:
        x = f"{formatting.utc_date(run.started_utc)} · {run.run_id[-6:]}"
        for case in run.cases:
            if metric.select(case) and (vs := history.values(metric, case)):
                label = f"{labels.workload_title(run, case.workload)} · {labels.series_name(case)} · bs {case.config.get('batch_size')}"
                points.setdefault(label, []).append((x, float(statistics.median(vs)), ", ".join(provenance_text.versions(run))))
    if not points:
        return None
    figure = go.Figure()
    for label, series in sorted(points.items()):
        figure.add_trace(go.Scatter(
            name=label, x=[p[0] for p in series], y=[formatting.round_significant(p[1]) for p in series],
            customdata=[p[2] for p in series], mode="lines+markers",
            hovertemplate="<b>%{fullData.name}</b><br>%{x}<br>%{y:,.4g} " + metric.unit + "<br>%{customdata}<extra></extra>",
        ))
    figure.update_layout(**style.base_layout(f"{metric.title} ({metric.unit}) across runs: {hardware}", height=480,
                                       xaxis={"type": "category", "title": {"text": "run (UTC date · id)"}},
                                       yaxis=style.value_axis(metric.unit, type="log"), legend={"font": {"size": 10}}))
    return figure
