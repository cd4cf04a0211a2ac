"""Peak host memory against batch size per series, with the least-squares fixed and per-sample cost, and the
tables behind it.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from contract.schema import RunResult
from site_scripts.analysis import memory
from site_scripts.charts import style
from site_scripts.text import formatting, labels

FIT_SAMPLES = 24  # points along each fitted line


def batch_figure(run: RunResult, series: list[memory.MemorySeries], workload: str) -> go.Figure | None:
    drawn = [s for s in series if s.points]
    if not drawn:
        return None
    figure = go.Figure()
    modes = list(dict.fromkeys(s.name.rsplit(" · ", 1)[0] for s in drawn))
    for s in drawn:
        colour = style.framework_colour(s.framework)
        precision = s.name.rsplit(" · ", 1)[-1]
        symbol = style.MODE_SYMBOLS[modes.index(s.name.rsplit(" · ", 1)[0]) % len(style.MODE_SYMBOLS)]
        if precision != "fp32":  # same mode, other precision: the open form of the same marker
            symbol += "-open"
        figure.add_trace(go.Scatter(
            name=s.name, legendgroup=s.name, mode="markers", x=[b for b, _ in s.points],
            y=[round(m / formatting.MIB, 1) for _, m in s.points], marker={"color": colour, "symbol": symbol, "size": 9},
            hovertemplate="<b>%{fullData.name}</b><br>batch %{x}: peak %{y:,.1f} MiB<extra></extra>",
        ))
        for case in s.cases:  # a batch that failed is marked where its point would be, never left out
            if case.summary is None and case.failures:
                figure.add_annotation(x=math.log10(int(case.config["batch_size"])), y=0, yref="paper",
                                      yanchor="bottom", textangle=-90, showarrow=False,
                                      text=f"{s.name}: {case.failures[0].status}",
                                      font={"color": style.FAILED_COLOUR, "size": 10})
        if s.fit is not None:
            # The straight line of the fit, sampled along the log axis so that it is drawn as the curve it is there.
            low, high = min(b for b, _ in s.points), max(b for b, _ in s.points)
            xs = [round(low * (high / low) ** (i / FIT_SAMPLES), 2) for i in range(FIT_SAMPLES + 1)]
            figure.add_trace(go.Scatter(
                name=f"{s.name} fit", legendgroup=s.name, showlegend=False, mode="lines", x=xs,
                y=[round((s.fit.intercept_bytes + s.fit.slope_bytes_per_sample * x) / formatting.MIB, 1) for x in xs],
                line={"color": colour, "dash": style.PRECISION_DASH.get(precision, "solid"), "width": 1},
                hovertemplate=(f"fit: {s.fit.intercept_bytes / formatting.MIB:,.1f} MiB + "
                               f"{s.fit.slope_bytes_per_sample / formatting.MIB:.3g} MiB × batch<extra></extra>"),
            ))
    figure.update_layout(**style.base_layout(
        f"{labels.workload_title(run, workload)}: peak host memory against batch size, with least-squares lines",
        height=460, xaxis=style.value_axis("batch size (log scale)", type="log", **style.log_ticks([b for s in drawn for b, _ in s.points])),
        yaxis=style.value_axis("peak RSS (MiB)"),
    ))
    return figure


def fit_table(series: list[memory.MemorySeries]) -> str:
    rows = []
    # Series measured at one batch only (modes and precisions outside the sweep) have no line to fit;
    # they appear in the phase chart and the mode table instead.
    for s in [s for s in series if len(s.cases) > 1]:
        fit = s.fit
        failed = [c for c in s.cases if c.summary is None]
        status = "; ".join(f"batch {c.config.get('batch_size')}: {labels.case_status(c)}" for c in failed) or "ok"
        if fit is None:
            rows.append([formatting.code_aware_cell(s.name), str(len(s.points))] + [formatting.MISSING] * 4
                        + [formatting.cell(f"fewer than two batches measured; {status}")])
            continue
        rows.append([
            formatting.code_aware_cell(s.name), str(fit.points), formatting.significant(fit.intercept_bytes / formatting.MIB),
            formatting.significant(fit.slope_bytes_per_sample / formatting.MIB),
            formatting.cell(None if fit.residual_rms_bytes is None else f"{fit.residual_rms_bytes / formatting.MIB:,.1f}"),
            formatting.cell(None if fit.r_squared is None else f"{fit.r_squared:.3g}"), formatting.cell(status),
        ])
    return formatting.table(["series", "batches", "fixed cost (MiB)", "per sample (MiB)", "residual RMS (MiB)",
                             "R²", "failures"], rows)


def batch_data_table(series: list[memory.MemorySeries]) -> str:
    rows = [[formatting.code_aware_cell(s.name), str(c.config.get("batch_size")), formatting.mebibytes(p[1]) if p else formatting.MISSING,
             formatting.code_aware_cell(labels.case_status(c)), formatting.code_span(c.case_id)]
            for s in series for c in s.cases
            for p in [next((pt for pt in s.points if pt[0] == c.config.get("batch_size")), None)]]
    return formatting.table(["series", "batch", "peak RSS (MiB)", "status", "case"], rows)
