"""How frameworks, configurations, cases and verdicts are named on the site.

Figures and tables both name things through this module, so the x label of a bar, the
row of a table and the caption under a chart always say the same thing.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from contract.schema import FRAMEWORK_SPECIFIC_KEYS, CaseResult, ConfigValue, FrameworkComparison, RunResult
from site_scripts.text import formatting

FRAMEWORK_NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow"}


def framework_name(framework: str) -> str:
    return FRAMEWORK_NAMES.get(framework, framework)


def frameworks(run: RunResult) -> list[str]:
    """The run's frameworks in the order it was asked for, then any others its cases hold."""
    ordered = list(run.settings.frameworks)
    ordered += [c.framework for c in run.cases if c.framework not in ordered]
    return list(dict.fromkeys(ordered))


def config_text(config: Mapping[str, ConfigValue]) -> str:
    """Every setting of a configuration, sorted: the exact configuration, for tables and hover text."""
    return ", ".join(f"{key}={value}" for key, value in sorted(config.items()))


def configuration_key(workload: str, device: str, config: Mapping[str, ConfigValue]) -> tuple:
    """Identity of a configuration across frameworks: what a comparison and its two cases share."""
    return (workload, device, tuple(sorted((k, str(v)) for k, v in config.items())))


class ConfigurationLabels:
    """Short labels such as 'mlp · batch 128' or 'mlp · batch 128 · bf16' for shared configurations.

    A label names the workload, the batch size, every shared setting that differs
    between the given cases' configurations of that workload (precision by its value
    alone), and the device where the cases ran on more than one: enough to tell bars
    apart, short enough for an axis. Settings one framework chooses for itself (mode,
    layout) are left out: the label names what both frameworks computed.
    """

    def __init__(self, cases: list[CaseResult]) -> None:
        self._varying: dict[str, list[str]] = {}
        self._with_device = len({c.device for c in cases}) > 1
        for workload in dict.fromkeys(c.workload for c in cases):
            configs = [c.shared_config for c in cases if c.workload == workload]
            keys = sorted({k for config in configs for k in config})
            self._varying[workload] = [
                k for k in keys if k != "batch_size" and len({str(config.get(k)) for config in configs}) > 1
            ]

    def __call__(self, workload: str, device: str, config: Mapping[str, ConfigValue]) -> str:
        parts = [workload]
        if "batch_size" in config:
            parts.append(f"batch {config['batch_size']}")
        for key in self._varying.get(workload, []):
            value = config.get(key, formatting.MISSING)
            parts.append(str(value) if key == "precision" else f"{key} {value}")
        if self._with_device:
            parts.append(device)
        return " · ".join(str(p) for p in parts)

    def of_case(self, case: CaseResult) -> str:
        return self(case.workload, case.device, case.shared_config)


def failure_summary(case: CaseResult) -> str:
    """'timeout ×2: exceeded 600 s; crashed ×1: ...': each distinct status and reason once, with its count."""
    counts = Counter((s.status, " ".join((s.reason or "").split())) for s in case.failures)
    return "; ".join(f"{status} ×{n}" + (f": {reason}" if reason else "") for (status, reason), n in counts.items())


def case_status(case: CaseResult) -> str:
    """Plain-text status of a case; failed processes are always named, never dropped."""
    if case.not_measured:
        return case.not_measured
    if not case.samples:
        return "not run: no process was started"
    if case.summary is None:
        return f"failed: {failure_summary(case)}"
    if case.failures:
        return f"ok ({len(case.failures)} of {len(case.samples)} processes failed: {failure_summary(case)})"
    return "ok"


TASK_ORDER = ("train", "infer")


PRECISION_ORDER = ("fp32", "bf16", "fp16")


# Schema 1 files carry neither key: they measured fp32 training (see contract.upgrades.upgrade_v1_to_v2).
DEFAULT_TASK, DEFAULT_PRECISION = "train", "fp32"


def task_of(config: Mapping[str, ConfigValue]) -> str:
    return str(config.get("task", DEFAULT_TASK))


def precision_of(config: Mapping[str, ConfigValue]) -> str:
    return str(config.get("precision", DEFAULT_PRECISION))


def mode_label(config: Mapping[str, ConfigValue]) -> str:
    """'eager', or 'eager · channels_last' where the case chose a memory layout."""
    mode = str(config.get("mode", formatting.MISSING))
    return f"{mode} · {config['layout']}" if config.get("layout") else mode


def case_label(case: CaseResult) -> str:
    """'PyTorch compile · channels_last': which framework ran how."""
    return f"{framework_name(case.framework)} {mode_label(case.config)}"


def series_name(case: CaseResult) -> str:
    """One line of a batch-sweep chart: framework, mode, layout and precision."""
    return f"{case_label(case)} · {precision_of(case.config)}"


def order_key(value: str, order: tuple[str, ...]) -> tuple[int, str]:
    return (order.index(value) if value in order else len(order), value)


def config_text_without(config: Mapping[str, ConfigValue], keys: set[str]) -> str:
    return config_text({k: v for k, v in config.items() if k not in keys})


def workloads(run: RunResult) -> list[str]:
    """The workloads the run holds cases of, in the order it was asked for: discovered, never listed."""
    present = list(dict.fromkeys(c.workload for c in run.cases))
    ordered = [w for w in run.settings.workloads if w in present]
    return ordered + [w for w in present if w not in ordered]


def workload_title(run: RunResult, workload: str) -> str:
    info = run.workloads.get(workload)
    return info.title if info else workload


def workload_slug(workload: str) -> str:
    """The part of an anchor or chart id that names a workload: the same name gives the same id on every build."""
    return re.sub(r"[^a-z0-9]+", "-", workload.lower()).strip("-") or "workload"


def hardware_slug(hardware_key: str) -> str:
    """A chart id's part that names a hardware class: readable at the front, and unique by a hash of the whole
    key, because two keys can differ only in their tail (the ISA flags of an AVX2 host and a native-bf16 host)."""
    digest = hashlib.sha256(hardware_key.encode("utf-8")).hexdigest()[:8]
    return f"{workload_slug(hardware_key)[:32].strip('-')}-{digest}"


def workload_anchor(workload: str) -> str:
    return f"perf-{workload_slug(workload)}"


def workload_link(workload: str) -> str:
    """'[`lstm`](performance.md#perf-lstm)': the workload's short name, linking to its Performance section, for
    tables with a row per case or comparison. Its title is recorded text of any length: printed on each of 200 rows,
    one long title alone broke the page budget. The link names the page because these tables are shown on more
    pages than Performance (All cases, Claims)."""
    return f"[{formatting.code_span(workload)}](performance.md#{workload_anchor(workload)})"


def decided_verdict_words(verdict: str, numerator: str, denominator: str, margin: float | None,
                          tie_without_margin: str) -> str | None:
    """The words of a decided verdict (a side faster, practically equal, a tie), None for any other: one rule's words
    for framework comparisons and for the step-settings variants alike."""
    if verdict == "numerator_faster":
        return f"{numerator} faster"
    if verdict == "denominator_faster":
        return f"{denominator} faster"
    if verdict == "practically_equal":
        return f"within {margin:.0%}: practically equal"
    if verdict == "tie":
        return f"no difference beyond {margin:.0%} resolved" if margin is not None else tie_without_margin
    return None


def verdict_words(comparison: FrameworkComparison) -> str:
    """The verdict in words; 'faster' only where the confidence interval of the ratio excludes 1."""
    verdict = comparison.verdict
    decided = decided_verdict_words(verdict, framework_name(comparison.numerator),
                                    framework_name(comparison.denominator), comparison.equivalence_margin,
                                    "tie (interval includes 1)")
    if decided is not None:
        return decided
    if verdict == "fingerprints_disagree":
        return "not compared: final losses disagree"
    if verdict == "not_measured":
        return comparison.not_measured_reason or "not measured"
    if verdict == "insufficient_quiet_pairs":
        return (f"insufficient quiet pairs ({comparison.n_pairs} < {comparison.min_pairs}; "
                f"{comparison.pairs_rejected} processes rejected for machine load)")
    if comparison.n_pairs < comparison.min_pairs:
        pairs = "1 pair" if comparison.n_pairs == 1 else f"{comparison.n_pairs} pairs"
        return f"insufficient data ({pairs} < {comparison.min_pairs})"
    return "insufficient data"


def configuration_label(config: dict, extra: Iterable[str] = ()) -> str:
    """'train · fp32 · batch 128': what a case or comparison computed, in the words every table and chart uses."""
    parts = [task_of(config), precision_of(config), f"batch {config.get('batch_size', formatting.MISSING)}", *extra]
    return " · ".join(str(p) for p in parts)


def comparison_label(comparison: FrameworkComparison, varying_keys: list[str] = (), with_device: bool = False) -> str:
    """'train · fp32 · batch 128': what both sides of a comparison computed."""
    config = comparison.config
    extra = [f"{key} {config.get(key, formatting.MISSING)}" for key in varying_keys]
    return configuration_label(config, [*extra, *([comparison.device] if with_device else [])])


def comparison_varying_keys(comparisons: list[FrameworkComparison]) -> list[str]:
    """Shared settings other than task, precision and batch that differ between these comparisons."""
    named = {"task", "precision", "batch_size", *FRAMEWORK_SPECIFIC_KEYS}
    keys = sorted({k for c in comparisons for k in c.config} - named)
    return [k for k in keys if len({str(c.config.get(k)) for c in comparisons}) > 1]


def verdict_legend(comparison: FrameworkComparison) -> str:
    """The verdict as a legend entry: like verdict_words, without a count that differs from point to point."""
    if comparison.verdict == "insufficient_data":
        return f"insufficient data (n pairs < {comparison.min_pairs})"
    return verdict_words(comparison)


def fingerprint_text(comparison: FrameworkComparison, several_steps_per_call: bool = False) -> str:
    """'agree (5.9e-05)', 'disagree (8.0e-02)' with the relative final-loss difference, or 'not comparable (why)'."""
    relative = comparison.fingerprint_relative_difference
    if comparison.fingerprints_agree is None or relative is None:
        if task_of(comparison.config) != "train":
            return "not comparable (inference)"
        if several_steps_per_call:
            return "not comparable (a side runs several steps per call)"
        return "not comparable"
    word = "agree" if comparison.fingerprints_agree else "disagree"
    return f"{word} ({relative:.1e})"


def times(value: float) -> str:
    """'1.31×', '1.20×', '31.6×': a factor, two decimals below 10 (so 1.20 and 1.02 read alike), one above."""
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def speed_words(numerator: str, denominator: str, ratio: float | None, low: float | None, high: float | None,
                verdict: str, margin: float | None) -> tuple[str, str]:
    """(verdict words, interval words) for a step-time ratio numerator / denominator, as a reader says them:
    'PyTorch 1.31× faster' with '95 % interval 1.12×–1.52×' in the winner's terms; 'within 5 %' where the
    interval lies inside the equivalence margin. The words follow the verdict, never the median alone."""
    if ratio is None:
        return "no verdict", "no pairs"
    if verdict == "numerator_faster":
        words = f"{framework_name(numerator)} {times(1 / ratio)} faster"
        interval = f"{times(1 / high)}–{times(1 / low)}" if low and high else formatting.MISSING
    elif verdict == "denominator_faster":
        words = f"{framework_name(denominator)} {times(ratio)} faster"
        interval = f"{times(low)}–{times(high)}" if low and high else formatting.MISSING
    else:
        if verdict == "practically_equal":
            words = f"within {margin:.0%}" if margin is not None else "practically equal"
        elif verdict == "tie":
            words = "no difference resolved"
        else:
            words = "no verdict"
        interval = (f"ratio {framework_name(numerator)}/{framework_name(denominator)} {ratio:.3f}"
                    + (f", interval {low:.3f}–{high:.3f}" if low and high else ""))
    return words, interval


def verdict_side(comparison_verdict: str, numerator: str, denominator: str) -> str:
    """Which side a verdict favours, as a CSS class suffix: a framework's slug, 'equal', 'tie' or 'none'."""
    if comparison_verdict == "numerator_faster":
        return workload_slug(numerator)
    if comparison_verdict == "denominator_faster":
        return workload_slug(denominator)
    if comparison_verdict == "practically_equal":
        return "equal"
    if comparison_verdict == "tie":
        return "tie"
    return "none"


def comparison_anchor(comparison: FrameworkComparison) -> str:
    """The id of a comparison's row in Performance's verdict table: stable across rebuilds (names, not places)."""
    config = comparison.config
    parts = [comparison.workload, task_of(config), precision_of(config), f"b{config.get('batch_size', 0)}",
             comparison.path]
    if comparison.device != "cpu":
        parts.append(comparison.device)
    # Every part slugged: a recorded value never reaches an id attribute or a link as it is.
    return "cmp-" + "-".join(workload_slug(str(p)) for p in parts)
