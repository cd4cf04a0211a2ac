"""The words that tie a figure to its run: caption, hardware class, versions and the command that measures it again.

Every chart, table and citation says where its numbers came from through these, so they all say the same.
"""

from __future__ import annotations

import re

import shlex

from contract.schema import (
    FRAMEWORKS,
    RunResult,
)
from site_scripts.text import formatting, labels


def framework_version(run: RunResult, framework: str) -> str:
    """The version the child processes reported, else the installed package, else 'unknown'."""
    for case in run.cases:
        if case.framework != framework:
            continue
        for sample in case.samples:
            if sample.framework_version:
                return sample.framework_version
    packages = run.provenance.packages
    for package in (framework, f"{framework}-cpu", f"{framework}-gpu"):
        if package in packages:
            return packages[package]
    return "unknown"


def gpu_names(run: RunResult) -> str:
    return ", ".join(g.name for g in run.provenance.gpus) or "no GPU"


def run_caption(run: RunResult) -> str:
    """'Run <id>, <date>, <cpu>/<gpu>, torch X, tensorflow Y': the line that ties a chart to its run."""
    versions = ", ".join(f"{fw} {framework_version(run, fw)}" for fw in labels.frameworks(run))
    return (
        f"Run {run.run_id}, {formatting.utc_date(run.started_utc)}, "
        f"{run.provenance.host.cpu_model} / {gpu_names(run)}, {versions}"
    )


def provenance_line(run: RunResult, workload: str | None = None) -> str:
    """'Run …, date, hardware, versions. Reproduce: `fwbench run …`': what every study's section ends with."""
    return f"{formatting.cell(run_caption(run))}. Reproduce: {formatting.code_span(reproduce_command(run, workload))}"


def reproduce_command(run: RunResult, workload: str | None = None) -> str:
    """The `fwbench run` that measures these cases again: the run's settings, not its output folder.

    Every setting that differs from a plain run of the preset (as the run's own code defined it) is
    spelled out; the workloads always are, so the command stays right when new workloads are added.
    """
    settings = run.settings
    parts = ["fwbench", "run", "--preset", settings.preset,
             "--only", workload if workload is not None else ",".join(labels.workloads(run))]
    if settings.device_requested != "auto":
        parts += ["--device", settings.device_requested]
    if list(settings.frameworks) != list(FRAMEWORKS):
        parts += ["--frameworks", ",".join(settings.frameworks)]
    for option, values in (("--tasks", settings.tasks), ("--modes", settings.modes), ("--precisions", settings.precisions)):
        if values:
            parts += [option, ",".join(values)]
    preset = settings.preset_definition
    if settings.processes_per_case != preset.processes_per_case:
        parts += ["--processes", str(settings.processes_per_case)]
    if settings.timeout_seconds != preset.timeout_seconds:
        parts += ["--timeout", f"{settings.timeout_seconds:g}"]
    if not settings.calibrate:
        parts.append("--skip-calibration")
    parts += ["--studies", ",".join(settings.studies) or "none"]
    return shlex.join(parts)


def hardware_class(run: RunResult) -> str:
    """The run's hardware key as it recorded it: two runs are the same hardware exactly when their keys are equal
    (CPU identity and ISA flags, usable CPUs, GPUs), so an AVX2 host and a native-bf16 host never mix."""
    return run.provenance.host.hardware_key


def hardware_label(run: RunResult) -> str:
    """The hardware key as a reader sees it: the instruction-set flags in their manuals' spelling (AVX512_BF16, not
    /proc/cpuinfo's avx512_bf16). One key, one label, so labels still tell two machines apart."""
    return _flags_in_manual_spelling(hardware_class(run))


def _flags_in_manual_spelling(key: str) -> str:
    return re.sub(r"\[([a-z0-9_ ]+)\]", lambda match: f"[{match.group(1).upper()}]", key)


def versions(run: RunResult) -> tuple[str, ...]:
    return tuple(f"{fw} {framework_version(run, fw)}" for fw in labels.frameworks(run))


def hardware_words(run: RunResult) -> str:
    """The hardware in a reader's words: '2-core AMD EPYC CPU with native bf16 (avx512_bf16), no GPU'."""
    host = run.provenance.host
    cores = f"{host.usable_cpus}-core" if host.usable_cpus != 1 else "1-core"
    flags = host.isa_flags
    if flags is None:
        isa = " (instruction set not recorded)"
    else:
        native = [flag for flag in ("amx_bf16", "avx512_bf16", "avx512_fp16") if flags.get(flag)]
        isa = (f" with native bf16 ({', '.join(flag.upper() for flag in native)})" if native
               else " without native bf16 instructions" + (" (AVX2 only)" if flags.get("avx2") and not flags.get("avx512f") else ""))
    cpu = f"{cores} {host.cpu_model} CPU{isa}"
    if run.provenance.gpus:
        return f"{gpu_names(run)} GPU on a {cpu}"
    return f"{cpu}, no GPU"
