"""The retracing study as a table and a chart: traces and graphs compiled per setting, and where each
(re)compilation lands in the cumulative time; what the frameworks said.
"""

from __future__ import annotations

import plotly.graph_objects as go

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
    """Cumulative seconds over the calls, one line per setting: where each (re)compilation lands."""
    figure = go.Figure()
    settings_seen: dict[str, int] = {}  # per framework: its colour, and a dash per setting to tell them apart
    for record in run.study_records("retracing"):
        if record.status != "ok":
            continue
        data = _scenario(record)
        index = settings_seen[record.framework or ""] = settings_seen.get(record.framework or "", -1) + 1
        cumulative, total = [], 0.0
        for seconds in data.call_seconds:
            total += seconds
            cumulative.append(total)
        figure.add_trace(go.Scatter(
            x=list(range(1, len(cumulative) + 1)), y=cumulative, mode="lines+markers",
            name=f"{labels.framework_name(record.framework or '')}: {data.api}",
            line={"color": style.framework_colour(record.framework or ""), "dash": DASHES[index % len(DASHES)]},
            text=[f"batch {n}" for n in data.batch_sizes],
            hovertemplate="call %{x} (%{text}): %{y:.3g} s so far<extra>%{fullData.name}</extra>",
        ))
    figure.update_layout(xaxis_title="call", yaxis_title="seconds since the first call (cumulative)",
                         yaxis_type="log", legend={"orientation": "h", "y": -0.25})
    return figure


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
