"""The Performance page's verdict table: every comparison, verdict first, then the ratio with its interval in the
winner's terms, what was compared and on which path; the evidence a reader checks less often (pairs admitted and
rejected, the interval's exact coverage, final losses, the family-level check) in a folded table below.
"""

from __future__ import annotations

from contract.schema import FrameworkComparison, RunResult
from site_scripts.analysis import extremes, headlines, selection
from site_scripts.text import formatting as fmt
from site_scripts.text import labels

PATH_WORDS = {"default": "default", "best": "fastest", "fastest_same_samples": "fastest (same samples)"}


def verdict_words_plain(comparison: FrameworkComparison) -> str:
    """The verdict as the table's first column says it, without markup."""
    if comparison.verdict in headlines.DECIDED:
        words = labels.speed_words(comparison.numerator, comparison.denominator, comparison.ratio_median,
                                   comparison.ci_low, comparison.ci_high, comparison.verdict,
                                   comparison.equivalence_margin)[0]
    else:
        words = labels.verdict_words(comparison)
    if headlines.excluded_reason(comparison) == "mixed precision without native kernels":
        words = f"{words}; emulated bf16: not a framework verdict"
    return words


def conclusion(run: RunResult) -> str:
    """'Of 20 configurations (each framework's fastest mode): PyTorch faster in 12, …; largest lead …'."""
    chosen = headlines.one_per_configuration(run)
    if not chosen:
        return "No framework comparison in this run."
    counts: dict[str, int] = {}
    for c in chosen:
        winner = {"numerator_faster": c.numerator, "denominator_faster": c.denominator}.get(c.verdict)
        key = (f"{labels.framework_name(winner)} faster" if winner is not None else
               {"practically_equal": "practically equal", "tie": "no difference resolved"}.get(c.verdict, "no verdict"))
        if headlines.excluded_reason(c):
            key = f"left out ({headlines.excluded_reason(c)})"
        counts[key] = counts.get(key, 0) + 1
    tally = ", ".join(f"{key} in {n}" for key, n in sorted(counts.items(), key=lambda item: -item[1]))
    decided = [c for c in chosen if c.verdict in ("numerator_faster", "denominator_faster")
               and not headlines.excluded_reason(c) and c.ratio_median]
    lead = ""
    if decided:
        top = max(decided, key=lambda c: max(c.ratio_median, 1 / c.ratio_median))
        lead = (f"; the largest lead: {verdict_words_plain(top)} on {labels.workload_title(run, top.workload)}, "
                f"{labels.comparison_label(top)}")
    return fmt.cell(f"Of {len(chosen)} configurations, each framework in its fastest mode: {tally}{lead}.")


BOTH_FRAMEWORKS = ("A comparison needs both frameworks on one machine: run `make site` on any CUDA machine that has "
                   "both installed, or the benchmarks workflow (`.github/workflows/benchmarks.yml`) on a self-hosted GPU "
                   "runner.")


def not_measured_note(run: RunResult) -> str:
    """Why comparisons of this run have no ratio at all (a framework absent from the machine), and what makes them:
    never a failure of that framework, never silently missing."""
    reasons: dict[str, int] = {}
    for c in run.comparisons:
        if c.verdict == "not_measured":
            reason = c.not_measured_reason or "not measured"
            reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return ""
    listed = "; ".join(f"{n} {'comparison' if n == 1 else 'comparisons'} {fmt.cell(reason)}"
                       for reason, n in reasons.items())
    return f'!!! info "Not measured on this machine"\n\n    {listed}. {BOTH_FRAMEWORKS}'


def verdict_cell(comparison: FrameworkComparison) -> str:
    """The verdict in words, coloured by the side it favours; the row's anchor leads it (the Home matrix links it)."""
    side = labels.verdict_side(comparison.verdict, comparison.numerator, comparison.denominator)
    words = verdict_words_plain(comparison)
    if headlines.excluded_reason(comparison):
        side = "excluded"
    return (f'<span id="{labels.comparison_anchor(comparison)}"></span>'
            f'<span class="fwbench-verdict fwbench-verdict-{side}">{fmt.cell(words)}</span>')


def ratio_cell(comparison: FrameworkComparison) -> str:
    """'1.31× (1.12×–1.52×)' in the winner's terms; the raw ratio where no side won; a sort key of the raw ratio."""
    if comparison.verdict == "fingerprints_disagree" or comparison.ratio_median is None:
        return fmt.MISSING
    if comparison.verdict in ("numerator_faster", "denominator_faster"):
        words, interval = labels.speed_words(comparison.numerator, comparison.denominator, comparison.ratio_median,
                                             comparison.ci_low, comparison.ci_high, comparison.verdict,
                                             comparison.equivalence_margin)
        figure, interval = words.rsplit(' ', 2)[-2], f"({interval})"
    else:
        figure = f"{comparison.ratio_median:.3f}"
        interval = (f"({comparison.ci_low:.3f}–{comparison.ci_high:.3f})"
                    if comparison.ci_low is not None and comparison.ci_high is not None else "")
    # The interval on a line of its own keeps the column narrow (a phone gives each column about 75 px).
    shown = fmt.cell(figure) + (f"<br>{fmt.cell(interval)}" if interval else "")
    return f'<span data-sort="{comparison.ratio_median:.6g}">{shown}</span>'


def extreme_note(run: RunResult, comparison: FrameworkComparison) -> str:
    """Beyond 3× either way, the measurement that explains the ratio, or 'unexplained' for a reader to see: an
    extreme ratio is where a reader stops trusting a benchmark (analysis/extremes.py)."""
    explanation = extremes.explain(run, comparison)
    if explanation is None:
        return ""
    kind = "explained" if explanation.explained else "unexplained"
    text = explanation.text if not explanation.explained else f"beyond {extremes.EXTREME:g}×: {explanation.text}"
    return f'<br><small class="fwbench-extreme-{kind}">{fmt.code_aware_cell(text)}</small>'


def path_cell(run: RunResult, comparison: FrameworkComparison, numerator: str, denominator: str) -> str:
    sides = (f"{labels.framework_name(numerator)} {selection.side_mode_label(run, comparison, True)} · "
             f"{labels.framework_name(denominator)} {selection.side_mode_label(run, comparison, False)}")
    return f"{PATH_WORDS.get(comparison.path, comparison.path)}: {fmt.code_aware_cell(sides)}"


def who_is_faster_table(run: RunResult) -> str:
    """Every comparison, one row, verdict first; each row's anchor is `labels.comparison_anchor`.

    The configuration reads 'train · fp32 · batch 128', the same label as the speed-up chart's axis, and the
    workload links to its section on the Performance page.
    """
    comparisons = selection.comparisons_of(run)
    if not comparisons:
        return "No framework comparisons in this run: a comparison needs two frameworks measured on one configuration."
    numerator, denominator = comparisons[0].numerator, comparisons[0].denominator
    several_devices = len({c.device for c in comparisons}) > 1
    level = {f"{c.confidence_level:.0%}" for c in comparisons}
    level_text = level.pop() if len(level) == 1 else "confidence"
    rows, evidence = [], []
    for c in comparisons:
        others = labels.comparison_varying_keys([x for x in comparisons if x.workload == c.workload])
        what = fmt.cell(labels.comparison_label(c, others, several_devices))
        workload = labels.workload_link(c.workload)
        rows.append([verdict_cell(c), ratio_cell(c) + extreme_note(run, c), workload, what,
                     path_cell(run, c, numerator, denominator)])
        coverage = fmt.percent(c.interval_coverage) if c.interval_coverage is not None else fmt.MISSING
        family = {True: "holds", False: "does not hold", None: fmt.MISSING}[c.holds_for_the_family]
        evidence.append([workload, what, fmt.cell(PATH_WORDS.get(c.path, c.path)), str(c.n_pairs),
                         str(c.pairs_rejected), coverage, family,
                         fmt.cell(labels.fingerprint_text(c, selection.several_steps_per_call(run, c)))])
    headers = ["verdict", f"how much ({level_text} interval)", "workload", "configuration", "path: modes"]
    evidence_headers = ["workload", "configuration", "path", "pairs", "processes rejected for load",
                        "interval's exact coverage", "verdict at the family level", "final losses (relative difference)"]
    note = (f"The ratio is {labels.framework_name(numerator)} step time over {labels.framework_name(denominator)} step "
            "time, pair by pair; where one side is faster the table gives its speed-up (the ratio's inverse when "
            f"{labels.framework_name(numerator)} wins) and the interval in the same terms.")
    return "\n\n".join([fmt.table(headers, rows), note,
                        fmt.folded("Evidence behind each verdict: pairs, load, coverage, family, final losses",
                                   fmt.table(evidence_headers, evidence))])
