"""The speed-up chart: each comparison's step-time ratio with its interval; the table behind it, and what it leaves
out (no pair succeeded, or the final losses disagree) with the reason.
"""

from __future__ import annotations

import plotly.graph_objects as go

from contract.schema import FrameworkComparison, RunResult
from site_scripts.analysis import selection
from site_scripts.charts import section, style
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

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
    varying = labels.comparison_varying_keys(comparisons)
    several_devices = len({c.device for c in comparisons}) > 1
    # Where the run made both paths, each configuration has a row per path: default and fastest, side by side.
    both_paths = len({c.path for c in comparisons}) > 1
    return {i: labels.comparison_label(c, varying, several_devices) + (f" · {PATH_WORDS[c.path]}" if both_paths else "")
            for i, c in enumerate(comparisons)}


PATH_WORDS = {"default": "default path", "best": "fastest path", "fastest_same_samples": "fastest"}


def speedup_figure(run: RunResult, workload: str) -> go.Figure:
    """Step-time ratio per comparison with its confidence interval, coloured by verdict, a line at 1."""
    comparisons = selection.comparisons_of(run, workload)
    row_labels = comparison_labels(run, workload)
    plotted = [(row_labels[i], c) for i, c in enumerate(comparisons)
               if c.ratio_median is not None and c.verdict != "fingerprints_disagree"]
    by_verdict: dict[str, list[tuple[str, FrameworkComparison]]] = {}
    for label, comparison in plotted:
        by_verdict.setdefault(labels.verdict_legend(comparison), []).append((label, comparison))
    figure = go.Figure()
    for legend, points in by_verdict.items():
        first = points[0][1]
        figure.add_trace(go.Scatter(
            name=legend,
            mode="markers",
            x=[c.ratio_median for _, c in points],
            y=[label for label, _ in points],
            error_x={
                "type": "data", "symmetric": False, "color": style.verdict_colour(first),
                "array": [(c.ci_high if c.ci_high is not None else c.ratio_median) - c.ratio_median for _, c in points],
                "arrayminus": [c.ratio_median - (c.ci_low if c.ci_low is not None else c.ratio_median) for _, c in points],
            },
            customdata=[[_sides_text(run, c), _interval_text(c), c.n_pairs,
                         labels.fingerprint_text(c, selection.several_steps_per_call(run, c))] for _, c in points],
            hovertemplate=SPEEDUP_HOVER,
            marker={"color": style.verdict_colour(first), "size": 11,
                    "symbol": ["circle-open" if c.verdict == "insufficient_data" else
                               "diamond" if c.path == "default" else "circle" for _, c in points],
                    "line": {"width": 2, "color": style.verdict_colour(first)}},
        ))
    numerator, denominator = _sides(comparisons)
    categories = [label for label, _ in plotted]
    figure.update_layout(**style.base_layout(
        f"Step-time ratio {numerator} / {denominator}",
        xaxis=style.value_axis(f"step time {numerator} / {denominator} (log scale; below 1: {numerator} faster)", type="log",
                         **style.log_ticks([1.0, *(v for _, c in plotted for v in (c.ci_low, c.ci_high, c.ratio_median))])),
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "autorange": "reversed",
               "gridcolor": style.GRID_COLOUR, "automargin": True},
        shapes=[style.reference_line("x", 1.0)],
        legend={"title": {"text": "verdict"}},
        showlegend=True,  # even with one verdict: the colour must be explained
        height=style.chart_height(len(categories)),
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
    ))
    return figure


def _sides(comparisons: list[FrameworkComparison]) -> tuple[str, str]:
    first = comparisons[0] if comparisons else None
    return (labels.framework_name(first.numerator if first else "torch"),
            labels.framework_name(first.denominator if first else "tensorflow"))


def _sides_text(run: RunResult, comparison: FrameworkComparison) -> str:
    return (f"{labels.framework_name(comparison.numerator)} {selection.side_mode_label(run, comparison, True)} vs "
            f"{labels.framework_name(comparison.denominator)} {selection.side_mode_label(run, comparison, False)}")


def _interval_text(comparison: FrameworkComparison) -> str:
    if comparison.ci_low is None or comparison.ci_high is None:
        return "no interval"
    return f"{comparison.confidence_level:.0%} CI {comparison.ci_low:.4g} – {comparison.ci_high:.4g}"


def speedup_data_table(run: RunResult, workload: str) -> str:
    comparisons = selection.comparisons_of(run, workload)
    row_labels = comparison_labels(run, workload)
    rows = []
    for i, c in enumerate(comparisons):
        if c.verdict == "fingerprints_disagree":
            plotted = "no: final losses disagree"
        elif c.ratio_median is None:
            plotted = "no: no process pair succeeded"
        else:
            plotted = "yes"
        rows.append([
            fmt.cell(row_labels[i]),
            fmt.code_aware_cell(f"{labels.framework_name(c.numerator)} {selection.side_mode_label(run, c, True)}"),
            fmt.code_aware_cell(f"{labels.framework_name(c.denominator)} {selection.side_mode_label(run, c, False)}"),
            fmt.MISSING if c.ratio_median is None else f"{c.ratio_median:.4g}",
            fmt.MISSING if c.ci_low is None else f"{c.ci_low:.4g}",
            fmt.MISSING if c.ci_high is None else f"{c.ci_high:.4g}",
            str(c.n_pairs),
            fmt.cell(labels.fingerprint_text(c, selection.several_steps_per_call(run, c))),
            fmt.cell(labels.verdict_words(c)),
            plotted,
        ])
    level = f"{comparisons[0].confidence_level:.0%}" if comparisons else ""
    headers = ["comparison", "numerator", "denominator", "ratio (median)", f"{level} CI low", f"{level} CI high",
               "process pairs", "final losses (relative difference)", "verdict", "plotted"]
    return fmt.table(headers, rows)


def speedup_not_plotted_table(run: RunResult, workload: str) -> str:
    """Comparisons without a point, and why: no pair of processes succeeded, or the final losses disagree."""
    row_labels = comparison_labels(run, workload)
    rows = []
    for i, c in enumerate(selection.comparisons_of(run, workload)):
        if c.verdict == "fingerprints_disagree":
            precision = labels.precision_of(c.config)
            difference = (fmt.MISSING if c.fingerprint_relative_difference is None
                          else f"{c.fingerprint_relative_difference:.1e}")
            why = (f"the final losses differ by {difference} (relative), beyond the {precision} tolerance of "
                   f"{c.fingerprint_tolerance:g}")
        elif c.ratio_median is None:
            sides = (f"{labels.framework_name(c.numerator)} {selection.side_mode_label(run, c, True)}, "
                     f"{labels.framework_name(c.denominator)} {selection.side_mode_label(run, c, False)}")
            why = f"no process pair succeeded ({sides})"
        else:
            continue
        rows.append([fmt.cell(row_labels[i]), fmt.cell(labels.verdict_words(c)), fmt.code_aware_cell(why)])
    return fmt.table(["not plotted", "verdict", "why"], rows) if rows else ""


def block(run: RunResult, workload: str) -> section.ChartBlock:
    comparisons = selection.comparisons_of(run, workload)
    plotted = plotted_comparisons(run, workload)
    if comparisons:
        first = comparisons[0]
        numerator, denominator = labels.framework_name(first.numerator), labels.framework_name(first.denominator)
        paths = ("each configuration twice: each side in its default mode (diamonds) and in its fastest mode "
                 "(circles)" if len({c.path for c in comparisons}) > 1 else "each side in its fastest mode for that "
                 "configuration" if first.path != "default" else "each side in its default mode")
        method = run.rules.interval_method
        intro = (f"{numerator} step time over {denominator} step time, {paths}, formed pair by pair from adjacent "
                 f"processes (below 1: {numerator} faster). Error bars are the {first.confidence_level:.0%} "
                 f"{fmt.cell(method)}; the dashed line marks 1. Comparisons whose final losses disagree get no point.")
    else:
        intro = "A comparison needs both frameworks measured on one configuration."
    return section.ChartBlock(
        intro=intro,
        figure=speedup_figure(run, workload) if plotted else None,
        empty="No comparison of this workload has a ratio to plot.",
        not_plotted=speedup_not_plotted_table(run, workload),
        data_table=speedup_data_table(run, workload) if comparisons else None,
        notes=[],
    )
