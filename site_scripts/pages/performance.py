"""The Performance page: who is faster where, the overview chart, one section per workload with its five chart
families, every case, and every failure.
"""

from __future__ import annotations

from collections.abc import Callable

from contract.schema import CaseResult, RunResult
from site_scripts import placeholders
from site_scripts.analysis import selection
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
from site_scripts.tables import all_cases, configurations, who_is_faster
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


def workload_section(run: RunResult, workload: str) -> str:
    info = run.workloads.get(workload)
    parts = [f"## {formatting.cell(labels.workload_title(run, workload))} {{#{labels.workload_anchor(workload)}}}"]
    if info:
        parts.extend(configurations.workload_declaration(info))
        if info.notes:
            notes = "\n".join(f"    - **{formatting.cell(topic)}**: {formatting.cell(text)}" for topic, text in info.notes.items())
            parts.append(f'!!! note "What keeps the two implementations the same function"\n\n{notes}')
    sizes = _model_sizes(selection.cases_of(run, workload))
    if sizes:
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
    return "\n\n".join([
        embed.embed_figure(throughput_overview.throughput_figure(run), "chart-throughput"),
        f'??? note "Data behind this chart"\n\n{data_table}',
        f"Reproduce: {formatting.code_span(provenance_text.reproduce_command(run))}",
        formatting.cell(provenance_text.run_caption(run)),
    ])


@placeholders.placeholder("who_is_faster", needs=placeholders.needs_timing_run)
def who_is_faster_section(run: RunResult) -> str:
    """Every comparison in one table, each row linking to its workload's section."""
    return who_is_faster.who_is_faster_table(run)


@placeholders.placeholder("performance_by_workload", needs=placeholders.needs_timing_run)
def performance_by_workload_section(run: RunResult) -> str:
    """A section per workload of the run: throughput against batch, speed-up, compile time, latency, peak."""
    return performance_by_workload(run)


@placeholders.placeholder("run_caption", needs=placeholders.needs_timing_run)
def run_caption_section(run: RunResult) -> str:
    return formatting.cell(provenance_text.run_caption(run))


@placeholders.placeholder("throughput_table", needs=placeholders.needs_timing_run)
def throughput_table_section(run: RunResult) -> str:
    return all_cases.throughput_table(run)


@placeholders.placeholder("failures", needs=placeholders.needs_timing_run)
def failures_section(run: RunResult) -> str:
    return all_cases.failures_table(run)
