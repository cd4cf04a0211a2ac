"""The memory article: host RSS by phase, memory against batch with a fitted fixed and per-sample cost,
what compiled modes and mixed precision change, device counters and the largest batch that fits.
"""

from __future__ import annotations

from contract.payloads import MaxBatchData, payload
from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import memory, selection
from site_scripts.charts import embed, memory_phases, memory_vs_batch
from site_scripts.tables import memory_modes
from site_scripts.text import formatting, labels, provenance_text


@placeholders.placeholder("memory_run", needs=memory.has_memory_phases)
def memory_run(run: RunResult) -> str:
    """Which run, which machine, and what host RSS includes."""
    if not memory.has_memory_phases(run):
        return f'!!! warning "No memory phases"\n\n    {formatting.NOT_MEASURED} Run `fwbench run --preset memory` to measure them.'
    host = run.provenance.host
    return "\n".join([
        f"Every number on this page comes from run **{run.run_id}** (preset {formatting.code_span(run.settings.preset)}, "
        f"{run.settings.processes_per_case} process(es) per case), measured on **{formatting.cell(host.cpu_model)}** "
        f"({host.usable_cpus} usable CPUs, {formatting.gibibytes(host.ram_bytes)} GiB RAM, "
        f"{formatting.cell(provenance_text.gpu_names(run))}), device {formatting.code_span(run.settings.device)}.",
        "",
        provenance_text.provenance_line(run),
    ])


def workload_conclusion(run: RunResult, workload: str) -> str:
    """'At batch 256, fp32 training in the default modes: TensorFlow peaks at 1.9× PyTorch's host memory (…); the
    framework import alone is … of it.': the phase chart in one sentence."""
    batch = selection.reference_batch(run, workload)
    levels = {}
    for case in selection.reference_cases(run, workload):
        if case.config.get("mode") in run.rules.default_modes.get(case.framework, []) and case.framework not in levels:
            found = memory.phase_levels(case)
            if found and "peak" in found:
                levels[case.framework] = found
    if len(levels) < 2:
        return formatting.conclusion(f"No two frameworks have memory phases for fp32 training at batch {batch} in "
                                     f"their default modes in run {run.run_id}.")
    (a, first), (b, second) = sorted(levels.items(), key=lambda item: item[1]["peak"])
    mib = lambda value: f"{formatting.significant(value / 2**20, 3)} MiB"  # noqa: E731
    sentence = (f"fp32 training at batch {batch} in the default modes: {labels.framework_name(b)} peaks at "
                f"{mib(second['peak'])}, {labels.times(second['peak'] / first['peak'])} {labels.framework_name(a)}'s "
                f"{mib(first['peak'])}")
    if "import" in first and "import" in second:
        above = lambda lv: lv["peak"] - lv["import"]  # noqa: E731
        sentence += (f"; after the framework import alone the processes hold {mib(second['import'])} and "
                     f"{mib(first['import'])}, and training adds {mib(above(second))} ({labels.framework_name(b)}) "
                     f"and {mib(above(first))} ({labels.framework_name(a)}) on top")
    return formatting.conclusion(formatting.cell(sentence + "."))


@placeholders.placeholder("memory_by_workload", needs=memory.has_memory_phases)
def memory_by_workload(run: RunResult) -> str:
    parts = []
    for workload in labels.workloads(run):
        slug = labels.workload_slug(workload)
        parts.append(f"## {formatting.cell(labels.workload_title(run, workload))} {{#memory-{slug}}}")
        parts.append(workload_conclusion(run, workload))
        phases = memory_phases.phases_figure(run, workload)
        parts.append(embed.embed_figure(phases, f"chart-{slug}-memory-phases") if phases else formatting.NOT_MEASURED)
        parts.append(formatting.folded("Data behind this chart", memory_phases.phases_table(run, workload)))
        series = memory.memory_series(run, workload)
        figure = memory_vs_batch.batch_figure(run, series, workload)
        parts.append(embed.embed_figure(figure, f"chart-{slug}-memory-vs-batch") if figure else formatting.NOT_MEASURED)
        parts.append(f"Fixed cost and per-sample cost, fitted by least squares to the peak RSS of each series "
                     f"(residuals say how straight the line is):\n\n{memory_vs_batch.fit_table(series)}")
        parts.append(formatting.folded("Data behind this chart", memory_vs_batch.batch_data_table(series)))
        parts.append(f"What compiled modes and mixed precision do to the peak, at the same batch:\n\n"
                     f"{memory_modes.modes_table(run, workload)}")
        parts.append(f"Reproduce: {formatting.code_span(provenance_text.reproduce_command(run, workload))}")
    return "\n\n".join(parts)


@placeholders.placeholder("device_memory", needs=lambda run: any(s.device_memory_phases for c in run.cases for s in c.samples))
def device_memory(run: RunResult) -> str:
    rows = []
    for case in run.cases:
        samples = [s for s in case.samples if s.status == "ok" and s.device_memory_phases]
        if samples:
            d = samples[0].device_memory_phases
            rows.append([formatting.cell(labels.workload_title(run, case.workload)),
                         formatting.code_aware_cell(f"{labels.series_name(case)} · {labels.task_of(case.config)}"),
                         formatting.cell(case.config.get("batch_size")), formatting.mebibytes(d.get("build_allocated")),
                         formatting.mebibytes(d.get("steady_allocated")), formatting.mebibytes(d.get("steady_peak")),
                         formatting.mebibytes(d.get("steady_reserved"))])
    if not rows:
        return (f"{formatting.NOT_MEASURED} Run {run.run_id} ran on {formatting.code_span(run.settings.device)}; the frameworks' device counters "
                f"(`torch.cuda.max_memory_allocated`, `tf.config.experimental.get_memory_info`) exist on a GPU only.")
    return "\n\n".join([formatting.table(["workload", "case", "batch", "allocated after build (MiB)", "allocated in steady state (MiB)",
                                          "peak allocated (MiB)", "reserved by the allocator (MiB)"], rows),
                        provenance_text.provenance_line(run)])


@placeholders.placeholder("largest_batch", needs=lambda run: bool(run.study_records("max_batch")))
def largest_batch(run: RunResult) -> str:
    records = run.study_records("max_batch")
    if not records:
        return (f"{formatting.NOT_MEASURED} The search runs on a GPU (`fwbench run --preset gpu`): each attempt is a fresh "
                f"process, so an out-of-memory ends only that attempt.")
    rows = []
    for r in records:
        d: MaxBatchData | None = payload(r)
        rows.append([formatting.cell(labels.workload_title(run, r.workload)), formatting.cell(labels.framework_name(r.framework)),
                     formatting.cell(r.config.get("mode")), formatting.cell(r.config.get("precision")),
                     formatting.cell(d.largest_fitting) if d else formatting.MISSING,
                     formatting.cell(d.smallest_failing if d else None), str(len(d.attempts) if d else 0),
                     formatting.cell(d.stopped_because if d else f"{r.status}: {r.reason}")])
    return "\n\n".join([formatting.table(["workload", "framework", "mode", "precision", "largest batch that fits",
                                          "smallest that did not", "attempts", "how the search ended"], rows),
                        provenance_text.provenance_line(run)])
