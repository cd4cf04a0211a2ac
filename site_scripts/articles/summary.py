"""The home page's headline findings, generated from the run the page shows, each linking to its evidence.

Nothing here is a new number: each line restates a verdict or a median the articles already
show, and links to the section that shows it with its interval or spread.
"""

from __future__ import annotations

from collections import Counter

from contract.schema import RunResult
from site_scripts import formatting, naming, selection
from site_scripts.placeholders import is_timing_run, placeholder


def _speed_lines(run: RunResult) -> list[str]:
    comparisons = selection.comparisons_of(run)
    if not comparisons:
        return ["**Speed:** no framework comparison in this run ([Performance](performance.md))."]
    counts = Counter(naming.verdict_words(c) for c in comparisons)
    tally = "; ".join(f"{formatting.cell(words)}: {n}" for words, n in counts.most_common())
    lines = [f"**Speed:** of {len(comparisons)} configurations compared, {tally} "
             f"([who is faster where](performance.md#who-is-faster))."]
    for verdict in ("numerator_faster", "denominator_faster"):
        decided = [c for c in comparisons if c.verdict == verdict and c.ratio_median]
        if not decided:
            continue
        # The largest resolved lead: furthest from parity on a log scale.
        c = max(decided, key=lambda c: max(c.ratio_median, 1 / c.ratio_median))
        winner = naming.framework_name(c.numerator if verdict == "numerator_faster" else c.denominator)
        lines.append(
            f"**Largest resolved lead of {winner}:** {formatting.cell(naming.workload_title(run, c.workload))}, "
            f"{formatting.cell(naming.comparison_label(c))}: step-time ratio "
            f"{naming.framework_name(c.numerator)}/{naming.framework_name(c.denominator)} {c.ratio_median:.3f} "
            f"(95 % interval {c.ci_low:.3f} – {c.ci_high:.3f}) "
            f"([evidence](performance.md#{naming.workload_anchor(c.workload)}))."
        )
    return lines


def _memory_line(run: RunResult) -> list[str]:
    """Per framework, the median over workloads of peak host RSS at each workload's reference batch."""
    peaks: dict[str, list[float]] = {}
    for workload in naming.workloads(run):
        by_framework: dict[str, list[int]] = {}
        for case in selection.reference_cases(run, workload):
            if case.summary and case.summary.peak_host_rss_bytes_median:
                by_framework.setdefault(case.framework, []).append(case.summary.peak_host_rss_bytes_median)
        for framework, values in by_framework.items():
            peaks.setdefault(framework, []).append(min(values))
    if not peaks:
        return []
    parts = []
    for framework in naming.frameworks(run):
        if framework in peaks:
            values = sorted(peaks[framework])
            parts.append(f"{naming.framework_name(framework)} {formatting.significant(values[len(values) // 2] / 2**20)} MiB")
    return [f"**Peak host memory, fp32 training at each workload's reference batch** (median over workloads of each "
            f"framework's leanest mode): {', '.join(parts)} ([all cases](performance.md#all-cases); "
            f"[Memory](memory.md) for phases and batch sweeps)."]


@placeholder("home_summary", needs=is_timing_run)
def home_summary(run: RunResult) -> str:
    lines = _speed_lines(run) + _memory_line(run)
    lines.append("**Accuracy, ease of use, ecosystem, claims:** see [Accuracy](accuracy.md), "
                 "[Ease of use](ease-of-use.md), [Ecosystem](ecosystem.md) and [Claims](claims.md), each drawn from "
                 "the newest run that measured it.")
    return "\n".join(f"- {line}" for line in lines)
