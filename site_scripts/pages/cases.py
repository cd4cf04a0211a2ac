"""The All cases page: every case of the run in every mode, and every process that did not finish cleanly. The
tables hold a row per case (about 100 in a full run), so they live apart from Performance's charts."""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.tables import all_cases
from site_scripts.text import formatting


@placeholders.placeholder("throughput_table", needs=placeholders.needs_timing_run)
def throughput_table_section(run: RunResult) -> str:
    processes = sum(len(c.samples) for c in run.cases)
    rejected = sum(1 for c in run.cases for s in c.samples if not s.admitted)
    failed = sum(1 for c in run.cases if c.summary is None)
    sentence = (f"{len(run.cases)} cases in {processes} processes; {failed} cases have no successful process"
                + (f"; {rejected} processes were rejected for machine load and run again" if rejected else "") + ".")
    return "\n\n".join([formatting.conclusion(sentence), all_cases.throughput_table(run)])


@placeholders.placeholder("failures", needs=placeholders.needs_timing_run)
def failures_section(run: RunResult) -> str:
    return "\n\n".join([formatting.conclusion(all_cases.failures_conclusion(run)), all_cases.failures_table(run)])
