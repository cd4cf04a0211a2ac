"""One section per workload of the run on the Performance page, each chart with its data, command and caption.

Anchors and chart ids come from the workload's name only (`perf-mlp`,
`chart-mlp-speedup`), so a link to a section keeps working across rebuilds and runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts import charts, naming, selection, tables, workload_figures, workload_tables
from site_scripts import formatting as fmt

# (chart key, heading): the key names the anchor `perf-<workload>-<key>` and the chart id `chart-<workload>-<key>`.
CHARTS = (
    ("throughput-vs-batch", "Training throughput against batch size"),
    ("speedup", "Speed-up: step-time ratio per configuration"),
    ("compile-time", "Compile and trace time"),
    ("latency", "Inference latency at batch 1"),
    ("peak-fraction", "Achieved fraction of peak"),
)


def chart_id(workload: str, key: str) -> str:
    return f"chart-{naming.workload_slug(workload)}-{key}"


def chart_anchor(workload: str, key: str) -> str:
    return f"{naming.workload_anchor(workload)}-{key}"


@dataclass
class ChartBlock:
    """Everything one chart of a section shows; figure None means nothing to draw, and `empty` says why."""

    intro: str
    figure: go.Figure | None
    empty: str
    not_plotted: str
    data_table: str | None
    notes: list[str]


def performance_by_workload(run: RunResult) -> str:
    return "\n\n".join(workload_section(run, workload) for workload in naming.workloads(run))


def workload_section(run: RunResult, workload: str) -> str:
    info = run.workloads.get(workload)
    parts = [f"## {fmt.cell(naming.workload_title(run, workload))} {{#{naming.workload_anchor(workload)}}}"]
    if info:
        parts.extend(tables.workload_declaration(info))
        if info.notes:
            notes = "\n".join(f"    - **{fmt.cell(topic)}**: {fmt.cell(text)}" for topic, text in info.notes.items())
            parts.append(f'!!! note "What keeps the two implementations the same function"\n\n{notes}')
    sizes = _model_sizes(selection.cases_of(run, workload))
    if sizes:
        parts.append(f"Model and data sizes in this run (preset {fmt.code_span(run.settings.preset)}): "
                     f"{fmt.cell(sizes)}.")
    builders: dict[str, Callable[[RunResult, str], ChartBlock]] = {
        "throughput-vs-batch": _scaling, "speedup": _speedup, "compile-time": _compile,
        "latency": _latency, "peak-fraction": _peak,
    }
    for key, heading in CHARTS:
        parts.append(_render(run, workload, key, heading, builders[key](run, workload)))
    return "\n\n".join(parts)


def _model_sizes(cases: list[CaseResult]) -> str:
    """The settings every case of the workload shares (the model and data sizes), as 'key=value' text."""
    if not cases:
        return ""
    shared = {k: v for k, v in cases[0].config.items() if all(c.config.get(k) == v for c in cases)}
    per_case = {"task", "precision", "mode", "layout", "batch_size"}
    return naming.config_text_without(shared, per_case)


def _render(run: RunResult, workload: str, key: str, heading: str, block: ChartBlock) -> str:
    parts = [f"### {heading} {{#{chart_anchor(workload, key)}}}", block.intro]
    parts.append(charts.embed_figure(block.figure, chart_id(workload, key)) if block.figure is not None else block.empty)
    if block.not_plotted:
        parts.append(block.not_plotted)
    parts += block.notes
    if block.data_table:
        indented = "\n".join(f"    {line}" for line in block.data_table.splitlines())
        parts.append(f'??? note "Data behind this chart"\n\n{indented}')
    parts.append(f"Reproduce: {fmt.code_span(naming.reproduce_command(run, workload))}")
    parts.append(fmt.cell(naming.run_caption(run)))
    return "\n\n".join(parts)


def _scaling(run: RunResult, workload: str) -> ChartBlock:
    cases = selection.training_cases(run, workload)
    drawn = workload_figures.scaling_series(run, workload)
    return ChartBlock(
        intro=("Training samples per second against batch size (higher is better), one line per framework, mode, "
               "layout and precision. Points are medians over fresh processes, error bars span the interquartile "
               "range over processes; a mode measured at one batch size only is a single point."),
        figure=workload_figures.throughput_vs_batch_figure(run, workload) if drawn else None,
        empty="No training case of this workload was measured in this run.",
        not_plotted=workload_tables.not_plotted_table(workload_tables.scaling_not_plotted(run, workload)),
        data_table=workload_tables.scaling_data_table(run, workload) if cases else None,
        notes=[],
    )


def _speedup(run: RunResult, workload: str) -> ChartBlock:
    comparisons = selection.comparisons_of(run, workload)
    plotted = workload_figures.plotted_comparisons(run, workload)
    if comparisons:
        first = comparisons[0]
        numerator, denominator = naming.framework_name(first.numerator), naming.framework_name(first.denominator)
        intro = (f"{numerator} step time over {denominator} step time, each side in its fastest mode for that "
                 f"configuration, formed pair by pair from adjacent processes (below 1: {numerator} faster). "
                 f"Error bars are the {first.confidence_level:.0%} bootstrap confidence interval of the median "
                 f"ratio; the dashed line marks 1. Comparisons whose final losses disagree get no point.")
    else:
        intro = "A comparison needs both frameworks measured on one configuration."
    return ChartBlock(
        intro=intro,
        figure=workload_figures.speedup_figure(run, workload) if plotted else None,
        empty="No comparison of this workload has a ratio to plot.",
        not_plotted=workload_tables.speedup_not_plotted_table(run, workload),
        data_table=workload_tables.speedup_data_table(run, workload) if comparisons else None,
        notes=[],
    )


def _compile(run: RunResult, workload: str) -> ChartBlock:
    reference = selection.reference_cases(run, workload)
    batch = selection.reference_batch(run, workload)
    notes = []
    if any(c.framework == "torch" and c.config.get("mode") == "compile" for c in reference):
        notes.append("torch.compile runs with a fresh compile cache in each process: its time here is a cold "
                     "compile, what a first run on a new machine pays.")
    fit_steps = sorted({workload_figures.steps_per_call(c) for c in reference
                        if c.config.get("mode") == "fit" and c.summary is not None})
    if fit_steps:
        steps = ", ".join(map(str, fit_steps))
        notes.append(f"Keras fit's first call is a whole epoch ({steps} steps here), so its compile time is that "
                     f"first epoch minus the same number of steady steps.")
    return ChartBlock(
        intro=(f"The first call's wall time minus the steady-state time of the steps it ran: tracing, graph "
               f"building, compilation and autotuning, for fp32 training at batch {batch}, where every mode ran "
               f"(median over processes; lower is better)."),
        figure=workload_figures.compile_time_figure(run, workload) if workload_figures.compile_cases(run, workload) else None,
        empty="No fp32 training case at the reference batch has a compile time in this run.",
        not_plotted=workload_tables.not_plotted_table(workload_tables.compile_not_plotted(run, workload)),
        data_table=workload_tables.compile_data_table(run, workload) if reference else None,
        notes=notes,
    )


def _latency(run: RunResult, workload: str) -> ChartBlock:
    cases = selection.latency_cases(run, workload)
    measured = [c for c in cases if c.summary is not None]
    return ChartBlock(
        intro=("Every measured call of every process of the batch-1 inference cases, in milliseconds (log scale; "
               "lower is better). Boxes span the quartiles of the pooled calls; the table gives each case's p50 "
               "and p99, taken per process and then medianed over processes."),
        figure=workload_figures.latency_figure(run, workload) if measured else None,
        empty="This run has no measured batch-1 inference case of this workload.",
        not_plotted=workload_tables.not_plotted_table(workload_tables.latency_not_plotted(run, workload)),
        data_table=workload_tables.latency_data_table(run, workload) if cases else None,
        notes=[],
    )


def _peak(run: RunResult, workload: str) -> ChartBlock:
    cases = selection.throughput_cases(run, workload)
    missing, why = workload_tables.peak_not_plotted(run, workload)
    empty = ("No fraction of peak: calibration (peak matmul and FLOP counts) was skipped in this run."
             if not run.settings.calibrate else "No case of this workload has a fraction of peak in this run.")
    return ChartBlock(
        intro=("Achieved FLOP/s (the counted FLOPs of one step over the median step time) as a fraction of the "
               "same framework's best square-matmul FLOP/s at the same precision on this machine, for training "
               "and large-batch inference. Above the dashed line means the step beat the measured matmul rate: "
               "the peak measurement is low for that precision, not the hardware exceeded."),
        figure=workload_figures.peak_fraction_figure(run, workload) if workload_figures.peak_cases(run, workload) else None,
        empty=empty,
        # Without calibration every case lacks a fraction for the same reason, already said above.
        not_plotted=workload_tables.not_plotted_table(missing, why) if run.settings.calibrate else "",
        data_table=workload_tables.peak_data_table(run, workload) if cases and run.settings.calibrate else None,
        notes=[],
    )
