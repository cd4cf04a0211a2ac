"""What the harness itself costs: each process times its steps one by one (a clock read and bookkeeping per step),
then runs the same step again as one bare block in the same process. The measured loop's mean step over the bare
loop's, less one, is the harness's overhead; a figure is only worth publishing if that stays small.
"""

from __future__ import annotations

import statistics

from contract import stats
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
    values = process_overheads(case)
    return statistics.median(values) if values else None


def process_overheads(case: CaseResult) -> list[float]:
    return [v for s in case.samples if (v := process_overhead(s)) is not None]


# How a case stands against the bound, from the interval of its median overhead.
UNDER, OVER, UNRESOLVED = "under", "over", "unresolved"


def judgement(case: CaseResult, confidence: float) -> str:
    """UNDER or OVER only where the case's order-statistic interval for its median overhead (the run's confidence
    level, the method its comparisons use) lies wholly on that side of the bound; UNRESOLVED where it spans the
    bound or the case has too few processes for one. The timed loop and the bare block run one after the other,
    so a burst of a shared host's noise in either moves one process's figure by tens of per cent either way: a
    median alone would name cases over the bound on noise."""
    _, low, high, _ = stats.median_interval(process_overheads(case), confidence)
    if low is not None and low > OVERHEAD_BOUND:
        return OVER
    if high is not None and high <= OVERHEAD_BOUND:
        return UNDER
    return UNRESOLVED


def measured_cases(run: RunResult) -> list[tuple[CaseResult, float]]:
    return [(c, v) for c in run.cases if (v := case_overhead(c)) is not None]


def _case_name(run: RunResult, case: CaseResult) -> str:
    return f"{labels.workload_title(run, case.workload)}, {labels.case_label(case)}, {labels.configuration_label(case.config)}"


def harness_overhead_section(run: RunResult) -> str:
    """A sentence with the median and how the cases stand against the bound (every case over it named), then one
    row per workload and framework."""
    measured = measured_cases(run)
    if not measured:
        return ("This run recorded no bare loop, so its harness overhead is not measured (runs before the bare loop "
                "was added to each process).")
    confidence = run.rules.confidence_level
    judged = {c.case_id: judgement(c, confidence) for c, _ in measured}
    values = [v for _, v in measured]
    over = sorted(((c, v) for c, v in measured if judged[c.case_id] == OVER), key=lambda item: -item[1])
    under = sum(1 for j in judged.values() if j == UNDER)
    unresolved = sum(1 for j in judged.values() if j == UNRESOLVED)
    sentence = (f"Across {len(measured)} cases, the harness's own cost has median {fmt.percent(statistics.median(values))} "
                f"(per case, the median over its processes). Against the {fmt.percent(OVERHEAD_BOUND)} bound, judged "
                f"by each case's {fmt.percent(confidence)} interval for that median (order statistics, as for the "
                f"comparisons): {under} of {len(measured)} cases lie under it")
    if over:
        listed = "; ".join(f"{_case_name(run, c)} {fmt.percent(v)}" for c, v in over[:5])
        more = f"; and {len(over) - 5} more" if len(over) > 5 else ""
        sentence += f"; {len(over)} over it: {listed}{more}"
    else:
        sentence += "; none lies over it"
    if unresolved:
        sentence += (f"; {unresolved} cannot be told from it, their interval spans the bound or they have too few "
                     "processes for one")
    sentence += "."
    rows = []
    for workload in labels.workloads(run):
        for framework in labels.frameworks(run):
            group = [(c, v) for c, v in measured if c.workload == workload and c.framework == framework]
            if not group:
                continue
            largest_case, largest = max(group, key=lambda item: item[1])
            smallest = min(v for _, v in group)
            counts = [sum(1 for c, _ in group if judged[c.case_id] == j) for j in (UNDER, OVER, UNRESOLVED)]
            rows.append([fmt.cell(labels.workload_title(run, workload)), fmt.cell(labels.framework_name(framework)),
                         str(len(group)), " · ".join(str(n) for n in counts),
                         fmt.percent(statistics.median(v for _, v in group)), fmt.percent(smallest),
                         fmt.percent(largest),
                         fmt.code_aware_cell(f"{labels.mode_label(largest_case.config)}, "
                                             f"{labels.configuration_label(largest_case.config)}")])
    headers = ["workload", "framework", "cases", "under · over · unresolved", "median overhead", "smallest",
               "largest", "case with the largest"]
    note = ("The two loops run the same step and the same synchronisation; the timed one adds only two clock reads, "
            "a rounding and a list append per step. What else moves their difference is the noise between two blocks "
            "run one after the other: a negative figure means the bare block ran slower. That noise is what leaves a "
            "case unresolved; timing the two loops in alternating blocks would narrow it.")
    return "\n\n".join([fmt.conclusion(fmt.code_aware_cell(sentence)), fmt.table(headers, rows), note])
