"""The retracing study as a table and a chart: traces and graphs compiled per setting, and where each
(re)compilation lands in the cumulative time; what the frameworks said.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from contract.payloads import RetracingData, ScenarioResult, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.charts import style
from site_scripts.text import formatting, labels

DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")


def has_retracing(run: RunResult) -> bool:
    return any(record.status == "ok" for record in run.study_records("retracing"))


def _scenario(record: StudyRecord) -> ScenarioResult:
    data: RetracingData = payload(record)
    return data.scenario


def retracing_table(run: RunResult) -> str:
    records = run.study_records("retracing")
    if not records:
        return formatting.NOT_MEASURED
    headers = ["Framework", "What you write", "Batch sizes called", "Traces / graphs compiled", "Graph breaks",
               "First call (s)", "All calls (s)", "Call once every shape was seen (s)"]
    rows = []
    for record in records:
        framework = labels.framework_name(record.framework or "")
        if record.status != "ok":
            rows.append([framework, formatting.cell(record.config.get("scenario")), "",
                         formatting.cell(f"{record.status}: {record.reason or ''}"), "", "", "", ""])
            continue
        data = _scenario(record)
        rows.append([framework, formatting.code_span(data.api), formatting.cell(", ".join(map(str, data.batch_sizes))),
                     str(data.traces), str(data.graph_breaks), formatting.significant(data.first_call_seconds, 3),
                     formatting.significant(data.total_seconds, 3), formatting.significant(data.steady_call_seconds, 3)])
    return formatting.table(headers, rows)


def retracing_figure(run: RunResult) -> go.Figure:
    """Cumulative seconds over the calls, one panel per framework and one line per setting in it: where each
    (re)compilation lands. Each panel keeps its own short legend, so neither outgrows its plot."""
    records = [r for r in run.study_records("retracing") if r.status == "ok"]
    frameworks = list(dict.fromkeys(r.framework or "" for r in records))
    figure = make_subplots(rows=max(1, len(frameworks)), cols=1, shared_xaxes=True, vertical_spacing=0.3,
                           subplot_titles=[labels.framework_name(fw) for fw in frameworks] or None)
    for row, framework in enumerate(frameworks, start=1):
        legend = "legend" if row == 1 else f"legend{row}"
        for index, record in enumerate(r for r in records if (r.framework or "") == framework):
            data = _scenario(record)
            cumulative, total = [], 0.0
            for seconds in data.call_seconds:
                total += seconds
                cumulative.append(total)
            figure.add_trace(go.Scatter(
                x=list(range(1, len(cumulative) + 1)), y=cumulative, mode="lines+markers", legend=legend,
                name=data.api if len(data.api) <= 48 else data.api[:47] + "…",
                line={"color": style.framework_colour(framework), "dash": DASHES[index % len(DASHES)]},
                marker={"size": 5}, text=[f"batch {n}" for n in data.batch_sizes],
                hovertemplate=f"{labels.framework_name(framework)}: {data.api}<br>"
                              "call %{x} (%{text}): %{y:.3g} s so far<extra></extra>",
            ), row=row, col=1)
        figure.update_yaxes(title_text="cumulative s (log scale)", type="log", gridcolor=style.GRID_COLOUR,
                            row=row, col=1)
    rows = max(1, len(frameworks))
    figure.update_xaxes(title_text="call (the batch size changes from call to call)", row=rows, col=1)
    # Each legend sits under its own panel; a panel is (1 - spacing) / rows of the height.
    panel = (1 - 0.3 * (rows - 1)) / rows
    legends = {("legend" if row == 1 else f"legend{row}"): {
        "orientation": "h", "x": 0, "xanchor": "left", "yanchor": "top", "font": {"size": 10},
        "y": 1 - row * panel - (row - 1) * 0.3 - 0.06} for row in range(1, rows + 1)}
    figure.update_layout(**style.base_layout("Cumulative time over calls with changing batch sizes",
                                             height=320 * rows + 120, showlegend=True,
                                             margin={"t": 60, "l": 70, "r": 20, "b": 120}, **legends))
    return figure


def conclusion(run: RunResult) -> str:
    """'With the batch size varying over 12 calls: tf.function(forward) traced 3 times, … once; …'."""
    parts = []
    calls = None
    for record in run.study_records("retracing"):
        if record.status != "ok":
            continue
        data = _scenario(record)
        calls = len(data.call_seconds)
        parts.append(f"{data.api} {'compiled nothing' if data.traces == 0 else f'traced or compiled {data.traces}×'}")
    if not parts:
        return formatting.NOT_MEASURED
    return formatting.code_aware_cell(f"With the batch size changing over {calls} calls: " + "; ".join(parts) + ".")


def retracing_warnings(run: RunResult) -> str:
    lines = []
    for record in run.study_records("retracing"):
        if record.status != "ok":
            continue
        data = _scenario(record)
        for text in data.warnings + data.graph_break_reasons:
            lines.append(f"- {labels.framework_name(record.framework or '')}, {formatting.code_span(data.api)}: "
                         f"{formatting.cell(text)}")
    return "\n".join(lines) if lines else "Neither framework printed a warning or gave a graph-break reason."
