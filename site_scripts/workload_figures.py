"""The charts of one workload's section: pure functions, (run, workload) in, Plotly figure out.

Only measured cases are drawn; a case with no summary or no number for the chart is
never drawn as zero. The sections module lists those under each chart with their reason.
Plotted values are the summaries' own numbers; bulky hover data and pooled per-call
latencies are rounded to four significant figures, finer than any hover or pixel shows.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from contract.schema import CaseResult, FrameworkComparison, RunResult
from site_scripts import formatting, naming, selection
from site_scripts.figures import GRID_COLOUR, base_layout, reference_line, value_axis

MODE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")
PRECISION_DASH = {"fp32": "solid", "bf16": "dash", "fp16": "dot"}
GFLOP = 1e9
ROW_HEIGHT_PX = 30  # horizontal bar and dot charts grow with their number of rows


def _height(rows: int) -> int:
    return max(260, 150 + ROW_HEIGHT_PX * rows)


def log_ticks(values: list[float]) -> dict:
    """Ticks for a log axis, labelled plainly (never plotly's bare '2…9'): 1-2-5 steps, finer when the values span
    less than a decade, decades only when 1-2-5 would crowd."""
    positive = [v for v in values if v is not None and v > 0]
    if not positive:
        return {}
    low, high = min(positive) / 2, max(positive) * 2
    mantissas = (1, 1.5, 2, 3, 5, 7) if max(positive) / min(positive) < 10 else (1, 2, 5)
    decade = 10.0 ** math.floor(math.log10(low))
    ticks = []
    while decade <= high:
        ticks += [float(f"{m * decade:.2g}") for m in mantissas if low <= m * decade <= high]
        decade *= 10
    if len(ticks) > 12:
        ticks = [t for t in ticks if f"{t:.0e}".startswith("1")]
    return {"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]}


def _r(value: float | None) -> float | None:
    return None if value is None else formatting.round_significant(value)


# --- training throughput against batch size ---------------------------------------------------

SCALING_HOVER = (
    "<b>%{fullData.name}</b> · batch %{x}<br>"
    "median %{y:,.4g} samples/s<br>"
    "IQR over processes %{customdata[2]:,.4g} – %{customdata[3]:,.4g} samples/s<br>"
    "processes ok %{customdata[4]} of %{customdata[5]}<br>"
    "case %{customdata[1]}<br>"
    "%{customdata[0]}"
    "<extra></extra>"
)


def scaling_series(run: RunResult, workload: str) -> dict[str, list[CaseResult]]:
    """Measured training cases per line: (framework, mode, layout, precision), each sorted by batch."""
    series: dict[str, list[CaseResult]] = {}
    for case in selection.training_cases(run, workload):
        if case.summary is not None:
            series.setdefault(naming.series_name(case), []).append(case)
    for members in series.values():
        members.sort(key=lambda c: int(c.config["batch_size"]))
    return series


def throughput_vs_batch_figure(run: RunResult, workload: str) -> go.Figure:
    """Training samples/s against batch size, one line per framework, mode, layout and precision."""
    series = scaling_series(run, workload)
    modes = list(dict.fromkeys(naming.mode_label(c.config) for members in series.values() for c in members))
    figure = go.Figure()
    for name, members in series.items():
        summaries = [c.summary for c in members]
        first = members[0]
        figure.add_trace(go.Scatter(
            name=name,
            mode="lines+markers",
            x=[int(c.config["batch_size"]) for c in members],
            y=[s.samples_per_second_median for s in summaries],
            error_y={
                "type": "data", "symmetric": False,
                "array": [s.samples_per_second_q3 - s.samples_per_second_median for s in summaries],
                "arrayminus": [s.samples_per_second_median - s.samples_per_second_q1 for s in summaries],
            },
            customdata=[
                [naming.config_text(c.config), c.case_id, _r(s.samples_per_second_q1), _r(s.samples_per_second_q3),
                 s.processes_ok, len(c.samples)]
                for c, s in zip(members, summaries)
            ],
            hovertemplate=SCALING_HOVER,
            line={"color": naming.framework_colour(first.framework),
                  "dash": PRECISION_DASH.get(naming.precision_of(first.config), "dashdot")},
            marker={"symbol": MODE_SYMBOLS[modes.index(naming.mode_label(first.config)) % len(MODE_SYMBOLS)],
                    "size": 9},
        ))
    batches = sorted({x for trace in figure.data for x in trace.x})
    figure.update_layout(**base_layout(
        "Training throughput against batch size",
        xaxis=value_axis("batch size (log scale)", type="log", tickvals=batches, ticktext=[str(b) for b in batches]),
        yaxis=value_axis("training throughput (samples/s)", rangemode="tozero"),
        legend={"title": {"text": "framework, mode, precision"}},
    ))
    return figure


# --- speed-up ratio ---------------------------------------------------------------------------

SPEEDUP_HOVER = (
    "<b>%{y}</b><br>"
    "%{customdata[0]}<br>"
    "ratio %{x:.4g}, %{customdata[1]}<br>"
    "%{customdata[2]} process pairs<br>"
    "final losses: %{customdata[3]}"
    "<extra>%{fullData.name}</extra>"
)


def plotted_comparisons(run: RunResult, workload: str) -> list[FrameworkComparison]:
    """Comparisons with a ratio to show: not those without pairs, nor those whose final losses disagree."""
    return [c for c in selection.comparisons_of(run, workload)
            if c.ratio_median is not None and c.verdict != "fingerprints_disagree"]


def comparison_labels(run: RunResult, workload: str) -> dict[int, str]:
    """Axis label of each of the workload's comparisons, by position in selection.comparisons_of."""
    comparisons = selection.comparisons_of(run, workload)
    varying = naming.comparison_varying_keys(comparisons)
    several_devices = len({c.device for c in comparisons}) > 1
    return {i: naming.comparison_label(c, varying, several_devices) for i, c in enumerate(comparisons)}


def speedup_figure(run: RunResult, workload: str) -> go.Figure:
    """Step-time ratio per comparison with its confidence interval, coloured by verdict, a line at 1."""
    comparisons = selection.comparisons_of(run, workload)
    labels = comparison_labels(run, workload)
    plotted = [(labels[i], c) for i, c in enumerate(comparisons)
               if c.ratio_median is not None and c.verdict != "fingerprints_disagree"]
    by_verdict: dict[str, list[tuple[str, FrameworkComparison]]] = {}
    for label, comparison in plotted:
        by_verdict.setdefault(naming.verdict_legend(comparison), []).append((label, comparison))
    figure = go.Figure()
    for legend, points in by_verdict.items():
        first = points[0][1]
        figure.add_trace(go.Scatter(
            name=legend,
            mode="markers",
            x=[c.ratio_median for _, c in points],
            y=[label for label, _ in points],
            error_x={
                "type": "data", "symmetric": False, "color": naming.verdict_colour(first),
                "array": [(c.ci_high if c.ci_high is not None else c.ratio_median) - c.ratio_median for _, c in points],
                "arrayminus": [c.ratio_median - (c.ci_low if c.ci_low is not None else c.ratio_median) for _, c in points],
            },
            customdata=[[_sides_text(run, c), _interval_text(c), c.n_pairs,
                         naming.fingerprint_text(c, selection.several_steps_per_call(run, c))] for _, c in points],
            hovertemplate=SPEEDUP_HOVER,
            marker={"color": naming.verdict_colour(first), "size": 11,
                    "symbol": "circle-open" if first.verdict == "insufficient_data" else "circle",
                    "line": {"width": 2, "color": naming.verdict_colour(first)}},
        ))
    numerator, denominator = _sides(comparisons)
    categories = [label for label, _ in plotted]
    figure.update_layout(**base_layout(
        f"Step-time ratio {numerator} / {denominator}",
        xaxis=value_axis(f"step time {numerator} / {denominator} (log scale; below 1: {numerator} faster)", type="log",
                         **log_ticks([1.0, *(v for _, c in plotted for v in (c.ci_low, c.ci_high, c.ratio_median))])),
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "autorange": "reversed",
               "gridcolor": GRID_COLOUR, "automargin": True},
        shapes=[reference_line("x", 1.0)],
        legend={"title": {"text": "verdict"}},
        showlegend=True,  # even with one verdict: the colour must be explained
        height=_height(len(categories)),
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure


def _sides(comparisons: list[FrameworkComparison]) -> tuple[str, str]:
    first = comparisons[0] if comparisons else None
    return (naming.framework_name(first.numerator if first else "torch"),
            naming.framework_name(first.denominator if first else "tensorflow"))


def _sides_text(run: RunResult, comparison: FrameworkComparison) -> str:
    return (f"{naming.framework_name(comparison.numerator)} {selection.side_mode_label(run, comparison, True)} vs "
            f"{naming.framework_name(comparison.denominator)} {selection.side_mode_label(run, comparison, False)}")


def _interval_text(comparison: FrameworkComparison) -> str:
    if comparison.ci_low is None or comparison.ci_high is None:
        return "no interval"
    return f"{comparison.confidence_level:.0%} CI {comparison.ci_low:.4g} – {comparison.ci_high:.4g}"


# --- compile / trace time ---------------------------------------------------------------------

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
    for framework in naming.frameworks(run):
        members = [c for c in cases if c.framework == framework]
        if not members:
            continue
        figure.add_trace(go.Bar(
            name=naming.framework_name(framework),
            orientation="h",
            y=[naming.case_label(c) for c in members],
            x=[c.summary.compile_seconds_median for c in members],
            customdata=[[_r(c.summary.first_step_seconds_median), _r(c.summary.step_seconds_median),
                         steps_per_call(c), mode_details(c), c.case_id] for c in members],
            hovertemplate=COMPILE_HOVER,
            texttemplate="%{x:.3g} s",
            textposition="outside",
            cliponaxis=False,
            marker={"color": naming.framework_colour(framework)},
        ))
    positive = all(c.summary.compile_seconds_median > 0 for c in cases)
    batch = selection.reference_batch(run, workload)
    figure.update_layout(**base_layout(
        f"Compile and trace time, fp32 training, batch {batch}",
        xaxis=value_axis("first call minus steady steps (s" + (", log scale)" if positive else ")"),
                         type="log" if positive else "linear", rangemode="tozero",
                         **(log_ticks([c.summary.compile_seconds_median for c in cases]) if positive else {})),
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        barmode="overlay",
        legend={"title": {"text": "framework"}},
        height=_height(len(cases)),
        margin={"t": 60, "l": 20, "r": 60, "b": 60},
    ))
    return figure


# --- batch-1 inference latency ----------------------------------------------------------------


def latency_values_ms(case: CaseResult) -> list[float]:
    """Every measured call of every successful process, in milliseconds, pooled."""
    return [formatting.round_significant(t * 1000) for s in case.samples if s.status == "ok" for t in s.step_seconds]


def latency_figure(run: RunResult, workload: str) -> go.Figure:
    """Box plots of per-call latency at batch 1, one box per framework and mode, pooled over processes."""
    figure = go.Figure()
    measured = [c for c in selection.latency_cases(run, workload) if c.summary is not None]
    for case in measured:
        colour = naming.framework_colour(case.framework)
        figure.add_trace(go.Box(
            name=naming.case_label(case),
            y=latency_values_ms(case),
            boxpoints="outliers",
            marker={"color": colour, "size": 4},
            line={"color": colour},
            hoverinfo="y+name",
        ))
    figure.update_layout(**base_layout(
        "Inference latency per call, batch 1",
        yaxis=value_axis("latency per call (ms, log scale)", type="log",
                         **log_ticks([v for trace in figure.data for v in trace.y])),
        xaxis={"type": "category", "title": {"text": "framework and mode"}},
        showlegend=False,
    ))
    return figure


# --- achieved fraction of peak ----------------------------------------------------------------

PEAK_HOVER = (
    "<b>%{y}</b><br>"
    "%{x:.1%} of the measured matmul peak<br>"
    "achieved %{customdata[0]:,.4g} GFLOP/s; peak %{customdata[1]:,.4g} GFLOP/s (%{customdata[2]})<br>"
    "case %{customdata[3]}"
    "<extra></extra>"
)


def peak_cases(run: RunResult, workload: str) -> list[CaseResult]:
    """Training and large-batch inference cases with a fraction of peak to show."""
    return [c for c in selection.throughput_cases(run, workload)
            if c.summary is not None and c.summary.fraction_of_peak is not None]


def peak_label(case: CaseResult) -> str:
    """'train · fp32 · batch 128 · PyTorch eager'."""
    config = case.config
    return (f"{naming.task_of(config)} · {naming.precision_of(config)} · batch {config.get('batch_size')} · "
            f"{naming.case_label(case)}")


def peak_text(run: RunResult, case: CaseResult) -> str:
    peak = selection.peak_for(run, case.framework, case.device, naming.precision_of(case.config))
    if peak is None:
        return "no peak measured"
    return f"{naming.framework_name(peak.framework)} {peak.precision} matmul, n = {peak.matrix_size}"


def peak_fraction_figure(run: RunResult, workload: str) -> go.Figure:
    """Horizontal bars: achieved FLOP/s over the framework's own measured matmul peak for the precision."""
    cases = peak_cases(run, workload)
    figure = go.Figure()
    for framework in naming.frameworks(run):
        members = [c for c in cases if c.framework == framework]
        if not members:
            continue
        peaks = [selection.peak_for(run, c.framework, c.device, naming.precision_of(c.config)) for c in members]
        figure.add_trace(go.Bar(
            name=naming.framework_name(framework),
            orientation="h",
            y=[peak_label(c) for c in members],
            x=[c.summary.fraction_of_peak for c in members],
            customdata=[
                [_r(c.summary.achieved_flops_per_second / GFLOP) if c.summary.achieved_flops_per_second else None,
                 _r(p.flops_per_second / GFLOP) if p and p.flops_per_second else None,
                 peak_text(run, c), c.case_id]
                for c, p in zip(members, peaks)
            ],
            hovertemplate=PEAK_HOVER,
            marker={"color": naming.framework_colour(framework)},
        ))
    figure.update_layout(**base_layout(
        "Achieved fraction of the matmul peak",
        xaxis=value_axis("fraction of the framework's matmul peak (dashed line: the peak)", tickformat=".0%",
                         rangemode="tozero"),
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        barmode="overlay",
        shapes=[reference_line("x", 1.0)],
        legend={"title": {"text": "framework"}},
        height=_height(len(cases)),
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure
