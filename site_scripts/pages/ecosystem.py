"""Placeholders of the ecosystem page (docs/ecosystem.md): the executed export matrix, the
measured install footprint, the executed checks, and the dated, sourced facts.
"""

from __future__ import annotations

from datetime import date

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import ecosystem_facts
from site_scripts.tables import ecosystem_checks, export_matrix, footprint, sourced_facts
from site_scripts.text import formatting, labels, provenance_text, quantities


def study_caption(run: RunResult, study: str) -> str:
    """Run, hardware, versions, and the command that measures the study again (it names the run's studies)."""
    return provenance_text.provenance_line(run)


def _has(study: str):
    return lambda run: bool(run.study_records(study))


@placeholders.placeholder("export_matrix", needs=_has("export"))
def export_matrix_section(run: RunResult) -> str:
    """The overview (path × workload), then one detail table per workload, each under the run caption."""
    records = export_matrix.export_records(run)
    if not records:
        return export_matrix.NOT_MEASURED
    parts = [formatting.conclusion(export_matrix.conclusion(run)), export_matrix.export_overview(run),
             study_caption(run, "export")]
    for workload in export_matrix.workloads_of(records):
        parts.append(f"### {formatting.cell(labels.workload_title(run, workload))}")
        inputs = export_matrix.export_inputs(run, workload)
        if inputs:
            parts.append(inputs)
        parts.append(export_matrix.export_detail(run, workload))
        errors = export_matrix.export_errors(run, workload)
        if errors:
            parts.append(errors)
    parts.append(quantities.definitions("export_latency", "export_original_latency"))
    return "\n\n".join(parts)


@placeholders.placeholder("install_footprint", needs=_has("footprint"))
def install_footprint_section(run: RunResult) -> str:
    table = footprint.footprint_table(run)
    if table == export_matrix.NOT_MEASURED:
        return table
    closure = "\n".join(f"    {line}" for line in footprint.footprint_closure(run).splitlines())
    return "\n\n".join([formatting.conclusion(footprint.conclusion(run)), table,
                         quantities.definitions("import_fresh_interpreter"), study_caption(run, "footprint"),
                        f'??? note "Distributions each framework pulls in"\n\n{closure}'])


@placeholders.placeholder("ecosystem_checks", needs=_has("ecosystem_checks"))
def ecosystem_checks_section(run: RunResult) -> str:
    table = ecosystem_checks.checks_table(run)
    if table == export_matrix.NOT_MEASURED:
        return table
    return "\n\n".join([formatting.conclusion(ecosystem_checks.conclusion(run)), table,
                         study_caption(run, "ecosystem_checks")])


# The same need as the checks section, so both are filled from the same run and each fact's link finds its check.
@placeholders.placeholder("ecosystem_facts", needs=_has("ecosystem_checks"))
def ecosystem_facts_section(run: RunResult) -> str:
    """Not from a run: the fact file, with staleness computed against the build date; a fact links to the check
    the run executed for it."""
    return sourced_facts.facts_table(ecosystem_facts.load_facts(), date.today(), ecosystem_checks.executed_checks(run))
