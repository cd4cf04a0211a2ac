"""Every case of a run in one table, and every process that failed.

Failed cases and processes are rows with their status and reason, never left out: a missing row would
read as "not measured" when the truth is "measured and it broke".
"""

from __future__ import annotations

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

FAILURE_HEADERS = ["workload", "configuration", "framework and mode", "status", "repeats", "reason"]


def _several_devices(run: RunResult) -> bool:
    return len({c.device for c in run.cases}) > 1


def all_cases_in_order(run: RunResult) -> list[CaseResult]:
    return [case for workload in labels.workloads(run) for case in selection.cases_of(run, workload)]


def _what(run: RunResult, case: CaseResult) -> list[str]:
    """The three columns a reader scans: workload, what was computed, who ran it how."""
    config = case.config
    what = labels.configuration_label(config, [case.device] if _several_devices(run) else [])
    return [labels.workload_link(case.workload), fmt.cell(what),
            fmt.code_aware_cell(f"{labels.framework_name(case.framework)} {labels.mode_label(config)}")]


def throughput_table(run: RunResult) -> str:
    """Every case of the run, one row each, with its summary numbers or its failure; the columns a reader
    checks less often (first call, memory, processes, final loss, load) in a folded table with the same rows."""
    rows, details = [], []
    for case in all_cases_in_order(run):
        s = case.summary
        what = _what(run, case)
        rows.append([
            *what,
            fmt.number(s.samples_per_second_median) if s else fmt.MISSING,
            fmt.number(s.step_seconds_median * 1000) if s else fmt.MISSING,
            fmt.code_aware_cell(labels.case_status(case)),
        ])
        details.append([
            *what,
            f"{fmt.number(s.samples_per_second_q1)} – {fmt.number(s.samples_per_second_q3)}" if s else fmt.MISSING,
            fmt.number(s.first_step_seconds_median) if s else fmt.MISSING,
            fmt.mebibytes(s.peak_host_rss_bytes_median) if s else fmt.MISSING,
            f"{s.processes_ok if s else 0} / {len(case.samples)}",
            fmt.loss(s.final_loss_median) if s else fmt.MISSING,
            _load_cell(s.foreign_cpu_fraction_max if s else None, run.rules.loaded_machine_fraction),
        ])
    headers = ["workload", "configuration", "framework and mode", "samples/s (median)", "step time, median (ms)",
               "status"]
    detail_headers = ["workload", "configuration", "framework and mode", "samples/s IQR", "first call (s)",
                      "peak host RSS (MiB)", "processes ok / total", "final loss",
                      f"other load (max; flagged above {run.rules.loaded_machine_fraction:.0%})"]
    return "\n\n".join([fmt.table(headers, rows),
                         fmt.folded("More columns: spread, first call, memory, processes, final loss, machine load",
                                    fmt.table(detail_headers, details))])


def _load_cell(fraction: float | None, threshold: float) -> str:
    """CPU share other processes took during the case's processes; flagged when timings may be disturbed."""
    if fraction is None:
        return fmt.MISSING
    text = f"{fraction:.0%}"
    return f"{text} ⚠ loaded" if fraction > threshold else text


def failures_table(run: RunResult) -> str:
    """Every process that did not finish cleanly: identical failures (same case, status and reason) are one row
    with their count, and one stderr example each, folded."""
    groups: dict[tuple[str, str, str], list] = {}
    for case in all_cases_in_order(run):
        for sample in case.failures:
            key = (case.case_id, sample.status, sample.reason or "no reason recorded")
            groups.setdefault(key, []).append((case, sample))
    if not groups:
        return "No failed processes in this run."
    rows, parts = [], []
    for (case_id, status, reason), members in groups.items():
        case = members[0][0]
        repeats = ", ".join(str(sample.repeat_index) for _, sample in members)
        count = f"×{len(members)}" if len(members) > 1 else "×1"
        rows.append([*_what(run, case), f"{fmt.cell(status)} {count}", fmt.cell(repeats), fmt.code_aware_cell(reason)])
    parts.append(fmt.table(FAILURE_HEADERS, rows))
    for (case_id, status, reason), members in groups.items():
        case, sample = members[0]
        same = f" (the same for all {len(members)} processes)" if len(members) > 1 else ""
        title = f"stderr of {case_id}, repeat {sample.repeat_index}{same}"
        parts.append(_folded_text(title, sample.stderr_tail or "(no stderr captured)"))
    return "\n\n".join(parts)


def failures_conclusion(run: RunResult) -> str:
    failed_cases = [c for c in run.cases if c.failures]
    if not failed_cases:
        return f"All {sum(len(c.samples) for c in run.cases)} processes of the run finished cleanly."
    by_status: dict[str, int] = {}
    for case in failed_cases:
        for sample in case.failures:
            by_status[sample.status] = by_status.get(sample.status, 0) + 1
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items(), key=lambda item: -item[1]))
    whole = sum(1 for c in failed_cases if c.summary is None)
    return (f"{sum(by_status.values())} processes in {len(failed_cases)} cases did not finish cleanly ({statuses}); "
            f"{whole} of those cases have no successful process at all.")


def _folded_text(title: str, text: str) -> str:
    """A collapsed pymdownx.details block holding text verbatim in a fence longer than any inside it."""
    longest = max((len(line) - len(line.lstrip("`")) for line in text.splitlines()), default=0)
    fence = "`" * max(3, longest + 1)
    quoted_title = title.replace('"', "'")
    body = "\n".join(f"    {line}" for line in [f"{fence}text", *text.splitlines(), fence])
    return f'??? failure "{quoted_title}"\n\n{body}'
