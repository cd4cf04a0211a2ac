"""The Methodology page: the comparison rules, how each mode ran, which settings each path used and which setting
moves which framework, the equivalence proof, the matmul peaks, the harness's own overhead, the configurations and the provenance of the run it
shows.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.tables import (
    comparison_rules,
    configurations,
    equivalence_proof,
    harness_overhead,
    mode_details,
    peak_matmul,
    run_provenance,
    step_settings,
)


@placeholders.placeholder("workloads", needs=placeholders.needs_timing_run)
def workloads_section(run: RunResult) -> str:
    return configurations.configurations_table(run)


@placeholders.placeholder("provenance", needs=placeholders.needs_timing_run)
def provenance_section(run: RunResult) -> str:
    return run_provenance.provenance_table(run)


@placeholders.placeholder("equivalence", needs=placeholders.needs_timing_run)
def equivalence_section(run: RunResult) -> str:
    return equivalence_proof.equivalence_table(run)


@placeholders.placeholder("peak_matmul", needs=placeholders.needs_timing_run)
def peak_matmul_section(run: RunResult) -> str:
    return peak_matmul.peak_matmul_table(run)


@placeholders.placeholder("harness_overhead", needs=placeholders.needs_timing_run)
def harness_overhead_section(run: RunResult) -> str:
    return harness_overhead.harness_overhead_section(run)


@placeholders.placeholder("mode_details", needs=placeholders.needs_timing_run)
def mode_details_section(run: RunResult) -> str:
    return mode_details.mode_details_table(run)


@placeholders.placeholder("comparison_rules", needs=placeholders.needs_timing_run)
def comparison_rules_section(run: RunResult) -> str:
    return comparison_rules.comparison_rules(run)


@placeholders.placeholder("path_settings", needs=placeholders.needs_timing_run)
def path_settings_section(run: RunResult) -> str:
    return step_settings.path_settings_table(run)


@placeholders.placeholder("step_settings", needs=step_settings.has_step_settings)
def step_settings_section(run: RunResult) -> str:
    return step_settings.step_settings_section(run)
