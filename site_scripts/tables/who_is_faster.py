"""The Performance page's verdict table: every comparison, the mode each side ran in, the ratio, its interval,
the pairs, the final losses and the verdict.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.analysis import selection
from site_scripts.text import formatting as fmt
from site_scripts.text import labels


def who_is_faster_table(run: RunResult) -> str:
    """Every comparison, one row: what was compared, each side's fastest mode, the ratio, its evidence, the verdict.

    The configuration reads 'train · fp32 · batch 128', the same label as the speed-up
    chart's axis, and the workload links to its section on the Performance page.
    """
    comparisons = selection.comparisons_of(run)
    if not comparisons:
        return "No framework comparisons in this run: a comparison needs two frameworks measured on one configuration."
    pairs = {(c.numerator, c.denominator) for c in comparisons}
    numerator, denominator = next(iter(pairs)) if len(pairs) == 1 else ("numerator", "denominator")
    several_devices = len({c.device for c in comparisons}) > 1
    rows = []
    for c in comparisons:
        refused = c.verdict == "fingerprints_disagree"
        interval = (fmt.MISSING if refused or c.ci_low is None or c.ci_high is None
                    else f"{c.ci_low:.3f} – {c.ci_high:.3f}")
        sides = [selection.side_mode_label(run, c, True), selection.side_mode_label(run, c, False)]
        if len(pairs) > 1:
            sides = [f"{labels.framework_name(c.numerator)} {sides[0]}", f"{labels.framework_name(c.denominator)} {sides[1]}"]
        others = labels.comparison_varying_keys([x for x in comparisons if x.workload == c.workload])
        rows.append([
            f"[{fmt.cell(labels.workload_title(run, c.workload))}](#{labels.workload_anchor(c.workload)})",
            fmt.cell(labels.comparison_label(c, others, several_devices)),
            *(fmt.cell(side) for side in sides),
            fmt.MISSING if refused or c.ratio_median is None else f"{c.ratio_median:.3f}",
            interval,
            str(c.n_pairs),
            fmt.cell(labels.fingerprint_text(c, selection.several_steps_per_call(run, c))),
            fmt.cell(labels.verdict_words(c)),
        ])
    name_of = labels.framework_name
    level = {f"{c.confidence_level:.0%}" for c in comparisons}
    headers = [
        "workload", "configuration", f"{name_of(numerator)} mode", f"{name_of(denominator)} mode",
        f"step-time ratio {name_of(numerator)} / {name_of(denominator)}",
        f"{level.pop()} CI" if len(level) == 1 else "confidence interval",
        "pairs", "final losses (relative difference)", "verdict",
    ]
    return fmt.table(headers, rows)
