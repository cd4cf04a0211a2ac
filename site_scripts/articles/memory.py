"""The memory article: host RSS by phase, memory against batch with a fitted fixed and per-sample cost,
what compiled modes and mixed precision change, device counters and the largest batch that fits."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from contract.payloads import MaxBatchData, payload
from contract.schema import CaseResult, RunResult
from site_scripts import charts, formatting, naming, selection
from site_scripts.figures import FAILED_COLOUR, base_layout, value_axis
from site_scripts.memory_analysis import (
    PHASE_TITLES,
    PHASES,
    MemorySeries,
    has_memory_phases,
    memory_series,
    phase_increments,
    phase_levels,
)
from site_scripts.placeholders import placeholder
from site_scripts.workload_figures import MODE_SYMBOLS, PRECISION_DASH, log_ticks

MIB = formatting.MIB
PHASE_COLOURS = {"harness": "#BBBBBB", "import": "#4477AA", "build": "#66CCEE", "steady": "#228833",
                 "peak": "#CCBB44"}
NOT_MEASURED = formatting.NOT_MEASURED
FIT_SAMPLES = 24  # points along each fitted line


@placeholder("memory_run", needs=has_memory_phases)
def memory_run(run: RunResult) -> str:
    """Which run, which machine, and what host RSS includes."""
    if not has_memory_phases(run):
        return f'!!! warning "No memory phases"\n\n    {NOT_MEASURED} Run `fwbench run --preset memory` to measure them.'
    host = run.provenance.host
    return "\n".join([
        f"Every number on this page comes from run **{run.run_id}** (preset `{run.settings.preset}`, "
        f"{run.settings.processes_per_case} process(es) per case), measured on **{formatting.cell(host.cpu_model)}** "
        f"({host.usable_cpus} usable CPUs, {formatting.gibibytes(host.ram_bytes)} GiB RAM, "
        f"{formatting.cell(naming.gpu_names(run))}), device `{run.settings.device}`.",
        "",
        naming.provenance_line(run),
    ])


# --- phases -----------------------------------------------------------------------------------


def phases_figure(run: RunResult, workload: str) -> go.Figure | None:
    """Stacked horizontal bars: one row per case at the reference batch, one layer per phase (MiB)."""
    cases = _reference_training(run, workload)
    rows = [(naming.series_name(c), phase_increments(levels)) for c in cases
            if (levels := phase_levels(c)) is not None and len(levels) > 1]
    failed = [c for c in cases if phase_levels(c) is None and c.failures]
    if not rows:
        return None
    figure = go.Figure()
    for phase in PHASES:
        figure.add_trace(go.Bar(
            name=PHASE_TITLES[phase], orientation="h", marker={"color": PHASE_COLOURS[phase]},
            y=[label for label, _ in rows], x=[round(inc.get(phase, 0.0) / MIB, 1) for _, inc in rows],
            hovertemplate="%{y}<br>" + PHASE_TITLES[phase] + ": +%{x:,.1f} MiB<extra></extra>",
        ))
    # A case that failed keeps its row, with its status written where its bar would be: never dropped.
    for case in failed:
        figure.add_annotation(x=0, xanchor="left", y=naming.series_name(case), showarrow=False,
                              text=f"failed: {case.failures[0].status} (see the table)",
                              font={"color": FAILED_COLOUR, "size": 11})
    rows += [(naming.series_name(c), {}) for c in failed]
    figure.update_yaxes(categoryorder="array", categoryarray=[label for label, _ in rows])
    batch = selection.reference_batch(run, workload)
    figure.update_layout(**base_layout(
        f"{naming.workload_title(run, workload)}: host memory by phase, batch {batch}",
        barmode="stack", height=max(260, 140 + 34 * len(rows)), legend={"traceorder": "normal"},
        xaxis=value_axis("resident memory (MiB); the bar's end is the peak"), yaxis={"automargin": True},
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure


def _reference_training(run: RunResult, workload: str) -> list[CaseResult]:
    """Training cases at the reference batch, every mode and precision: what a phase chart compares."""
    batch = selection.reference_batch(run, workload)
    return [c for c in selection.training_cases(run, workload) if c.config.get("batch_size") == batch]


def phases_table(run: RunResult, workload: str) -> str:
    rows = []
    for case in _reference_training(run, workload):
        levels = phase_levels(case)
        if levels is None:
            rows.append([formatting.cell(naming.series_name(case))] + [formatting.MISSING] * len(PHASES)
                        + [formatting.cell(naming.case_status(case))])
            continue
        rows.append([formatting.cell(naming.series_name(case))]
                    + [formatting.mebibytes(levels.get(p)) for p in PHASES] + [formatting.cell(naming.case_status(case))])
    headers = ["case"] + [f"after {PHASE_TITLES[p]} (MiB)" if p != "peak" else "peak (MiB)" for p in PHASES] + ["status"]
    return formatting.table(headers, rows)


# --- memory against batch -----------------------------------------------------------------------


def batch_figure(run: RunResult, series: list[MemorySeries], workload: str) -> go.Figure | None:
    drawn = [s for s in series if s.points]
    if not drawn:
        return None
    figure = go.Figure()
    modes = list(dict.fromkeys(s.name.rsplit(" · ", 1)[0] for s in drawn))
    for s in drawn:
        colour = naming.framework_colour(s.framework)
        precision = s.name.rsplit(" · ", 1)[-1]
        symbol = MODE_SYMBOLS[modes.index(s.name.rsplit(" · ", 1)[0]) % len(MODE_SYMBOLS)]
        if precision != "fp32":  # same mode, other precision: the open form of the same marker
            symbol += "-open"
        figure.add_trace(go.Scatter(
            name=s.name, legendgroup=s.name, mode="markers", x=[b for b, _ in s.points],
            y=[round(m / MIB, 1) for _, m in s.points], marker={"color": colour, "symbol": symbol, "size": 9},
            hovertemplate="<b>%{fullData.name}</b><br>batch %{x}: peak %{y:,.1f} MiB<extra></extra>",
        ))
        for case in s.cases:  # a batch that failed is marked where its point would be, never left out
            if case.summary is None and case.failures:
                figure.add_annotation(x=math.log10(int(case.config["batch_size"])), y=0, yref="paper",
                                      yanchor="bottom", textangle=-90, showarrow=False,
                                      text=f"{s.name}: {case.failures[0].status}",
                                      font={"color": FAILED_COLOUR, "size": 10})
        if s.fit is not None:
            # The straight line of the fit, sampled along the log axis so that it is drawn as the curve it is there.
            low, high = min(b for b, _ in s.points), max(b for b, _ in s.points)
            xs = [round(low * (high / low) ** (i / FIT_SAMPLES), 2) for i in range(FIT_SAMPLES + 1)]
            figure.add_trace(go.Scatter(
                name=f"{s.name} fit", legendgroup=s.name, showlegend=False, mode="lines", x=xs,
                y=[round((s.fit.intercept_bytes + s.fit.slope_bytes_per_sample * x) / MIB, 1) for x in xs],
                line={"color": colour, "dash": PRECISION_DASH.get(precision, "solid"), "width": 1},
                hovertemplate=(f"fit: {s.fit.intercept_bytes / MIB:,.1f} MiB + "
                               f"{s.fit.slope_bytes_per_sample / MIB:.3g} MiB × batch<extra></extra>"),
            ))
    figure.update_layout(**base_layout(
        f"{naming.workload_title(run, workload)}: peak host memory against batch size, with least-squares lines",
        height=460, xaxis=value_axis("batch size", type="log", **log_ticks([b for s in drawn for b, _ in s.points])),
        yaxis=value_axis("peak RSS (MiB)"),
    ))
    return figure


def fit_table(series: list[MemorySeries]) -> str:
    rows = []
    # Series measured at one batch only (modes and precisions outside the sweep) have no line to fit;
    # they appear in the phase chart and the mode table instead.
    for s in [s for s in series if len(s.cases) > 1]:
        fit = s.fit
        failed = [c for c in s.cases if c.summary is None]
        status = "; ".join(f"batch {c.config.get('batch_size')}: {naming.case_status(c)}" for c in failed) or "ok"
        if fit is None:
            rows.append([formatting.cell(s.name), str(len(s.points))] + [formatting.MISSING] * 4
                        + [formatting.cell(f"fewer than two batches measured; {status}")])
            continue
        rows.append([
            formatting.cell(s.name), str(fit.points), formatting.significant(fit.intercept_bytes / MIB),
            formatting.significant(fit.slope_bytes_per_sample / MIB),
            formatting.cell(None if fit.residual_rms_bytes is None else f"{fit.residual_rms_bytes / MIB:,.1f}"),
            formatting.cell(None if fit.r_squared is None else f"{fit.r_squared:.3g}"), formatting.cell(status),
        ])
    return formatting.table(["series", "batches", "fixed cost (MiB)", "per sample (MiB)", "residual RMS (MiB)",
                             "R²", "failures"], rows)


def batch_data_table(series: list[MemorySeries]) -> str:
    rows = [[formatting.cell(s.name), str(c.config.get("batch_size")), formatting.mebibytes(p[1]) if p else formatting.MISSING,
             formatting.cell(naming.case_status(c)), formatting.code_span(c.case_id)]
            for s in series for c in s.cases
            for p in [next((pt for pt in s.points if pt[0] == c.config.get("batch_size")), None)]]
    return formatting.table(["series", "batch", "peak RSS (MiB)", "status", "case"], rows)


# --- modes and precisions -----------------------------------------------------------------------


def modes_table(run: RunResult, workload: str) -> str:
    """Peak at the reference batch relative to each framework's default path in fp32."""
    cases = _reference_training(run, workload)
    rows = []
    for framework in naming.frameworks(run):
        mine = [c for c in cases if c.framework == framework]
        default_modes = run.rules.default_modes.get(framework, [])
        baseline = next((c for c in mine if naming.precision_of(c.config) == "fp32"
                         and c.config.get("mode") in default_modes), None)
        base_peak = (phase_levels(baseline) or {}).get("peak") if baseline else None
        for case in mine:
            peak = (phase_levels(case) or {}).get("peak")
            ratio = peak / base_peak if peak and base_peak else None
            rows.append([formatting.cell(naming.series_name(case)), formatting.mebibytes(peak),
                         formatting.cell(f"{ratio:.2f}×" if ratio else None), formatting.cell(naming.case_status(case))])
    return formatting.table(["case", "peak RSS (MiB)", "vs default path fp32", "status"], rows)


@placeholder("memory_by_workload", needs=has_memory_phases)
def memory_by_workload(run: RunResult) -> str:
    parts = []
    for workload in naming.workloads(run):
        slug = naming.workload_slug(workload)
        parts.append(f"## {naming.workload_title(run, workload)} {{#memory-{slug}}}")
        phases = phases_figure(run, workload)
        parts.append(charts.embed_figure(phases, f"chart-{slug}-memory-phases") if phases else NOT_MEASURED)
        parts.append(formatting.folded("Data behind this chart", phases_table(run, workload)))
        series = memory_series(run, workload)
        figure = batch_figure(run, series, workload)
        parts.append(charts.embed_figure(figure, f"chart-{slug}-memory-vs-batch") if figure else NOT_MEASURED)
        parts.append(f"Fixed cost and per-sample cost, fitted by least squares to the peak RSS of each series "
                     f"(residuals say how straight the line is):\n\n{fit_table(series)}")
        parts.append(formatting.folded("Data behind this chart", batch_data_table(series)))
        parts.append(f"What compiled modes and mixed precision do to the peak, at the same batch:\n\n"
                     f"{modes_table(run, workload)}")
        parts.append(f"Reproduce: {formatting.code_span(naming.reproduce_command(run, workload))}")
    return "\n\n".join(parts)


# --- device ------------------------------------------------------------------------------------


@placeholder("device_memory", needs=lambda run: any(s.device_memory_phases for c in run.cases for s in c.samples))
def device_memory(run: RunResult) -> str:
    rows = []
    for case in run.cases:
        samples = [s for s in case.samples if s.status == "ok" and s.device_memory_phases]
        if samples:
            d = samples[0].device_memory_phases
            rows.append([formatting.cell(case.case_id), formatting.mebibytes(d.get("build_allocated")),
                         formatting.mebibytes(d.get("steady_allocated")), formatting.mebibytes(d.get("steady_peak")),
                         formatting.mebibytes(d.get("steady_reserved"))])
    if not rows:
        return (f"{NOT_MEASURED} Run {run.run_id} ran on `{run.settings.device}`; the frameworks' device counters "
                f"(`torch.cuda.max_memory_allocated`, `tf.config.experimental.get_memory_info`) exist on a GPU only.")
    return "\n\n".join([formatting.table(["case", "allocated after build (MiB)", "allocated in steady state (MiB)",
                                          "peak allocated (MiB)", "reserved by the allocator (MiB)"], rows),
                        naming.provenance_line(run)])


@placeholder("largest_batch", needs=lambda run: bool(run.study_records("max_batch")))
def largest_batch(run: RunResult) -> str:
    records = run.study_records("max_batch")
    if not records:
        return (f"{NOT_MEASURED} The search runs on a GPU (`fwbench run --preset gpu`): each attempt is a fresh "
                f"process, so an out-of-memory ends only that attempt.")
    rows = []
    for r in records:
        d: MaxBatchData | None = payload(r)
        rows.append([formatting.cell(naming.workload_title(run, r.workload)), formatting.cell(naming.framework_name(r.framework)),
                     formatting.cell(r.config.get("mode")), formatting.cell(r.config.get("precision")),
                     formatting.cell(d.largest_fitting) if d else formatting.MISSING,
                     formatting.cell(d.smallest_failing if d else None), str(len(d.attempts) if d else 0),
                     formatting.cell(d.stopped_because if d else f"{r.status}: {r.reason}")])
    return "\n\n".join([formatting.table(["workload", "framework", "mode", "precision", "largest batch that fits",
                                          "smallest that did not", "attempts", "how the search ended"], rows),
                        naming.provenance_line(run)])
