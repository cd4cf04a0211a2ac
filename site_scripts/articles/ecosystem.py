"""Placeholders of the ecosystem page (docs/ecosystem.md): the executed export matrix, the
measured install footprint, the executed checks, and the dated, sourced facts."""

from __future__ import annotations

from datetime import date

from contract.schema import RunResult
from site_scripts import ecosystem_tables, formatting
from site_scripts.ecosystem_facts import load_facts
from site_scripts.placeholders import placeholder


def _has(study: str):
    return lambda run: bool(run.study_records(study))


@placeholder("export_matrix", needs=_has("export"))
def export_matrix(run: RunResult) -> str:
    """The overview (path × workload), then one detail table per workload, each under the run caption."""
    records = ecosystem_tables.export_records(run)
    if not records:
        return ecosystem_tables.NOT_MEASURED
    parts = [ecosystem_tables.export_overview(run), ecosystem_tables.study_caption(run, "export")]
    for workload in ecosystem_tables.workloads_of(records):
        parts.append(f"### {formatting.cell(workload)}")
        inputs = ecosystem_tables.export_inputs(run, workload)
        if inputs:
            parts.append(inputs)
        parts.append(ecosystem_tables.export_detail(run, workload))
    return "\n\n".join(parts)


@placeholder("install_footprint", needs=_has("footprint"))
def install_footprint(run: RunResult) -> str:
    table = ecosystem_tables.footprint_table(run)
    if table == ecosystem_tables.NOT_MEASURED:
        return table
    closure = "\n".join(f"    {line}" for line in ecosystem_tables.footprint_closure(run).splitlines())
    return "\n\n".join([table, ecosystem_tables.study_caption(run, "footprint"),
                        f'??? note "Distributions each framework pulls in"\n\n{closure}'])


@placeholder("ecosystem_checks", needs=_has("ecosystem_checks"))
def ecosystem_checks(run: RunResult) -> str:
    table = ecosystem_tables.checks_table(run)
    if table == ecosystem_tables.NOT_MEASURED:
        return table
    return "\n\n".join([table, ecosystem_tables.study_caption(run, "ecosystem_checks")])


@placeholder("ecosystem_facts")
def ecosystem_facts(run: RunResult) -> str:
    """Not from a run: the fact file, with staleness computed against the build date."""
    return ecosystem_tables.facts_table(load_facts(), date.today())
