"""Every case of a run in one table, and every process that failed.

Failed cases and processes are rows with their status and reason, never left out: a missing row would
read as "not measured" when the truth is "measured and it broke".
"""

from __future__ import annotations

from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

CASE_HEADERS = ["workload", "task", "precision", "batch", "framework", "mode"]


def case_headers(run: RunResult) -> list[str]:
    return [*CASE_HEADERS, *(["device"] if _several_devices(run) else [])]


def case_cells(run: RunResult, case: CaseResult) -> list[str]:
    """The columns that tell one case from another: what it computed, and how its framework ran it."""
    return [
        fmt.cell(case.workload),
        fmt.cell(labels.task_of(case.config)),
        fmt.cell(labels.precision_of(case.config)),
        fmt.cell(case.config.get("batch_size")),
        fmt.cell(labels.framework_name(case.framework)),
        fmt.cell(labels.mode_label(case.config)),
        *([fmt.cell(case.device)] if _several_devices(run) else []),
    ]


def _several_devices(run: RunResult) -> bool:
    return len({c.device for c in run.cases}) > 1


def all_cases_in_order(run: RunResult) -> list[CaseResult]:
    return [case for workload in labels.workloads(run) for case in selection.cases_of(run, workload)]


def throughput_table(run: RunResult) -> str:
    """Every case of the run, one row each, with its summary numbers or its failure."""
    rows = []
    for case in all_cases_in_order(run):
        s = case.summary
        rows.append([
            *case_cells(run, case),
            fmt.number(s.samples_per_second_median) if s else fmt.MISSING,
            f"{fmt.number(s.samples_per_second_q1)} – {fmt.number(s.samples_per_second_q3)}" if s else fmt.MISSING,
            fmt.number(s.step_seconds_median * 1000) if s else fmt.MISSING,
            fmt.number(s.first_step_seconds_median) if s else fmt.MISSING,
            fmt.mebibytes(s.peak_host_rss_bytes_median) if s else fmt.MISSING,
            f"{s.processes_ok if s else 0} / {len(case.samples)}",
            fmt.loss(s.final_loss_median) if s else fmt.MISSING,
            _load_cell(s.foreign_cpu_fraction_max if s else None, run.rules.loaded_machine_fraction),
            fmt.cell(labels.case_status(case)),
        ])
    headers = [
        *case_headers(run), "samples/s (median)", "samples/s IQR", "step time, median (ms)", "first call (s)",
        "peak host RSS (MiB)", "processes ok / total", "final loss",
        f"other load (max; ⚠ above {run.rules.loaded_machine_fraction:.0%})", "status",
    ]
    return fmt.table(headers, rows)


def _load_cell(fraction: float | None, threshold: float) -> str:
    """CPU share other processes took during the case's processes; flagged when timings may be disturbed."""
    if fraction is None:
        return fmt.MISSING
    text = f"{fraction:.0%}"
    return f"{text} ⚠ loaded" if fraction > threshold else text


def failures_table(run: RunResult) -> str:
    """Every process that did not finish cleanly, with its reason and, folded, the end of its stderr."""
    failed = [(case, sample) for case in all_cases_in_order(run) for sample in case.failures]
    if not failed:
        return "No failed processes in this run."
    rows = [
        [*case_cells(run, case), str(sample.repeat_index), fmt.cell(sample.status),
         fmt.cell(sample.reason or "no reason recorded")]
        for case, sample in failed
    ]
    parts = [fmt.table([*case_headers(run), "repeat", "status", "reason"], rows)]
    for case, sample in failed:
        title = f"stderr: {case.case_id}, repeat {sample.repeat_index}"
        parts.append(_folded_text(title, sample.stderr_tail or "(no stderr captured)"))
    return "\n\n".join(parts)


def _folded_text(title: str, text: str) -> str:
    """A collapsed pymdownx.details block holding text verbatim in a fence longer than any inside it."""
    longest = max((len(line) - len(line.lstrip("`")) for line in text.splitlines()), default=0)
    fence = "`" * max(3, longest + 1)
    quoted_title = title.replace('"', "'")
    body = "\n".join(f"    {line}" for line in [f"{fence}text", *text.splitlines(), fence])
    return f'??? failure "{quoted_title}"\n\n{body}'
