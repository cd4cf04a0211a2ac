"""Pure functions from a run to Plotly figures; the tests call them with made-up runs.

Figures use the empty "none" template and a few explicit styles instead of
"plotly_white": the embedded JSON stays small, and a transparent background lets the
page's light or dark palette show through.
"""

from __future__ import annotations

import plotly.graph_objects as go

from benchmarks.schema import CaseResult, RunResult

from site_scripts import naming

FONT_FAMILY = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"
GRID_COLOUR = "rgba(128, 128, 128, 0.3)"
FAILED_COLOUR = "#CC3311"
BAR_GAP = 0.2  # plotly's default bargap, set explicitly because failure notes are placed by it

THROUGHPUT_HOVER = (
    "<b>%{fullData.name}</b> · %{x}<br>"
    "%{customdata[0]}<br>"
    "median %{y:,.4g} samples/s<br>"
    "IQR over processes %{customdata[1]:,.4g} – %{customdata[2]:,.4g} samples/s<br>"
    "processes ok %{customdata[3]} of %{customdata[4]}"
    "<extra></extra>"
)


def throughput_figure(run: RunResult) -> go.Figure:
    """Grouped bars: median training throughput per configuration, one trace per framework.

    Error bars span the interquartile range over processes. A case whose every process
    failed gets no bar (a bar of 0 would read as a measurement) but a 'failed' note
    standing in its slot; the tables under the chart give the reasons.
    """
    label_of = naming.ConfigurationLabels(run)
    cases = naming.cases_in_display_order(run)
    categories = list(dict.fromkeys(label_of.of_case(c) for c in cases))
    figure = go.Figure()
    for framework in naming.frameworks(run):
        measured = [c for c in cases if c.framework == framework and c.summary is not None]
        figure.add_trace(_throughput_bars(framework, measured, label_of))
    for slot, note in _failure_notes(cases, categories, naming.frameworks(run), label_of):
        figure.add_annotation(
            x=slot, xref="x", y=0, yref="paper", yanchor="bottom", text=note, textangle=-90,
            showarrow=False, font={"size": 11, "color": FAILED_COLOUR},
        )
    figure.update_layout(
        template="none",
        # Left-aligned, away from plotly's modebar at the top right.
        title={"text": "Training throughput (median over processes; error bars: IQR)", "x": 0, "xref": "paper"},
        barmode="group",
        bargap=BAR_GAP,
        bargroupgap=0,
        xaxis={"title": {"text": "configuration"}, "type": "category",
               "categoryorder": "array", "categoryarray": categories,
               # Every category keeps its full width, even one in which every case failed.
               "range": [-0.5, len(categories) - 0.5]},
        yaxis={"title": {"text": "training throughput (samples/s)"}, "rangemode": "tozero",
               "gridcolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR},
        legend={"title": {"text": "framework"}},
        font={"family": FONT_FAMILY},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"t": 60, "l": 70, "r": 20, "b": 60},
    )
    return figure


def _throughput_bars(framework: str, measured: list[CaseResult], label_of: naming.ConfigurationLabels) -> go.Bar:
    summaries = [c.summary for c in measured if c.summary is not None]
    return go.Bar(
        name=naming.framework_name(framework),
        x=[label_of.of_case(c) for c in measured],
        y=[s.samples_per_second_median for s in summaries],
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [s.samples_per_second_q3 - s.samples_per_second_median for s in summaries],
            "arrayminus": [s.samples_per_second_median - s.samples_per_second_q1 for s in summaries],
        },
        customdata=[
            [naming.config_text(c.config), s.samples_per_second_q1, s.samples_per_second_q3,
             s.processes_ok, len(c.samples)]
            for c, s in zip(measured, summaries)
        ],
        hovertemplate=THROUGHPUT_HOVER,
        marker={"color": naming.framework_colour(framework)},
    )


def _failure_notes(
    cases: list[CaseResult], categories: list[str], frameworks: list[str], label_of: naming.ConfigurationLabels
) -> list[tuple[float, str]]:
    """Where each fully failed case's bar would stand, and a note saying why it does not.

    Grouped bars give every trace a fixed slot in every category (group width 1 - BAR_GAP),
    so the note lands in the gap the missing bar leaves, not on a neighbour's bar.
    """
    slot_width = (1 - BAR_GAP) / len(frameworks)
    notes = []
    for case in cases:
        if case.summary is None:
            statuses = ", ".join(dict.fromkeys(s.status for s in case.failures)) or "not run"
            slot = frameworks.index(case.framework) - (len(frameworks) - 1) / 2
            position = categories.index(label_of.of_case(case)) + slot * slot_width
            notes.append((position, f"{naming.framework_name(case.framework)}: failed ({statuses})"))
    return notes
