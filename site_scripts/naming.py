"""How frameworks, configurations and runs are named on the site.

Figures and tables both name things through this module, so the x label of a bar, the
row of a table and the caption under a chart always say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from benchmarks.schema import CaseResult, ConfigValue, RunResult

from site_scripts import formatting

FRAMEWORK_NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow"}

# Okabe–Ito vermillion and blue: told apart under every common colour-vision deficiency.
FRAMEWORK_COLOURS = {"torch": "#D55E00", "tensorflow": "#0072B2"}
OTHER_COLOUR = "#009E73"


def framework_name(framework: str) -> str:
    return FRAMEWORK_NAMES.get(framework, framework)


def framework_colour(framework: str) -> str:
    return FRAMEWORK_COLOURS.get(framework, OTHER_COLOUR)


def frameworks(run: RunResult) -> list[str]:
    """The run's frameworks in the order it was asked for, then any others its cases hold."""
    ordered = list(run.settings.frameworks)
    ordered += [c.framework for c in run.cases if c.framework not in ordered]
    return list(dict.fromkeys(ordered))


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


def config_text(config: Mapping[str, ConfigValue]) -> str:
    """Every setting of a configuration, sorted: the exact configuration, for tables and hover text."""
    return ", ".join(f"{key}={value}" for key, value in sorted(config.items()))


def configuration_key(workload: str, device: str, config: Mapping[str, ConfigValue]) -> tuple:
    """Identity of a configuration across frameworks: what a comparison and its two cases share."""
    return (workload, device, tuple(sorted((k, str(v)) for k, v in config.items())))


class ConfigurationLabels:
    """Short labels such as 'mlp · batch 128 · cpu'.

    A label names the workload, the batch size, every setting that differs between the
    run's configurations of that workload, and the device: enough to tell bars apart,
    short enough for an axis.
    """

    def __init__(self, run: RunResult) -> None:
        self._varying: dict[str, list[str]] = {}
        for workload in dict.fromkeys(c.workload for c in run.cases):
            configs = [c.config for c in run.cases if c.workload == workload]
            keys = sorted({k for config in configs for k in config})
            self._varying[workload] = [
                k for k in keys if k != "batch_size" and len({str(config.get(k)) for config in configs}) > 1
            ]

    def __call__(self, workload: str, device: str, config: Mapping[str, ConfigValue]) -> str:
        parts = [workload]
        if "batch_size" in config:
            parts.append(f"batch {config['batch_size']}")
        parts += [f"{key} {config.get(key, formatting.MISSING)}" for key in self._varying.get(workload, [])]
        parts.append(device)
        return " · ".join(str(p) for p in parts)

    def of_case(self, case: CaseResult) -> str:
        return self(case.workload, case.device, case.config)


def cases_in_display_order(run: RunResult) -> list[CaseResult]:
    """Configurations in the order the run first met them; within one, frameworks in run order."""
    configuration_order = list(dict.fromkeys(configuration_key(c.workload, c.device, c.config) for c in run.cases))
    framework_order = frameworks(run)
    return sorted(
        run.cases,
        key=lambda c: (
            configuration_order.index(configuration_key(c.workload, c.device, c.config)),
            framework_order.index(c.framework),
        ),
    )


def gpu_names(run: RunResult) -> str:
    return ", ".join(g.name for g in run.provenance.gpus) or "no GPU"


def run_caption(run: RunResult) -> str:
    """'Run <id>, <date>, <cpu>/<gpu>, torch X, tensorflow Y': the line that ties a chart to its run."""
    versions = ", ".join(f"{fw} {framework_version(run, fw)}" for fw in frameworks(run))
    return (
        f"Run {run.run_id}, {formatting.utc_date(run.started_utc)}, "
        f"{run.provenance.host.cpu_model} / {gpu_names(run)}, {versions}"
    )


def failure_summary(case: CaseResult) -> str:
    """'timeout ×2: exceeded 600 s; crashed ×1: ...': each distinct status and reason once, with its count."""
    counts = Counter((s.status, " ".join((s.reason or "").split())) for s in case.failures)
    return "; ".join(f"{status} ×{n}" + (f": {reason}" if reason else "") for (status, reason), n in counts.items())


def case_status(case: CaseResult) -> str:
    """Plain-text status of a case; failed processes are always named, never dropped."""
    if not case.samples:
        return "not run: no process was started"
    if case.summary is None:
        return f"failed: {failure_summary(case)}"
    if case.failures:
        return f"ok ({len(case.failures)} of {len(case.samples)} processes failed: {failure_summary(case)})"
    return "ok"
