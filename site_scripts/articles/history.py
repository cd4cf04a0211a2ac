"""The History page: headline figures of every timing run, per hardware class, and what changed between
the two newest framework releases measured on the same class, flagged only beyond the noise."""

from __future__ import annotations

import statistics

import plotly.graph_objects as go

from contract.schema import RunResult
from site_scripts import charts, formatting, naming
from site_scripts.figures import base_layout, value_axis
from site_scripts.history import (
    METRICS,
    MIN_RELATIVE_CHANGE,
    Metric,
    changes,
    hardware_class,
    release_pairs,
    timing_runs,
    values,
    versions,
)
from site_scripts.placeholders import placeholder

VERDICT_MARKS = {"better": "▲ better", "worse": "▼ worse"}


def _slug(text: str) -> str:
    return naming.workload_slug(text)


def history_figure(runs: list[RunResult], metric: Metric, hardware: str) -> go.Figure | None:
    """One line per case (workload, framework, mode), x = run (date and versions), y = median over processes."""
    points: dict[str, list[tuple[str, float, str]]] = {}
    for run in runs:
        x = f"{formatting.utc_date(run.started_utc)} · {run.run_id[-6:]}"
        for case in run.cases:
            if metric.select(case) and (vs := values(metric, case)):
                label = f"{naming.workload_title(run, case.workload)} · {naming.series_name(case)} · bs {case.config.get('batch_size')}"
                points.setdefault(label, []).append((x, float(statistics.median(vs)), ", ".join(versions(run))))
    if not points:
        return None
    figure = go.Figure()
    for label, series in sorted(points.items()):
        figure.add_trace(go.Scatter(
            name=label, x=[p[0] for p in series], y=[formatting.round_significant(p[1]) for p in series],
            customdata=[p[2] for p in series], mode="lines+markers",
            hovertemplate="<b>%{fullData.name}</b><br>%{x}<br>%{y:,.4g} " + metric.unit + "<br>%{customdata}<extra></extra>",
        ))
    figure.update_layout(**base_layout(f"{metric.title} ({metric.unit}) across runs: {hardware}", height=480,
                                       xaxis={"type": "category", "title": {"text": "run (UTC date · id)"}},
                                       yaxis=value_axis(metric.unit, type="log"), legend={"font": {"size": 10}}))
    return figure


def runs_table(runs: list[RunResult]) -> str:
    rows = [[formatting.code_span(r.run_id), formatting.cell(formatting.utc_date(r.started_utc)),
             formatting.cell(r.settings.preset), formatting.cell(", ".join(versions(r))),
             formatting.cell(hardware_class(r)), str(len(r.cases))] for r in runs]
    return formatting.table(["run", "date", "preset", "versions", "hardware class", "cases"], rows)


def changes_table(old: RunResult, new: RunResult) -> str:
    found = changes(old, new)
    if not found:
        return "The two runs share no measured case: nothing to compare."
    rows = []
    for c in sorted(found, key=lambda c: (c.metric.key, c.workload, c.label)):
        interval = "—" if c.ci_low is None else f"[{c.ci_low:.3f}, {c.ci_high:.3f}]"
        rows.append([formatting.cell(c.metric.title), formatting.cell(naming.workload_title(new, c.workload)),
                     formatting.cell(c.label), formatting.significant(c.old), formatting.significant(c.new),
                     f"{c.ratio:.3f}", interval, formatting.cell(VERDICT_MARKS.get(c.verdict, c.verdict))])
    return formatting.table(["figure", "workload", "case", "before", "after", "after / before", "95 % interval",
                             "verdict"], rows)


@placeholder("history", all_runs=True)
def history(runs: list[RunResult]) -> str:
    timing = timing_runs(runs)
    if not timing:
        return "Not measured: no timing run in results/."
    parts = ["Every timing run in `results/`, oldest first:", runs_table(timing)]
    pairs = release_pairs(runs)
    parts.append("## What changed since the previous release {#history-changes}")
    if not pairs:
        parts.append("No hardware class has runs of two different framework releases yet: rebuild after a release "
                     "with `fwbench release --tensorflow X.Y.Z` (or `--torch`), which keeps the old runs.")
    for old, new in pairs:
        parts.append(f"### {formatting.cell(hardware_class(new))}, preset {new.settings.preset}")
        parts.append(f"From the older release, run {formatting.code_span(old.run_id)} ({formatting.cell(', '.join(versions(old)))}), to the newer release, run "
                     f"{formatting.code_span(new.run_id)} ({formatting.cell(', '.join(versions(new)))}). A figure is "
                     f"flagged better or worse only when the 95 % bootstrap interval of the ratio of medians "
                     f"(each run's processes resampled) excludes 1 and the change exceeds "
                     f"{MIN_RELATIVE_CHANGE:.0%}, the drift between runs of an unchanged framework.")
        parts.append(changes_table(old, new))
        parts.append(f"Reproduce the newer run: {formatting.code_span(naming.reproduce_command(new))}")
    parts.append("## Headline figures across runs {#history-charts}")
    by_hardware: dict[str, list[RunResult]] = {}
    for run in timing:
        by_hardware.setdefault(hardware_class(run), []).append(run)
    for hardware, group in by_hardware.items():
        for metric in METRICS:
            figure = history_figure(group, metric, hardware)
            if figure is not None:
                parts.append(charts.embed_figure(figure, f"chart-history-{metric.key}-{_slug(hardware)[:40]}"))
    return "\n\n".join(parts)
