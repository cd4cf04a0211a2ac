"""Where a run's numbers came from: the overview on Home, and the full record (code, settings, software,
hardware) on Methodology.
"""

from __future__ import annotations

from contract.schema import GpuInfo, RunResult
from site_scripts.text import formatting as fmt
from site_scripts.text import labels, provenance_text


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
        *([f"setting: {name.replace('_', ' ')}", _setting_cell(name, value)] for name, value in run.settings
          if name != "preset_definition"),
        ["preset as this run's code defined it", fmt.cell(_preset_text(run))],
        ["Python", fmt.cell(p.python_version)],
        *([f"package: {fmt.code_aware_cell(name)}", fmt.cell(version)] for name, version in sorted(p.packages.items())),
        ["CPU", fmt.cell(host.cpu_model)],
        ["CPU cores: logical / usable / physical",
         f"{host.logical_cpus} / {host.usable_cpus} / {host.physical_cores if host.physical_cores is not None else 'unknown'}"],
        ["RAM (GiB)", fmt.gibibytes(host.ram_bytes)],
        ["OS", fmt.code_aware_cell(host.os)],
        ["machine", fmt.code_span(host.machine) if host.machine else fmt.MISSING],
        *([f"GPU {i}", fmt.cell(_gpu_text(gpu))] for i, gpu in enumerate(p.gpus)),
    ]
    if not p.gpus:
        rows.append(["GPU", "none"])
    return fmt.table(["", "value"], rows)


def _preset_text(run: RunResult) -> str:
    preset = run.settings.preset_definition
    processes = "1 process" if preset.processes_per_case == 1 else f"{preset.processes_per_case} processes"
    return (f"{preset.name}: {preset.purpose}; {processes} per case, timeout {preset.timeout_seconds:g} s; "
            f"{'a timing preset' if preset.timing else 'not for speed comparisons'}"
            f"{', a reference preset' if preset.reference else ''}")


# An empty filter list means the run did not narrow that part of the plan.
_ALL_WHEN_EMPTY = {"tasks": "all", "modes": "all", "precisions": "all", "workloads": "all", "frameworks": "all"}


def _setting_cell(name: str, value: object) -> str:
    """A setting as a reader reads it: yes/no, none, all, names as code; never a Python repr."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return _ALL_WHEN_EMPTY.get(name, "none")
        return ", ".join(fmt.code_aware_cell(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return fmt.code_aware_cell(value)


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
    """The run a page shows, at a glance: which run, when, on what, with which versions."""
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
        ["GPU", fmt.cell(provenance_text.gpu_names(run) if run.provenance.gpus else "none")],
        ["device used", fmt.cell(run.settings.device)],
        *([fmt.cell(labels.framework_name(fw)), fmt.cell(provenance_text.framework_version(run, fw))] for fw in labels.frameworks(run)),
        ["Python", fmt.cell(run.provenance.python_version)],
        ["cases", f"{len(run.cases)} cases, {total_processes} processes, {failed_processes} failed"],
        ["command", fmt.code_span(run.command)],
    ]
    return fmt.table(["", "run shown"], rows)
