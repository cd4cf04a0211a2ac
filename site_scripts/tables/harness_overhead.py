"""What the harness itself costs: each process times its steps one by one (a clock read and bookkeeping per step),
then runs the same step again as one bare block in the same process. The measured loop's mean step over the bare
loop's, less one, is the harness's overhead; a figure is only worth publishing if that stays small.
"""

from __future__ import annotations

import statistics

from contract.schema import CaseResult, ProcessSample, RunResult
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

# The project's bound on the overhead (issue 14): above it, the harness, not the framework, moves the figure.
# It judges the harness, not a comparison, so no verdict depends on it.
OVERHEAD_BOUND = 0.02


def process_overhead(sample: ProcessSample) -> float | None:
    """The measured loop's mean step over the bare loop's, less one; None where the process has no bare loop."""
    if sample.status != "ok" or not sample.admitted or not sample.step_seconds or not sample.bare_step_seconds:
        return None
    return statistics.fmean(sample.step_seconds) / sample.bare_step_seconds - 1


def case_overhead(case: CaseResult) -> float | None:
    """The median over the case's admitted processes: one slow block in one process does not speak for the case."""
    values = [v for s in case.samples if (v := process_overhead(s)) is not None]
    return statistics.median(values) if values else None


def measured_cases(run: RunResult) -> list[tuple[CaseResult, float]]:
    return [(c, v) for c in run.cases if (v := case_overhead(c)) is not None]


def _configuration(case: CaseResult) -> str:
    """'train · fp32 · batch 128', the words the speed-up chart and the verdict table use."""
    return (f"{labels.task_of(case.config)} · {labels.precision_of(case.config)} · "
            f"batch {case.config.get('batch_size', fmt.MISSING)}")


def _case_name(run: RunResult, case: CaseResult) -> str:
    return f"{labels.workload_title(run, case.workload)}, {labels.case_label(case)}, {_configuration(case)}"


def harness_overhead_section(run: RunResult) -> str:
    """A sentence with the median and every case beyond the bound, then one row per workload and framework."""
    measured = measured_cases(run)
    if not measured:
        return ("This run recorded no bare loop, so its harness overhead is not measured (runs before the bare loop "
                "was added to each process).")
    values = [v for _, v in measured]
    beyond = sorted(((c, v) for c, v in measured if v > OVERHEAD_BOUND), key=lambda item: -item[1])
    sentence = (f"Across {len(measured)} cases, the harness's own cost has median {fmt.percent(statistics.median(values))} "
                f"(per case, the median over its processes); the bound is {fmt.percent(OVERHEAD_BOUND)}: ")
    if beyond:
        listed = "; ".join(f"{_case_name(run, c)} {fmt.percent(v)}" for c, v in beyond[:5])
        more = f"; and {len(beyond) - 5} more (the table gives each workload's largest)" if len(beyond) > 5 else ""
        count = "1 case exceeds" if len(beyond) == 1 else f"{len(beyond)} cases exceed"
        sentence += f"{count} it: {listed}{more}."
    else:
        sentence += "no case exceeds it."
    rows = []
    for workload in labels.workloads(run):
        for framework in labels.frameworks(run):
            group = [(c, v) for c, v in measured if c.workload == workload and c.framework == framework]
            if not group:
                continue
            largest_case, largest = max(group, key=lambda item: item[1])
            smallest = min(v for _, v in group)
            rows.append([fmt.cell(labels.workload_title(run, workload)), fmt.cell(labels.framework_name(framework)),
                         str(len(group)), fmt.percent(statistics.median(v for _, v in group)), fmt.percent(smallest),
                         fmt.percent(largest),
                         fmt.code_aware_cell(f"{labels.mode_label(largest_case.config)}, "
                                             f"{_configuration(largest_case)}")])
    headers = ["workload", "framework", "cases", "median overhead", "smallest", "largest", "case with the largest"]
    note = ("A negative figure means the bare block ran slower than the timed loop: the two loops' own noise, which "
            "bounds how finely the overhead can be measured.")
    return "\n\n".join([fmt.conclusion(fmt.code_aware_cell(sentence)), fmt.table(headers, rows), note])
