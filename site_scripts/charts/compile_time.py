"""Compile and trace time: the first call minus the steady steps it ran, per framework and mode, at the reference
batch where every mode ran; and its tables.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import section, style
from site_scripts.text import formatting, labels

COMPILE_HOVER = (
    "<b>%{y}</b><br>"
    "compile/trace %{x:.4g} s<br>"
    "first call %{customdata[0]:.4g} s, steady step %{customdata[1]:.4g} s, %{customdata[2]} step(s) per call<br>"
    "ran as: %{customdata[3]}<br>"
    "case %{customdata[4]}"
    "<extra></extra>"
)


def compile_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """Reference-batch fp32 training cases with a compile time to show."""
    return [c for c in selection.reference_cases(run, workload)
            if c.summary is not None and c.summary.compile_seconds_median is not None]


def steps_per_call(case: CaseResult) -> int:
    return max((s.steps_per_call for s in case.samples if s.status == "ok"), default=1)


def mode_details(case: CaseResult) -> str:
    """How the mode actually ran, as the child processes reported it (one line per distinct report)."""
    return "; ".join(dict.fromkeys(s.mode_detail for s in case.samples if s.mode_detail)) or formatting.MISSING


def compile_time_figure(run: RunResult, workload: str) -> go.Figure:
    """Horizontal bars: first call minus steady steps, per framework and mode (log axis when every value is positive)."""
    cases = compile_cases(run, workload)
    figure = go.Figure()
    for framework in labels.frameworks(run):
        members = [c for c in cases if c.framework == framework]
        if not members:
            continue
        figure.add_trace(go.Bar(
            name=labels.framework_name(framework),
            orientation="h",
            y=[labels.case_label(c) for c in members],
            x=[c.summary.compile_seconds_median for c in members],
            customdata=[[style.rounded(c.summary.first_step_seconds_median), style.rounded(c.summary.step_seconds_median),
                         steps_per_call(c), mode_details(c), c.case_id] for c in members],
            hovertemplate=COMPILE_HOVER,
            texttemplate="%{x:.3g} s",
            textposition="outside",
            cliponaxis=False,
            marker={"color": style.framework_colour(framework)},
        ))
    positive = all(c.summary.compile_seconds_median > 0 for c in cases)
    batch = selection.reference_batch(run, workload)
    figure.update_layout(**style.base_layout(
        f"Compile and trace time, fp32 training, batch {batch}",
        xaxis=style.value_axis("first call minus steady steps (s" + (", log scale)" if positive else ")"),
                         type="log" if positive else "linear", rangemode="tozero",
                         **(style.log_ticks([c.summary.compile_seconds_median for c in cases]) if positive else {})),
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        barmode="overlay",
        legend={"title": {"text": "framework"}},
        height=style.chart_height(len(cases)),
        margin={"t": 60, "l": 20, "r": 60, "b": 60},
    ))
    return figure


def compile_data_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in selection.reference_cases(run, workload):
        s = case.summary
        rows.append([
            formatting.code_aware_cell(labels.case_label(case)),
            formatting.significant(s.compile_seconds_median) if s and s.compile_seconds_median is not None else formatting.MISSING,
            formatting.significant(s.first_step_seconds_median) if s else formatting.MISSING,
            formatting.significant(s.step_seconds_median) if s else formatting.MISSING,
            str(steps_per_call(case)) if s else formatting.MISSING,
            formatting.code_aware_cell(mode_details(case)),
            section.processes_text(case),
            formatting.code_aware_cell(labels.case_status(case)),
        ])
    headers = ["framework and mode", "compile/trace (s)", "first call (s)", "steady step (s)", "steps per call",
               "ran as", "processes ok / total", "status"]
    return formatting.table(headers, rows)


def compile_not_plotted(run: RunResult, workload: str) -> list[CaseResult]:
    plotted = {c.case_id for c in compile_cases(run, workload)}
    return [c for c in selection.reference_cases(run, workload) if c.case_id not in plotted]


def block(run: RunResult, workload: str) -> section.ChartBlock:
    reference = selection.reference_cases(run, workload)
    batch = selection.reference_batch(run, workload)
    notes = []
    if any(c.framework == "torch" and str(c.config.get("mode", "")).startswith("compile") for c in reference):
        notes.append("torch.compile runs with a fresh compile cache in each process: its time here is a cold "
                     "compile, what a first run on a new machine pays.")
    if any(s.warmup_seconds for c in reference for s in c.samples):
        notes.append("The warm-up calls count too: a compiled training step compiles again on its second call, once "
                     "the optimizer has state.")
    fit_steps = sorted({steps_per_call(c) for c in reference
                        if c.config.get("mode") == "fit" and c.summary is not None})
    if fit_steps:
        steps = ", ".join(map(str, fit_steps))
        notes.append(f"Keras fit's first call is a whole epoch ({steps} steps here), so its compile time is that "
                     f"first epoch minus the same number of steady steps.")
    return section.ChartBlock(
        intro=(f"The first call's wall time (with the warm-up calls', where the run timed them) minus the "
               f"steady-state time of the steps they ran: tracing, graph building, compilation and autotuning, for "
               f"fp32 training at batch {batch}, where every mode ran (median over processes; lower is better)."),
        figure=compile_time_figure(run, workload) if compile_cases(run, workload) else None,
        empty="No fp32 training case at the reference batch has a compile time in this run.",
        not_plotted=section.not_plotted_table(compile_not_plotted(run, workload)),
        data_table=compile_data_table(run, workload) if reference else None,
        notes=notes,
    )
