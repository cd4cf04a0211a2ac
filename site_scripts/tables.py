"""Pure functions from a run to Markdown tables; the tests call them with made-up runs.

Failed cases and processes are rows with their status and reason, never left out: a
missing row would read as "not measured" when the truth is "measured and it broke".
"""

from __future__ import annotations

from contract.schema import CaseResult, GpuInfo, RunResult, WorkloadInfo
from site_scripts import formatting as fmt
from site_scripts import naming, selection

CASE_HEADERS = ["workload", "task", "precision", "batch", "framework", "mode"]


def case_headers(run: RunResult) -> list[str]:
    return [*CASE_HEADERS, *(["device"] if _several_devices(run) else [])]


def case_cells(run: RunResult, case: CaseResult) -> list[str]:
    """The columns that tell one case from another: what it computed, and how its framework ran it."""
    return [
        fmt.cell(case.workload),
        fmt.cell(naming.task_of(case.config)),
        fmt.cell(naming.precision_of(case.config)),
        fmt.cell(case.config.get("batch_size")),
        fmt.cell(naming.framework_name(case.framework)),
        fmt.cell(naming.mode_label(case.config)),
        *([fmt.cell(case.device)] if _several_devices(run) else []),
    ]


def _several_devices(run: RunResult) -> bool:
    return len({c.device for c in run.cases}) > 1


def all_cases_in_order(run: RunResult) -> list[CaseResult]:
    return [case for workload in naming.workloads(run) for case in selection.cases_of(run, workload)]


def throughput_table(run: RunResult) -> str:
    """Every case of the run, one row each, with its summary numbers or its failure."""
    rows = []
    for case in all_cases_in_order(run):
        s = case.summary
        rows.append([
            *case_cells(run, case),
            fmt.number(s.samples_per_second_median) if s else fmt.MISSING,
            f"{fmt.number(s.samples_per_second_q1)} – {fmt.number(s.samples_per_second_q3)}" if s else fmt.MISSING,
            fmt.number(s.step_seconds_median * 1000) if s else fmt.MISSING,
            fmt.number(s.first_step_seconds_median) if s else fmt.MISSING,
            fmt.mebibytes(s.peak_host_rss_bytes_median) if s else fmt.MISSING,
            f"{s.processes_ok if s else 0} / {len(case.samples)}",
            fmt.loss(s.final_loss_median) if s else fmt.MISSING,
            _load_cell(s.foreign_cpu_fraction_max if s else None, run.rules.loaded_machine_fraction),
            fmt.cell(naming.case_status(case)),
        ])
    headers = [
        *case_headers(run), "samples/s (median)", "samples/s IQR", "step time, median (ms)", "first call (s)",
        "peak host RSS (MiB)", "processes ok / total", "final loss",
        f"other load (max; ⚠ above {run.rules.loaded_machine_fraction:.0%})", "status",
    ]
    return fmt.table(headers, rows)


def _load_cell(fraction: float | None, threshold: float) -> str:
    """CPU share other processes took during the case's processes; flagged when timings may be disturbed."""
    if fraction is None:
        return fmt.MISSING
    text = f"{fraction:.0%}"
    return f"{text} ⚠ loaded" if fraction > threshold else text


def chart_data_table(run: RunResult) -> str:
    """The numbers behind the overview chart, bar by bar, for readers without JavaScript or with screen readers."""
    rows = []
    for label, by_framework in selection.training_configurations(run):
        for framework, cases in by_framework.items():
            best = selection.shown_case(run, cases)
            s = best.summary if best else None
            rows.append([
                fmt.cell(label),
                fmt.cell(naming.framework_name(framework)),
                fmt.cell(naming.mode_label(best.config)) if best else fmt.MISSING,
                fmt.number(s.samples_per_second_median) if s else fmt.MISSING,
                fmt.number(s.samples_per_second_q1) if s else fmt.MISSING,
                fmt.number(s.samples_per_second_q3) if s else fmt.MISSING,
                f"{s.processes_ok} / {len(best.samples)}" if s else f"0 / {sum(len(c.samples) for c in cases)}",
                fmt.cell(naming.case_status(best) if best else _statuses_of_failed(cases)),
            ])
    headers = ["configuration", "framework", "fastest mode", "median (samples/s)", "Q1", "Q3",
               "processes ok / total", "status"]
    return fmt.table(headers, rows)


def _statuses_of_failed(cases: list[CaseResult]) -> str:
    if len(cases) == 1:
        return naming.case_status(cases[0])
    return "; ".join(f"{naming.mode_label(c.config)}: {naming.case_status(c)}" for c in cases)


def who_is_faster_table(run: RunResult) -> str:
    """Every comparison, one row: what was compared, each side's fastest mode, the ratio, its evidence, the verdict.

    The configuration reads 'train · fp32 · batch 128', the same label as the speed-up
    chart's axis, and the workload links to its section on the Performance page.
    """
    comparisons = selection.comparisons_of(run)
    if not comparisons:
        return "No framework comparisons in this run: a comparison needs two frameworks measured on one configuration."
    pairs = {(c.numerator, c.denominator) for c in comparisons}
    numerator, denominator = next(iter(pairs)) if len(pairs) == 1 else ("numerator", "denominator")
    several_devices = len({c.device for c in comparisons}) > 1
    rows = []
    for c in comparisons:
        refused = c.verdict == "fingerprints_disagree"
        interval = (fmt.MISSING if refused or c.ci_low is None or c.ci_high is None
                    else f"{c.ci_low:.3f} – {c.ci_high:.3f}")
        sides = [selection.side_mode_label(run, c, True), selection.side_mode_label(run, c, False)]
        if len(pairs) > 1:
            sides = [f"{naming.framework_name(c.numerator)} {sides[0]}", f"{naming.framework_name(c.denominator)} {sides[1]}"]
        others = naming.comparison_varying_keys([x for x in comparisons if x.workload == c.workload])
        rows.append([
            f"[{fmt.cell(naming.workload_title(run, c.workload))}](#{naming.workload_anchor(c.workload)})",
            fmt.cell(naming.comparison_label(c, others, several_devices)),
            *(fmt.cell(side) for side in sides),
            fmt.MISSING if refused or c.ratio_median is None else f"{c.ratio_median:.3f}",
            interval,
            str(c.n_pairs),
            fmt.cell(naming.fingerprint_text(c, selection.several_steps_per_call(run, c))),
            fmt.cell(naming.verdict_words(c)),
        ])
    name_of = naming.framework_name
    level = {f"{c.confidence_level:.0%}" for c in comparisons}
    headers = [
        "workload", "configuration", f"{name_of(numerator)} mode", f"{name_of(denominator)} mode",
        f"step-time ratio {name_of(numerator)} / {name_of(denominator)}",
        f"{level.pop()} CI" if len(level) == 1 else "confidence interval",
        "pairs", "final losses (relative difference)", "verdict",
    ]
    return fmt.table(headers, rows)


def failures_table(run: RunResult) -> str:
    """Every process that did not finish cleanly, with its reason and, folded, the end of its stderr."""
    failed = [(case, sample) for case in all_cases_in_order(run) for sample in case.failures]
    if not failed:
        return "No failed processes in this run."
    rows = [
        [*case_cells(run, case), str(sample.repeat_index), fmt.cell(sample.status),
         fmt.cell(sample.reason or "no reason recorded")]
        for case, sample in failed
    ]
    parts = [fmt.table([*case_headers(run), "repeat", "status", "reason"], rows)]
    for case, sample in failed:
        title = f"stderr: {case.case_id}, repeat {sample.repeat_index}"
        parts.append(_folded_text(title, sample.stderr_tail or "(no stderr captured)"))
    return "\n\n".join(parts)


def _folded_text(title: str, text: str) -> str:
    """A collapsed pymdownx.details block holding text verbatim in a fence longer than any inside it."""
    longest = max((len(line) - len(line.lstrip("`")) for line in text.splitlines()), default=0)
    fence = "`" * max(3, longest + 1)
    quoted_title = title.replace('"', "'")
    body = "\n".join(f"    {line}" for line in [f"{fence}text", *text.splitlines(), fence])
    return f'??? failure "{quoted_title}"\n\n{body}'


def configurations_table(run: RunResult) -> str:
    """Per workload, the configurations this run measured and the frameworks it measured them with."""
    parts = [
        f"Every case ran in {run.settings.processes_per_case} fresh processes, each with "
        f"{run.settings.warmup_steps} warm-up steps and {run.settings.measured_steps} measured steps, "
        f"{run.settings.threads} threads, and a timeout of {fmt.number(run.settings.timeout_seconds)} s "
        f"(preset {fmt.code_span(run.settings.preset)})."
    ]
    for workload in dict.fromkeys(c.workload for c in run.cases):
        cases = [c for c in run.cases if c.workload == workload]
        keys = sorted({k for c in cases for k in c.config})
        frameworks_of: dict[tuple, list[str]] = {}
        first_case_of: dict[tuple, CaseResult] = {}
        for case in cases:
            key = naming.configuration_key(case.workload, case.device, case.config)
            first_case_of.setdefault(key, case)
            frameworks_of.setdefault(key, []).append(naming.framework_name(case.framework))
        rows = [
            [fmt.cell(case.device), *(fmt.cell(case.config.get(k)) for k in keys), fmt.cell(", ".join(frameworks_of[key]))]
            for key, case in first_case_of.items()
        ]
        info = run.workloads.get(workload)
        parts.append(f"### {fmt.cell(info.title if info else workload)}")
        if info:
            parts.extend(workload_declaration(info))
        parts.append(fmt.table(["device", *(fmt.cell(k) for k in keys), "frameworks"], rows))
    return "\n\n".join(parts)


def workload_declaration(info: WorkloadInfo) -> list[str]:
    """A workload's description and hyperparameters, as recorded in the run (Methodology and Performance)."""
    return [fmt.cell(info.description),
            fmt.table(["hyperparameter", "value"], [[fmt.cell(k), fmt.cell(v)] for k, v in info.hyperparameters.items()])]


def provenance_table(run: RunResult) -> str:
    """Where the numbers came from: code, settings, software and hardware, one fact per row."""
    p = run.provenance
    host = p.host
    commit = "unknown" if p.git_commit is None else fmt.code_span(p.git_commit)
    if p.git_dirty:
        commit += " with uncommitted changes"
    elif p.git_dirty is False:
        commit += " (clean)"
    rows = [
        ["run id", fmt.code_span(run.run_id)],
        ["status", fmt.cell(run.status)],
        ["started", fmt.utc(run.started_utc)],
        ["finished", fmt.utc(run.finished_utc)],
        ["duration", fmt.duration(run.finished_utc - run.started_utc if run.finished_utc else None)],
        ["command", fmt.code_span(run.command)],
        ["git commit", commit],
        ["code hash", fmt.code_span(p.code_hash)],
        *([f"setting: {name.replace('_', ' ')}", fmt.cell(_setting_text(value))] for name, value in run.settings),
        ["Python", fmt.cell(p.python_version)],
        *([f"package: {fmt.cell(name)}", fmt.cell(version)] for name, version in sorted(p.packages.items())),
        ["CPU", fmt.cell(host.cpu_model)],
        ["CPU cores: logical / usable / physical",
         f"{host.logical_cpus} / {host.usable_cpus} / {host.physical_cores if host.physical_cores is not None else 'unknown'}"],
        ["RAM (GiB)", fmt.gibibytes(host.ram_bytes)],
        ["OS", fmt.cell(host.os)],
        ["machine", fmt.cell(host.machine)],
        *([f"GPU {i}", fmt.cell(_gpu_text(gpu))] for i, gpu in enumerate(p.gpus)),
    ]
    if not p.gpus:
        rows.append(["GPU", "none"])
    return fmt.table(["", "value"], rows)


def _setting_text(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _gpu_text(gpu: GpuInfo) -> str:
    facts = [gpu.name]
    if gpu.memory_bytes is not None:
        facts.append(f"{fmt.gibibytes(gpu.memory_bytes)} GiB")
    facts += [
        f"driver {gpu.driver_version or 'unknown'}",
        f"CUDA {gpu.cuda_version or 'unknown'}",
        f"cuDNN {gpu.cudnn_version or 'unknown'}",
    ]
    return ", ".join(facts)


def run_overview_table(run: RunResult) -> str:
    """The latest run at a glance: which run, when, on what, with which versions."""
    host = run.provenance.host
    failed_processes = sum(len(c.failures) for c in run.cases)
    total_processes = sum(len(c.samples) for c in run.cases)
    rows = [
        ["run", fmt.code_span(run.run_id)],
        ["date", fmt.utc(run.started_utc)],
        ["status", fmt.cell(run.status)],
        ["preset", fmt.code_span(run.settings.preset)],
        ["CPU", fmt.cell(f"{host.cpu_model} ({host.usable_cpus} of {host.logical_cpus} logical CPUs usable), "
                         f"{fmt.gibibytes(host.ram_bytes)} GiB RAM")],
        ["GPU", fmt.cell(naming.gpu_names(run) if run.provenance.gpus else "none")],
        ["device used", fmt.cell(run.settings.device)],
        *([fmt.cell(naming.framework_name(fw)), fmt.cell(naming.framework_version(run, fw))] for fw in naming.frameworks(run)),
        ["Python", fmt.cell(run.provenance.python_version)],
        ["cases", f"{len(run.cases)} cases, {total_processes} processes, {failed_processes} failed"],
        ["command", fmt.code_span(run.command)],
    ]
    return fmt.table(["", "latest run"], rows)
