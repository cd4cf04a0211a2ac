"""The Home page: the headline findings, generated from the run the page shows (each line restates a verdict or
a median the articles show, and links to it), and the run overview.
"""

from __future__ import annotations

from collections import Counter

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import selection
from site_scripts.tables import run_provenance
from site_scripts.text import formatting, labels


@placeholders.placeholder("run_overview", needs=placeholders.needs_timing_run)
def run_overview_section(run: RunResult) -> str:
    """Home page block: which run the site shows, when, on what hardware, with which versions."""
    parts = [run_provenance.run_overview_table(run)]
    if run.status != "complete":
        parts.insert(0, f'!!! warning "Run {run.run_id} is {run.status}"\n\n    Some cases may be missing from every page.')
    return "\n\n".join(parts)


def _speed_lines(run: RunResult) -> list[str]:
    comparisons = selection.comparisons_of(run)
    if not comparisons:
        return ["**Speed:** no framework comparison in this run ([Performance](performance.md))."]
    counts = Counter(labels.verdict_words(c) for c in comparisons)
    tally = "; ".join(f"{formatting.cell(words)}: {n}" for words, n in counts.most_common())
    lines = [f"**Speed:** of {len(comparisons)} configurations compared, {tally} "
             f"([who is faster where](performance.md#who-is-faster))."]
    for verdict in ("numerator_faster", "denominator_faster"):
        decided = [c for c in comparisons if c.verdict == verdict and c.ratio_median]
        if not decided:
            continue
        # The largest resolved lead: furthest from parity on a log scale.
        c = max(decided, key=lambda c: max(c.ratio_median, 1 / c.ratio_median))
        winner = labels.framework_name(c.numerator if verdict == "numerator_faster" else c.denominator)
        lines.append(
            f"**Largest resolved lead of {winner}:** {formatting.cell(labels.workload_title(run, c.workload))}, "
            f"{formatting.cell(labels.comparison_label(c))}: step-time ratio "
            f"{labels.framework_name(c.numerator)}/{labels.framework_name(c.denominator)} {c.ratio_median:.3f} "
            f"(95 % interval {c.ci_low:.3f} – {c.ci_high:.3f}) "
            f"([evidence](performance.md#{labels.workload_anchor(c.workload)}))."
        )
    return lines


def _memory_line(run: RunResult) -> list[str]:
    """Per framework, the median over workloads of peak host RSS at each workload's reference batch."""
    peaks: dict[str, list[float]] = {}
    for workload in labels.workloads(run):
        by_framework: dict[str, list[int]] = {}
        for case in selection.reference_cases(run, workload):
            if case.summary and case.summary.peak_host_rss_bytes_median:
                by_framework.setdefault(case.framework, []).append(case.summary.peak_host_rss_bytes_median)
        for framework, values in by_framework.items():
            peaks.setdefault(framework, []).append(min(values))
    if not peaks:
        return []
    parts = []
    for framework in labels.frameworks(run):
        if framework in peaks:
            values = sorted(peaks[framework])
            parts.append(f"{labels.framework_name(framework)} {formatting.significant(values[len(values) // 2] / 2**20)} MiB")
    return [f"**Peak host memory, fp32 training at each workload's reference batch** (median over workloads of each "
            f"framework's leanest mode): {', '.join(parts)} ([all cases](performance.md#all-cases); "
            f"[Memory](memory.md) for phases and batch sweeps)."]


@placeholders.placeholder("home_summary", needs=placeholders.needs_timing_run)
def home_summary(run: RunResult) -> str:
    lines = _speed_lines(run) + _memory_line(run)
    lines.append("**Accuracy, ease of use, ecosystem, claims:** see [Accuracy](accuracy.md), "
                 "[Ease of use](ease-of-use.md), [Ecosystem](ecosystem.md) and [Claims](claims.md), each drawn from "
                 "the newest run that measured it.")
    return "\n".join(f"- {line}" for line in lines)
