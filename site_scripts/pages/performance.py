"""The Performance page: who is faster where, the overview chart, and one section per workload with its five chart
families. Every case and every failure are on their own page (pages/cases.py): on one page with the charts, a run
of 97 cases and hostile recorded text outgrew the page budget.
"""

from __future__ import annotations

from collections.abc import Callable

from contract.schema import CaseResult, RunResult
from site_scripts import placeholders
from site_scripts.analysis import headlines, selection
from site_scripts.charts import (
    compile_time,
    embed,
    latency,
    peak_fraction,
    section,
    speedup,
    throughput_overview,
    throughput_vs_batch,
)
from site_scripts.tables import configurations, who_is_faster
from site_scripts.text import formatting, labels, provenance_text

# (chart key, heading): the key names the anchor `perf-<workload>-<key>` and the chart id `chart-<workload>-<key>`.
CHARTS = (
    ("throughput-vs-batch", "Training throughput against batch size"),
    ("speedup", "Speed-up: step-time ratio per configuration"),
    ("compile-time", "Compile and trace time"),
    ("latency", "Inference latency at batch 1"),
    ("peak-fraction", "Achieved fraction of peak"),
)


def performance_by_workload(run: RunResult) -> str:
    return "\n\n".join(workload_section(run, workload) for workload in labels.workloads(run))


def workload_conclusion(run: RunResult, workload: str) -> str:
    """'On the MLP classifier: fp32 training (batch 256): PyTorch 1.2× faster; …': the matrix row in words."""
    cells = headlines.matrix_cells(run)
    parts = []
    for column in headlines.matrix_columns(run):
        comparison = cells.get((workload, column.key))
        if comparison is None:
            continue
        words = who_is_faster.verdict_words_plain(comparison)
        parts.append(f"{column.title} (batch {comparison.config.get('batch_size')}): {words}")
    if not parts:
        return formatting.conclusion(f"No comparison of the two frameworks on this workload in run {run.run_id}.")
    return formatting.conclusion(formatting.cell("; ".join(parts)) + ".")


def workload_section(run: RunResult, workload: str) -> str:
    info = run.workloads.get(workload)
    parts = [f"## {formatting.cell(labels.workload_title(run, workload))} {{#{labels.workload_anchor(workload)}}}",
             workload_conclusion(run, workload)]
    sizes = _model_sizes(selection.cases_of(run, workload))
    if info:
        description, hyperparameters = configurations.workload_declaration(info)
        parts.append(description + (f" Sizes in this run (preset {formatting.code_span(run.settings.preset)}): "
                                    f"{formatting.code_aware_cell(sizes)}." if sizes else ""))
        folded = [hyperparameters]
        if info.notes:
            folded.append("What keeps the two implementations the same function:\n\n" + "\n".join(
                f"- {formatting.code_span(topic)}: {formatting.code_aware_cell(text)}" for topic, text in info.notes.items()))
        parts.append(formatting.folded("Hyperparameters, and what keeps the two implementations the same function",
                                       "\n\n".join(folded)))
    elif sizes:
        parts.append(f"Model and data sizes in this run (preset {formatting.code_span(run.settings.preset)}): "
                     f"{formatting.cell(sizes)}.")
    builders: dict[str, Callable[[RunResult, str], section.ChartBlock]] = {
        "throughput-vs-batch": throughput_vs_batch.block, "speedup": speedup.block, "compile-time": compile_time.block,
        "latency": latency.block, "peak-fraction": peak_fraction.block,
    }
    for key, heading in CHARTS:
        parts.append(section.render_block(run, workload, key, heading, builders[key](run, workload)))
    return "\n\n".join(parts)


def _model_sizes(cases: list[CaseResult]) -> str:
    """The settings every case of the workload shares (the model and data sizes), as 'key=value' text."""
    if not cases:
        return ""
    shared = {k: v for k, v in cases[0].config.items() if all(c.config.get(k) == v for c in cases)}
    per_case = {"task", "precision", "mode", "layout", "batch_size"}
    return labels.config_text_without(shared, per_case)


@placeholders.placeholder("throughput_chart", needs=placeholders.needs_timing_run)
def throughput_chart_section(run: RunResult) -> str:
    """The overview chart (each framework's fastest mode per training configuration), its data, command, caption."""
    data_table = "\n".join(f"    {line}" for line in throughput_overview.chart_data_table(run).splitlines())
    figure = headlines.category_figure(run, headlines.CATEGORIES[0])
    lead = []
    if figure.ratio is not None:
        words, interval = labels.speed_words(figure.comparisons[0].numerator, figure.comparisons[0].denominator,
                                             figure.ratio, figure.low, figure.high, figure.verdict,
                                             run.rules.equivalence_margin)
        lead = [formatting.conclusion(
            f"fp32 training at each workload's reference batch, each framework in its fastest mode: "
            f"{formatting.cell(words)} ({formatting.cell(interval)}, {figure.pairs} process pairs).")]
    return "\n\n".join([*lead,
        embed.embed_figure(throughput_overview.throughput_figure(run), "chart-throughput"),
        f'??? note "Data behind this chart"\n\n{data_table}',
        f"Reproduce: {formatting.code_span(provenance_text.reproduce_command(run))}",
        formatting.cell(provenance_text.run_caption(run)),
    ])


@placeholders.placeholder("who_is_faster", needs=placeholders.needs_timing_run)
def who_is_faster_section(run: RunResult) -> str:
    """The verdicts in one sentence, then every comparison in one table, each row linking to its workload's section."""
    note = who_is_faster.not_measured_note(run)
    return "\n\n".join([formatting.conclusion(who_is_faster.conclusion(run)), *([note] if note else []),
                         who_is_faster.who_is_faster_table(run)])


@placeholders.placeholder("performance_by_workload", needs=placeholders.needs_timing_run)
def performance_by_workload_section(run: RunResult) -> str:
    """A section per workload of the run: throughput against batch, speed-up, compile time, latency, peak."""
    return performance_by_workload(run)


@placeholders.placeholder("run_caption", needs=placeholders.needs_timing_run)
def run_caption_section(run: RunResult) -> str:
    return formatting.cell(provenance_text.run_caption(run))
