"""The Home page: the headline findings, generated from the run the page shows (each line restates a verdict or
a median the articles show, and links to it), and the run overview.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import headlines, selection
from site_scripts.tables import glance, run_provenance, who_is_faster
from site_scripts.text import formatting, labels, provenance_text


@placeholders.placeholder("run_overview", needs=placeholders.needs_timing_run)
def run_overview_section(run: RunResult) -> str:
    """Home page block: which run the site shows, when, on what hardware, with which versions."""
    parts = [run_provenance.run_overview_table(run)]
    if run.status != "complete":
        parts.insert(0, f'!!! warning "Run {run.run_id} is {run.status}"\n\n    Some cases may be missing from every page.')
    return "\n\n".join(parts)


def category_line(run: RunResult, figure: headlines.CategoryFigure) -> str:
    """'**fp32 training:** PyTorch 1.31× faster (95 % interval …; 40 process pairs over 4 workloads) …'."""
    title = figure.category.title
    if not figure.comparisons and not figure.excluded:
        return f"**{title}:** not measured in this run."
    excluded = "; ".join(f"{n} left out: {reason}" for reason, n in figure.excluded.items())
    if not figure.comparisons:
        reasons = sorted({c.not_measured_reason for c in run.comparisons
                          if c.verdict == "not_measured" and c.not_measured_reason and figure.category.holds(run, c)})
        if reasons and set(figure.excluded) == {"not measured"}:
            return (f"**{title}:** {formatting.cell('; '.join(reasons))}. {who_is_faster.BOTH_FRAMEWORKS} "
                    f"([who is faster where](performance.md#who-is-faster)).")
        return (f"**{title}:** no comparison can speak for it ({excluded}; "
                f"[who is faster where](performance.md#who-is-faster)).")
    numerator, denominator = figure.comparisons[0].numerator, figure.comparisons[0].denominator
    per_workload = ", ".join(f"{formatting.cell(words)} {n}" for words, n in _verdict_counts(figure))
    if figure.ratio is None:
        head = "no pooled figure (the run recorded no process pairs)"
    elif figure.verdict == "insufficient_data":
        head = (f"too few process pairs for a verdict ({figure.pairs} < {run.rules.min_pairs_for_verdict}): step-time "
                f"ratio {labels.framework_name(numerator)}/{labels.framework_name(denominator)} {figure.ratio:.3f}, "
                f"indicative only")
    else:
        words, interval = labels.speed_words(numerator, denominator, figure.ratio, figure.low, figure.high,
                                             figure.verdict, run.rules.equivalence_margin)
        level = f"{run.rules.confidence_level:.0%}"
        head = (f"{formatting.cell(words)} ({level} interval {formatting.cell(interval)}; median of "
                f"{figure.pairs} process pairs over {figure.workloads} "
                f"{'workload' if figure.workloads == 1 else 'workloads'})")
    tail = f"; {excluded}" if excluded else ""
    return (f"**{title}:** {head}. Per workload: {per_workload}{tail} "
            f"([matrix](#at-a-glance), [evidence](performance.md#who-is-faster)).")


def _verdict_counts(figure: headlines.CategoryFigure) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for c in figure.comparisons:
        words = labels.speed_words(c.numerator, c.denominator, c.ratio_median, c.ci_low, c.ci_high, c.verdict,
                                   c.equivalence_margin)[0]
        words = words.split(" ", 1)[0] + " faster" if c.verdict in ("numerator_faster", "denominator_faster") else words
        counts[words] = counts.get(words, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def memory_line(run: RunResult) -> str:
    figure = headlines.memory_figure(run)
    if figure is None:
        return "**memory:** not measured in this run ([Memory](memory.md))."
    numerator, denominator = _frameworks_of(run)
    if figure.verdict in ("numerator_faster", "denominator_faster"):
        more, less = (denominator, numerator) if figure.ratio < 1 else (numerator, denominator)
        factor = 1 / figure.ratio if figure.ratio < 1 else figure.ratio
        low, high = sorted((1 / figure.high, 1 / figure.low) if figure.ratio < 1 else (figure.low, figure.high))
        words = (f"{labels.framework_name(more)} uses {labels.times(factor)} the peak host memory of "
                 f"{labels.framework_name(less)} ({run.rules.confidence_level:.0%} interval "
                 f"{labels.times(low)}–{labels.times(high)})")
    elif figure.verdict == "insufficient_data":
        words = (f"peak host memory ratio {labels.framework_name(numerator)}/{labels.framework_name(denominator)} "
                 f"{figure.ratio:.3f}, too few pairs for a verdict ({figure.pairs} < {run.rules.min_pairs_for_verdict})")
    else:
        words, interval = labels.speed_words(numerator, denominator, figure.ratio, figure.low, figure.high,
                                             figure.verdict, run.rules.equivalence_margin)
        words = f"peak host memory {words} ({interval})"
    imports = ", ".join(f"{labels.framework_name(fw)} {formatting.significant(v / 2**20, 3)} MiB"
                        for fw, v in sorted(figure.import_bytes.items()))
    after_import = f"; right after the framework import alone: {imports}" if imports else ""
    return (f"**memory:** {formatting.cell(words)}, fp32 training at the reference batch, {figure.pairs} process "
            f"pairs{after_import} ([Memory](memory.md)).")


def _frameworks_of(run: RunResult) -> tuple[str, str]:
    for c in run.comparisons:
        return c.numerator, c.denominator
    frameworks = labels.frameworks(run)
    return (frameworks + ["tensorflow", "tensorflow"])[0], (frameworks + ["tensorflow", "tensorflow"])[1]


@placeholders.placeholder("home_summary", needs=placeholders.needs_timing_run)
def home_summary(run: RunResult) -> str:
    """Five lines, then the one-glance matrix: what a reader came for, from the run the page shows."""
    lead = (f"On a {formatting.cell(provenance_text.hardware_words(run))}, run {formatting.code_span(run.run_id)} "
            f"of {formatting.utc_date(run.started_utc)} ({formatting.cell(', '.join(provenance_text.versions(run)))}; "
            f"preset {formatting.code_span(run.settings.preset)}); each framework in its fastest mode where the run "
            f"measured several (the default paths are on [Performance](performance.md#who-is-faster)):")
    lines = [category_line(run, headlines.category_figure(run, category)) for category in headlines.CATEGORIES]
    lines.append(memory_line(run))
    return "\n\n".join([lead, "\n".join(f"- {line}" for line in lines),
                         "### At a glance {#at-a-glance}", glance.matrix_html(run)])


@placeholders.placeholder("reading_guide", needs=placeholders.needs_timing_run)
def reading_guide(run: RunResult) -> str:
    """How to read the numbers, in the words of the rules the run shown was judged by (never today's constants)."""
    rules = run.rules
    lines = [
        "**Each figure is a median over fresh processes.** Every case runs in several new processes, the two "
        "frameworks interleaved; each process reports the median of its measured steps, and a figure is the median "
        "of those per-process values. Error bars span the interquartile range over processes.",
        f"**A framework is called faster only when the evidence says so.** Step-time ratios are formed pair by pair "
        f"from adjacent processes; the interval is the {formatting.cell(rules.interval_method)}, at "
        f"{rules.confidence_level:.0%}; no verdict below {rules.min_pairs_for_verdict} pairs.",
    ]
    if rules.equivalence_margin is not None:
        lines.append(f"**Within {rules.equivalence_margin:.0%} is practically equal.** An interval inside that "
                     "margin reads \"within\", not a win; an interval that crosses 1 but not the margin reads "
                     "\"no difference resolved\".")
    if rules.load_gated:
        lines.append(f"**Only quiet processes count.** A process during which other programs took more than "
                     f"{rules.loaded_machine_fraction:.0%} of the machine was rejected and run again (at most "
                     f"{rules.max_load_retries} times); rejected processes are counted on Performance.")
    if rules.best_path_selection:
        lines.append(f"**Default and fastest paths.** Each configuration is compared twice where a framework has "
                     f"several modes: in each framework's default mode (what its tutorials teach), and in "
                     f"{formatting.cell(rules.best_path_selection)}.")
    lines.append("**Failures are shown, not hidden.** A case that crashed, ran out of memory, timed out or is "
                 "unsupported appears in the tables with its reason.")
    return "\n".join(f"- {line}" for line in lines)
