"""Host memory by phase at the reference batch: one stacked bar per case (harness, import, build, steady, peak) and
its table; a case that failed keeps its row, with its status where its bar would be.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import RunResult
from site_scripts.analysis import memory, selection
from site_scripts.charts import style
from site_scripts.text import formatting, labels

PHASE_COLOURS = {"harness": "#BBBBBB", "import": "#4477AA", "build": "#66CCEE", "steady": "#228833",
                 "peak": "#CCBB44"}


def phases_figure(run: RunResult, workload: str) -> go.Figure | None:
    """Stacked horizontal bars: one row per case at the reference batch, one layer per phase (MiB)."""
    cases = memory.reference_training_cases(run, workload)
    rows = [(labels.series_name(c), memory.phase_increments(levels)) for c in cases
            if (levels := memory.phase_levels(c)) is not None and len(levels) > 1]
    failed = [c for c in cases if memory.phase_levels(c) is None and c.failures]
    if not rows:
        return None
    figure = go.Figure()
    for phase in memory.PHASES:
        figure.add_trace(go.Bar(
            name=memory.PHASE_TITLES[phase], orientation="h", marker={"color": PHASE_COLOURS[phase]},
            y=[label for label, _ in rows], x=[round(inc.get(phase, 0.0) / formatting.MIB, 1) for _, inc in rows],
            hovertemplate="%{y}<br>" + memory.PHASE_TITLES[phase] + ": +%{x:,.1f} MiB<extra></extra>",
        ))
    # A case that failed keeps its row, with its status written where its bar would be: never dropped.
    for case in failed:
        figure.add_annotation(x=0, xanchor="left", y=labels.series_name(case), showarrow=False,
                              text=f"failed: {case.failures[0].status} (see the table)",
                              font={"color": style.FAILED_COLOUR, "size": 11})
    rows += [(labels.series_name(c), {}) for c in failed]
    figure.update_yaxes(categoryorder="array", categoryarray=[label for label, _ in rows])
    batch = selection.reference_batch(run, workload)
    figure.update_layout(**style.base_layout(
        f"{labels.workload_title(run, workload)}: host memory by phase, batch {batch}",
        barmode="stack", height=max(260, 140 + 34 * len(rows)), legend={"traceorder": "normal"},
        xaxis=style.value_axis("resident memory (MiB); the bar's end is the peak"), yaxis={"automargin": True},
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure


def phases_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in memory.reference_training_cases(run, workload):
        levels = memory.phase_levels(case)
        if levels is None:
            rows.append([formatting.code_aware_cell(labels.series_name(case))] + [formatting.MISSING] * len(memory.PHASES)
                        + [formatting.code_aware_cell(labels.case_status(case))])
            continue
        rows.append([formatting.code_aware_cell(labels.series_name(case))]
                    + [formatting.mebibytes(levels.get(p)) for p in memory.PHASES] + [formatting.code_aware_cell(labels.case_status(case))])
    headers = ["case"] + [f"after {memory.PHASE_TITLES[p]} (MiB)" if p != "peak" else "peak (MiB)" for p in memory.PHASES] + ["status"]
    return formatting.table(headers, rows)
