"""The rules a run's comparisons followed, with the thresholds and modes that run recorded.

Rendered from RunResult.rules, so the page cannot state a tolerance that run did not use, whatever today's code
applies: a run judged by the version-3 rules (a bootstrap interval, the fastest mode chosen on the compared
samples, no load gate) is described as such.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.text import formatting, labels


def comparison_rules(run: RunResult) -> str:
    """The rules a comparison follows, with the thresholds the run recorded and the modes it measured."""
    by_tolerance: dict[float, list[str]] = {}
    rules = run.rules
    for precision, tolerance in rules.fingerprint_tolerance.items():
        by_tolerance.setdefault(tolerance, []).append(precision)
    tolerances = ", ".join(f"{t:g} in {' and '.join(p)}" for t, p in by_tolerance.items())
    modes = []
    for framework in labels.frameworks(run):
        ran = list(dict.fromkeys(str(c.config.get("mode")) for c in run.cases if c.framework == framework))
        if ran:
            modes.append(formatting.code_aware_cell(f"{labels.framework_name(framework)} in {', '.join(ran)}"))
    ran_text = f" In this run: {'; '.join(modes)}." if modes else ""
    defaults = formatting.cell("; ".join(f"{labels.framework_name(fw)} {', '.join(m)}" for fw, m in rules.default_modes.items()))
    if rules.best_path_selection:
        paths = ("- **Two paths, never one.** Every configuration is compared on the *default path* (each "
                 f"framework's default mode, what its tutorials teach: {defaults}) and, where a side ran more than one "
                 f"mode or layout, on the *best path*: {formatting.cell(rules.best_path_selection)}." + ran_text)
    else:
        paths = ("- **Never handicap a framework.** For each configuration both frameworks computed (same workload, "
                 "task, precision, batch and sizes), each side is represented by its fastest mode (and memory layout) "
                 "for that configuration, chosen on the same samples it was then compared on (the rule of runs "
                 "before schema version 4); the summary table names the mode each side was compared in." + ran_text)
    if rules.load_gated:
        load = (f"- **Quiet pairs only.** A process during which other processes took more than "
                f"{rules.loaded_machine_fraction:.0%} of the machine is rejected (kept and shown, never used) and run "
                f"again, at most {rules.max_load_retries} times; a comparison with too few admitted pairs says "
                "*insufficient quiet pairs*.")
    else:
        load = (f"- **Machine load is flagged, not gated.** Processes during which other processes took more than "
                f"{rules.loaded_machine_fraction:.0%} of the machine are flagged in the tables; this run did not "
                "reject them.")
    margin = rules.equivalence_margin
    verdict = (f"- **Faster only beyond the noise and the margin.** The {rules.confidence_level:.0%} interval "
               f"({formatting.cell(rules.interval_method)}) must exclude 1 and the median ratio must differ from 1 by more than "
               f"{margin:.0%}; when the whole interval lies within {margin:.0%} of 1 the two are *practically equal*; "
               "otherwise no difference is resolved." if margin is not None else
               f"- **Faster only when the interval says so.** The {rules.confidence_level:.0%} interval "
               f"({formatting.cell(rules.interval_method)}) must exclude 1; otherwise the verdict is a tie. This run applied no "
               "margin of practical equivalence.")
    lines = [
        paths,
        "- **Same computation, or no verdict.** Final training losses after the same steps from the same weights "
        f"and data must agree within a relative difference of {tolerances}; otherwise the comparison gets no "
        "verdict (*not compared: final losses disagree*). Inference outputs, and cases that run several steps per "
        "timed call (Keras fit runs an epoch per call), are not comparable this way and are marked so.",
        load,
        f"- **Enough pairs.** A verdict needs at least {rules.min_pairs_for_verdict} process pairs: the fewest with "
        f"which the interval reaches its {rules.confidence_level:.0%} coverage; with fewer the verdict is "
        "*insufficient data*.",
        verdict,
    ]
    if rules.multiplicity:
        lines.append(f"- **Many comparisons.** {formatting.cell(rules.multiplicity[0].upper() + rules.multiplicity[1:])}.")
    return "\n".join(lines)
