"""The rules a run's comparisons followed, with the thresholds and modes that run recorded.

Rendered from RunResult.rules, so the page cannot state a tolerance that run did not use, whatever today's code applies.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.text import labels


def comparison_rules(run: RunResult) -> str:
    """The rules a comparison follows, with the thresholds the code applies and the modes this run measured."""
    by_tolerance: dict[float, list[str]] = {}
    rules = run.rules
    for precision, tolerance in rules.fingerprint_tolerance.items():
        by_tolerance.setdefault(tolerance, []).append(precision)
    tolerances = ", ".join(f"{t:g} in {' and '.join(p)}" for t, p in by_tolerance.items())
    modes = []
    for framework in labels.frameworks(run):
        ran = list(dict.fromkeys(str(c.config.get("mode")) for c in run.cases if c.framework == framework))
        if ran:
            modes.append(f"{labels.framework_name(framework)} in {', '.join(ran)}")
    ran_text = f" In this run: {'; '.join(modes)}." if modes else ""
    return "\n".join([
        "- **Never handicap a framework.** For each configuration both frameworks computed (same workload, task, "
        "precision, batch and sizes), each side is represented by its fastest mode (and memory layout) for that "
        "configuration; the summary table names the mode each side was compared in." + ran_text,
        "- **Same computation, or no verdict.** Final training losses after the same steps from the same weights "
        f"and data must agree within a relative difference of {tolerances}; otherwise the comparison gets no "
        "verdict (*not compared: final losses disagree*). Inference outputs, and cases that run several steps per "
        "timed call (Keras fit runs an epoch per call), are not comparable this way and are marked so.",
        f"- **Enough pairs.** A verdict needs at least {rules.min_pairs_for_verdict} process pairs: with fewer, a "
        "percentile bootstrap of the median covers far less than its nominal level, so the verdict is "
        "*insufficient data*.",
        f"- **Faster only when the interval says so.** The {rules.confidence_level:.0%} bootstrap confidence interval "
        "of the median step-time ratio must exclude 1; otherwise the verdict is a tie.",
    ])
