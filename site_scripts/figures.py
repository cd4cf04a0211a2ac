"""Pure functions from a run to Plotly figures; the tests call them with made-up runs.

Figures use the empty "none" template and a few explicit styles instead of
"plotly_white": the embedded JSON stays small, and a transparent background lets the
page's light or dark palette show through. The per-workload charts are in
workload_figures.py; this module holds the overview chart and the shared styling.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from contract.schema import CaseResult, RunResult
from site_scripts import formatting, naming, selection

FONT_FAMILY = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"
GRID_COLOUR = "rgba(128, 128, 128, 0.3)"
FAILED_COLOUR = "#CC3311"
REFERENCE_LINE_COLOUR = "rgba(128, 128, 128, 0.9)"
BAR_GAP = 0.2  # plotly's default bargap, set explicitly because failure notes are placed by it

THROUGHPUT_HOVER = (
    "<b>%{fullData.name}</b> · %{x}<br>"
    "fastest mode: %{customdata[5]}<br>"
    "%{customdata[0]}<br>"
    "median %{y:,.4g} samples/s<br>"
    "IQR over processes %{customdata[1]:,.4g} – %{customdata[2]:,.4g} samples/s<br>"
    "processes ok %{customdata[3]} of %{customdata[4]}"
    "<extra></extra>"
)


def base_layout(title: str, **layout: Any) -> dict[str, Any]:
    """What every fwbench figure shares: no template, transparent, the site's font, title left of the modebar."""
    return {
        "template": "none",
        "title": {"text": title, "x": 0, "xref": "paper"},
        "font": {"family": FONT_FAMILY},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"t": 60, "l": 70, "r": 20, "b": 60},
        **layout,
    }


def value_axis(title: str, **axis: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "gridcolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR, **axis}


def reference_line(axis: str, value: float) -> dict[str, Any]:
    """A dashed line across the plot at `value` on the x or y axis (a ratio of 1, the matmul peak)."""
    if axis == "x":
        return {"type": "line", "xref": "x", "yref": "paper", "x0": value, "x1": value, "y0": 0, "y1": 1,
                "line": {"color": REFERENCE_LINE_COLOUR, "dash": "dash", "width": 1}}
    return {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": value, "y1": value,
            "line": {"color": REFERENCE_LINE_COLOUR, "dash": "dash", "width": 1}}


def throughput_figure(run: RunResult) -> go.Figure:
    """Grouped bars: per shared training configuration, each framework's fastest mode; one panel per workload.

    Workloads differ in throughput by orders of magnitude, so each gets its own panel and
    y axis. Error bars span the interquartile range over processes. A framework whose
    every case of a configuration failed gets no bar (a bar of 0 would read as a
    measurement) but a 'failed' note standing in its slot; the tables give the reasons.
    """
    configurations = selection.training_configurations(run)
    workloads = list(dict.fromkeys(_workload_of(by_framework) for _, by_framework in configurations)) or [None]
    frameworks = naming.frameworks(run)
    figure = make_subplots(
        rows=len(workloads), cols=1, vertical_spacing=min(0.12, 0.3 / len(workloads)),
        subplot_titles=[naming.workload_title(run, w) for w in workloads] if len(workloads) > 1 else None,
    )
    for row, workload in enumerate(workloads, start=1):
        panel = [(label, by_framework) for label, by_framework in configurations if _workload_of(by_framework) == workload]
        for framework in frameworks:
            bars = [(label, best) for label, by_framework in panel
                    if (best := selection.shown_case(run, by_framework.get(framework, []))) is not None]
            figure.add_trace(_throughput_bars(framework, bars, first_panel=row == 1), row=row, col=1)
        suffix = "" if row == 1 else str(row)
        for slot, note in _failure_notes(run, panel, frameworks):
            figure.add_annotation(
                x=slot, xref=f"x{suffix}", y=0, yref=f"y{suffix} domain", yanchor="bottom", text=note, textangle=-90,
                showarrow=False, font={"size": 11, "color": FAILED_COLOUR},
            )
        categories = [label for label, _ in panel]
        # Every category keeps its full width, even one in which every case failed.
        figure.update_xaxes(type="category", categoryorder="array", categoryarray=categories,
                            range=[-0.5, len(categories) - 0.5], automargin=True, row=row, col=1)
        figure.update_yaxes(**value_axis("training throughput (samples/s)", rangemode="tozero"), row=row, col=1)
    figure.update_layout(**base_layout(
        "Training throughput, fastest mode of each framework",
        barmode="group",
        bargap=BAR_GAP,
        bargroupgap=0,
        legend={"title": {"text": "framework"}},
        height=max(450, 360 * len(workloads)),
        # Room between the figure title and the first panel's title.
        margin={"t": 100 if len(workloads) > 1 else 60, "l": 70, "r": 20, "b": 60},
    ))
    return figure


def _workload_of(by_framework: dict[str, list[CaseResult]]) -> str:
    return next(iter(by_framework.values()))[0].workload


def _throughput_bars(framework: str, bars: list[tuple[str, CaseResult]], first_panel: bool = True) -> go.Bar:
    summaries = [case.summary for _, case in bars]
    return go.Bar(
        name=naming.framework_name(framework),
        legendgroup=framework,
        showlegend=first_panel,
        x=[label for label, _ in bars],
        y=[s.samples_per_second_median for s in summaries],
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [s.samples_per_second_q3 - s.samples_per_second_median for s in summaries],
            "arrayminus": [s.samples_per_second_median - s.samples_per_second_q1 for s in summaries],
        },
        customdata=[
            [naming.config_text(case.config), formatting.round_significant(s.samples_per_second_q1),
             formatting.round_significant(s.samples_per_second_q3), s.processes_ok, len(case.samples),
             naming.mode_label(case.config)]
            for (_, case), s in zip(bars, summaries)
        ],
        hovertemplate=THROUGHPUT_HOVER,
        marker={"color": naming.framework_colour(framework)},
    )


def _failure_notes(
    run: RunResult, configurations: list[tuple[str, dict[str, list[CaseResult]]]], frameworks: list[str]
) -> list[tuple[float, str]]:
    """Where each framework's bar would stand where all its cases failed, and a note saying why it does not.

    Grouped bars give every trace a fixed slot in every category (group width 1 - BAR_GAP),
    so the note lands in the gap the missing bar leaves, not on a neighbour's bar.
    """
    slot_width = (1 - BAR_GAP) / len(frameworks)
    notes = []
    for index, (_, by_framework) in enumerate(configurations):
        for framework, cases in by_framework.items():
            if selection.shown_case(run, cases) is None:
                statuses = ", ".join(dict.fromkeys(s.status for c in cases for s in c.failures)) or "not run"
                slot = frameworks.index(framework) - (len(frameworks) - 1) / 2
                notes.append((index + slot * slot_width, f"{naming.framework_name(framework)}: failed ({statuses})"))
    return notes
