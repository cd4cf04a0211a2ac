"""The Performance page's overview chart: training throughput per shared configuration, each framework in the
mode its comparison used, one panel per workload; and the table behind it.

A framework whose every case of a configuration failed gets no bar (a bar of 0 would read as a
measurement) but a 'failed' note standing in its slot; the tables give the reasons.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import style
from site_scripts.text import formatting, labels

BAR_GAP = 0.2  # plotly's default bargap, set explicitly because failure notes are placed by it
# From the top of the figure, in pixels: the title, then the legend under it, then the first panel's title.
TITLE_TOP_PX, LEGEND_TOP_PX = 12, 44


THROUGHPUT_HOVER = (
    "<b>%{fullData.name}</b> · %{x}<br>"
    "fastest mode: %{customdata[5]}<br>"
    "%{customdata[0]}<br>"
    "median %{y:,.4g} samples/s<br>"
    "IQR over processes %{customdata[1]:,.4g} – %{customdata[2]:,.4g} samples/s<br>"
    "processes ok %{customdata[3]} of %{customdata[4]}"
    "<extra></extra>"
)


def throughput_figure(run: RunResult) -> go.Figure:
    """Grouped bars: per shared training configuration, each framework's fastest mode; one panel per workload.

    Workloads differ in throughput by orders of magnitude, so each gets its own panel and
    y axis. Error bars span the interquartile range over processes. A framework whose
    every case of a configuration failed gets no bar (a bar of 0 would read as a
    measurement) but a 'failed' note standing in its slot; the tables give the reasons.
    """
    configurations = selection.training_configurations(run)
    workloads = list(dict.fromkeys(_workload_of(by_framework) for _, by_framework in configurations)) or [None]
    frameworks = labels.frameworks(run)
    height = max(450, 360 * len(workloads))
    figure = make_subplots(
        rows=len(workloads), cols=1, vertical_spacing=min(0.12, 0.3 / len(workloads)),
        subplot_titles=[labels.workload_title(run, w) for w in workloads] if len(workloads) > 1 else None,
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
                showarrow=False, font={"size": 11, "color": style.FAILED_COLOUR},
            )
        categories = [label for label, _ in panel]
        # Every category keeps its full width, even one in which every case failed. The data keep the whole label
        # (a downloaded CSV names the workload); the tick drops what the panel's title says.
        ticks = [_tick(label, workload if len(workloads) > 1 else None) for label in categories]
        figure.update_xaxes(type="category", categoryorder="array", categoryarray=categories,
                            tickvals=categories, ticktext=ticks,
                            range=[-0.5, len(categories) - 0.5], automargin=True, row=row, col=1)
        figure.update_yaxes(**style.value_axis("training throughput (samples/s)", rangemode="tozero"), row=row, col=1)
    figure.update_layout(**style.base_layout(
        "Training throughput, fastest modes",  # short enough for a phone: a plotly title does not wrap
        barmode="group",
        bargap=BAR_GAP,
        bargroupgap=0,
        # Across the top, under the title: at the side it took a quarter of a phone's width from the bars.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "yanchor": "top",
                "y": 1 - LEGEND_TOP_PX / height},
        height=height,
        # Room between the figure title and the first panel's title, for the legend.
        margin={"t": 110 if len(workloads) > 1 else 80, "l": 70, "r": 20, "b": 60},
    ))
    figure.update_layout(title={"yref": "container", "yanchor": "top", "y": 1 - TITLE_TOP_PX / height})
    return figure


def _tick(label: str, panel_workload: str | None) -> str:
    """A configuration's label on its panel's axis: the panel's title names the workload, so the tick need not."""
    prefix = f"{panel_workload} · " if panel_workload else ""
    return label[len(prefix):] if prefix and label.startswith(prefix) else label


def _workload_of(by_framework: dict[str, list[CaseResult]]) -> str:
    return next(iter(by_framework.values()))[0].workload


def _throughput_bars(framework: str, bars: list[tuple[str, CaseResult]], first_panel: bool = True) -> go.Bar:
    summaries = [case.summary for _, case in bars]
    return go.Bar(
        name=labels.framework_name(framework),
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
            [labels.config_text(case.config), formatting.round_significant(s.samples_per_second_q1),
             formatting.round_significant(s.samples_per_second_q3), s.processes_ok, len(case.samples),
             labels.mode_label(case.config)]
            for (_, case), s in zip(bars, summaries)
        ],
        hovertemplate=THROUGHPUT_HOVER,
        marker={"color": style.framework_colour(framework)},
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
                notes.append((index + slot * slot_width, f"{labels.framework_name(framework)}: failed ({statuses})"))
    return notes


def chart_data_table(run: RunResult) -> str:
    """The numbers behind the overview chart, bar by bar, for readers without JavaScript or with screen readers."""
    rows = []
    for label, by_framework in selection.training_configurations(run):
        for framework, cases in by_framework.items():
            best = selection.shown_case(run, cases)
            s = best.summary if best else None
            rows.append([
                formatting.cell(label),
                formatting.cell(labels.framework_name(framework)),
                formatting.code_aware_cell(labels.mode_label(best.config)) if best else formatting.MISSING,
                formatting.number(s.samples_per_second_median) if s else formatting.MISSING,
                formatting.number(s.samples_per_second_q1) if s else formatting.MISSING,
                formatting.number(s.samples_per_second_q3) if s else formatting.MISSING,
                f"{s.processes_ok} / {len(best.samples)}" if s else f"0 / {sum(len(c.samples) for c in cases)}",
                formatting.code_aware_cell(labels.case_status(best) if best else _statuses_of_failed(cases)),
            ])
    headers = ["configuration", "framework", "fastest mode", "median (samples/s)", "Q1", "Q3",
               "processes ok / total", "status"]
    return formatting.table(headers, rows)


def _statuses_of_failed(cases: list[CaseResult]) -> str:
    if len(cases) == 1:
        return labels.case_status(cases[0])
    return "; ".join(f"{labels.mode_label(c.config)}: {labels.case_status(c)}" for c in cases)
