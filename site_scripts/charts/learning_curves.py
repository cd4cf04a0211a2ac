"""The accuracy-parity family of one workload: learning curves with a band over seeds, final accuracy per
framework, the paired test over seeds, and every seed's record.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from contract.payloads import ParityData, payload
from contract.schema import RunResult, StudyRecord
from site_scripts.analysis import parity
from site_scripts.charts import style
from site_scripts.text import formatting, labels, quantities

PANELS = (("val_accuracy", "validation accuracy"), ("val_loss", "validation loss"), ("train_loss", "training loss"))


def _frameworks(records: list[StudyRecord]) -> list[str]:
    order = ("torch", "tensorflow")
    present = {r.framework for r in records}
    return [f for f in order if f in present] + sorted(present - set(order))


def _transparent(colour: str, alpha: float = 0.18) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def curves_figure(run: RunResult, workload: str) -> go.Figure | None:
    records = parity.records_of(run, workload)
    frameworks = _frameworks(records)
    if not any(r.status == "ok" for r in records):
        return None
    figure = make_subplots(rows=1, cols=len(PANELS), subplot_titles=[title for _, title in PANELS],
                           horizontal_spacing=0.07)
    for col, (metric, _) in enumerate(PANELS, start=1):
        for framework in frameworks:
            epochs, mean, low, high = parity.curve_band(records, framework, metric)
            if not epochs:
                continue
            colour = style.framework_colour(framework)
            name = labels.framework_name(framework)
            figure.add_trace(go.Scatter(x=epochs + epochs[::-1], y=[round(v, 5) for v in high + low[::-1]],
                                        fill="toself", fillcolor=_transparent(colour), line={"width": 0},
                                        hoverinfo="skip", showlegend=False, legendgroup=framework,
                                        name=f"{name} range over seeds"), row=1, col=col)
            figure.add_trace(go.Scatter(x=epochs, y=[round(v, 5) for v in mean], mode="lines+markers",
                                        line={"color": colour}, name=f"{name} (mean over seeds; band: min–max)",
                                        legendgroup=framework, showlegend=col == 1,
                                        hovertemplate=f"{name}<br>epoch %{{x}}: mean %{{y:.4g}}<extra></extra>"),
                             row=1, col=col)
        figure.update_xaxes(**style.value_axis("epoch"), row=1, col=col)
        figure.update_yaxes(**style.value_axis(""), row=1, col=col)
    figure.update_layout(**style.base_layout(f"{labels.workload_title(run, workload)} on the digits: learning curves",
                                       height=420, legend={"orientation": "h", "y": -0.2},
                                       margin={"t": 90, "l": 60, "r": 20, "b": 90}))
    return figure


def final_table(run: RunResult, workload: str) -> str:
    records = parity.records_of(run, workload)
    rows = []
    for framework in _frameworks(records):
        by_seed = parity.final_accuracy_by_seed(records, framework)
        mean, std = parity.mean_and_std(list(by_seed.values()))
        target = parity.time_to_target(records, framework)
        failed = [r for r in records if r.framework == framework and r.status != "ok"]
        versions = sorted({payload(r).framework_version for r in records if r.framework == framework and r.status == "ok"})
        rows.append([
            formatting.cell(labels.framework_name(framework)), formatting.cell(", ".join(v for v in versions if v)),
            f"{len(by_seed)}", formatting.percent(mean), formatting.percent(std),
            formatting.cell(f"{target.reached} of {target.seeds}"),
            formatting.significant(target.median_seconds, 3), formatting.significant(target.median_epoch, 3),
            formatting.cell("; ".join(f"seed {r.config.get('seed')}: {r.status}: {r.reason}" for r in failed) or "none"),
        ])
    return formatting.table(["framework", "version", "seeds", "final validation accuracy, mean", "std over seeds",
                             "seeds reaching the target", formatting.cell(quantities.label("time_to_target")),
                             "median epoch to target",
                             "failed seeds"], rows)


def test_text(run: RunResult, workload: str) -> str:
    records = parity.records_of(run, workload)
    frameworks = _frameworks(records)
    if len(frameworks) < 2:
        return "Only one framework ran: nothing to compare."
    first, second = frameworks[:2]
    result = parity.paired_test(parity.final_accuracy_by_seed(records, first), parity.final_accuracy_by_seed(records, second))
    names = f"{labels.framework_name(first)} − {labels.framework_name(second)}"
    if result.mean_difference is None:
        return f"**Paired test:** {result.verdict}."
    interval = (f"95 % interval [{result.ci_low * 100:+.2f}, {result.ci_high * 100:+.2f}] points"
                if result.p_value is not None else "no spread between seeds")
    p_text = f", p = {result.p_value:.3g}" if result.p_value is not None else ""
    return (f"**Paired t-test over {result.seeds} seeds** (same seed: same initial weights and data order in both): "
            f"mean difference {names} = {result.mean_difference * 100:+.2f} accuracy points, {interval}{p_text}. "
            f"**Verdict: {result.verdict}** (threshold p < 0.05).")


def settings_text(records: list[StudyRecord]) -> str:
    ok = [r for r in records if r.status == "ok"]
    if not ok:
        return ""
    d: ParityData = payload(ok[0])
    return (f"{d.train_samples} training and {d.val_samples} validation images, {d.epochs} epochs, batch "
            f"{d.batch_size}, target validation accuracy {d.target_accuracy:.0%}; modes: "
            + "; ".join(sorted({formatting.cell(f"{labels.framework_name(r.framework)} {payload(r).mode}") for r in ok}))
            + ".")


def per_seed_table(run: RunResult, workload: str) -> str:
    rows = []
    for record in sorted(parity.records_of(run, workload), key=lambda r: (r.config.get("seed", 0), r.framework or "")):
        data: ParityData | None = payload(record)
        last = data.history[-1] if data is not None and data.history else None
        rows.append([str(record.config.get("seed")), formatting.cell(labels.framework_name(record.framework)),
                     formatting.cell(record.status), formatting.percent(last.val_accuracy if last else None),
                     formatting.significant(last.val_loss if last else None, 4),
                     formatting.significant(data.seconds_to_target if data else None, 3),
                     formatting.percent(record.foreign_cpu_fraction), formatting.code_span(record.record_id)])
    return formatting.table(["seed", "framework", "status", "final val. accuracy", "final val. loss",
                             formatting.cell(quantities.label("time_to_target_per_seed")), "other load", "record"],
                            rows)


def conclusion(run: RunResult, workload: str) -> str:
    """'After 12 epochs over 5 seeds: PyTorch 98.6 %, TensorFlow 98.4 % validation accuracy (mean); no difference
    detected (…).': the final table and the paired test in one sentence."""
    records = parity.records_of(run, workload)
    frameworks = _frameworks(records)
    if len(frameworks) < 2:
        return "Only one framework ran: nothing to compare."
    finals = {fw: parity.final_accuracy_by_seed(records, fw) for fw in frameworks[:2]}
    means = []
    for fw, by_seed in finals.items():
        mean, _ = parity.mean_and_std(list(by_seed.values()))
        means.append(f"{labels.framework_name(fw)} {formatting.percent(mean)}" if mean is not None
                     else f"{labels.framework_name(fw)} no finished seed")
    first, second = frameworks[:2]
    result = parity.paired_test(finals[first], finals[second])
    ok = [r for r in records if r.status == "ok"]
    epochs = payload(ok[0]).epochs if ok else None
    difference = (f"; difference {result.mean_difference * 100:+.2f} points"
                  + (f" (95 % interval {result.ci_low * 100:+.2f} to {result.ci_high * 100:+.2f})"
                     if result.p_value is not None else "") if result.mean_difference is not None else "")
    return formatting.cell(f"Final validation accuracy after {epochs} epochs, mean over {result.seeds} paired seeds: "
                    f"{', '.join(means)}{difference}: {result.verdict}.")
