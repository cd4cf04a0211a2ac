"""What the Home page says first: one line per category of comparison, and the workload × configuration matrix.

A category (fp32 training, large-batch inference, batch-1 latency, mixed precision) pools the process pairs of
its comparisons, one comparison per configuration: each framework's best path where the run made one (its
fastest mode, chosen leave-one-out), its default path otherwise. The pooled figure is the median of every pair's
step-time ratio, with the run's own order-statistic interval over all of them. Pairs of different workloads are
not identically distributed, so the interval covers the median of the pooled pairs with at least the stated
confidence rather than exactly (Hoeffding, 1956: a sum of independent Bernoulli counts with a given mean is more
concentrated than the binomial the interval assumes). A verdict comes from the run's own rule (contract.stats).

Comparisons that cannot speak for a category stay out of it and are counted in its line: final losses that
disagree, a side not measured, mixed precision without native kernels on either side (the ratio would measure a
missing instruction set, not the framework).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.schema import FrameworkComparison, RunResult
from contract.stats import median_interval, verdict_of
from site_scripts.analysis import selection
from site_scripts.text import labels, quantities

# The paths a comparison can stand for, most telling first: each framework's best (leave-one-out), a v3 run's
# fastest-on-the-same-samples, the default path (what the tutorials teach).
PATH_PREFERENCE = ("best", "fastest_same_samples", "default")
DECIDED = ("numerator_faster", "denominator_faster", "practically_equal", "tie")


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    what: str  # what its figure measures, in words

    def holds(self, run: RunResult, comparison: FrameworkComparison) -> bool:
        task, precision = labels.task_of(comparison.config), labels.precision_of(comparison.config)
        batch = comparison.config.get("batch_size")
        if self.key == "train-fp32":
            return task == "train" and precision == "fp32" and batch == selection.reference_batch(run, comparison.workload)
        if self.key == "train-mixed":
            return task == "train" and precision != "fp32" and batch == _mixed_batch(run, comparison)
        if self.key == "infer-latency":
            return task == "infer" and batch == 1
        if self.key == "infer-large":
            return task == "infer" and batch != 1
        raise ValueError(f"unknown category {self.key}")


CATEGORIES = (
    Category("train-fp32", "fp32 training", "training step time at each workload's reference batch"),
    Category("infer-large", "large-batch inference", "inference step time at each workload's large batch"),
    Category("infer-latency", quantities.label("latency_verdict"), "median latency of one inference call at batch 1"),
    Category("train-mixed", "mixed precision", "training step time with bf16 (or fp16) autocast at the reference batch"),
)


def _mixed_batch(run: RunResult, comparison: FrameworkComparison) -> int | None:
    """Mixed precision runs at the reference batch; a run whose fp32 reference batch is absent uses its smallest."""
    reference = selection.reference_batch(run, comparison.workload)
    batches = sorted({int(c.config.get("batch_size", 0)) for c in run.comparisons
                      if c.workload == comparison.workload and labels.task_of(c.config) == "train"
                      and labels.precision_of(c.config) == labels.precision_of(comparison.config)})
    return reference if reference in batches else (batches[0] if batches else None)


def one_per_configuration(run: RunResult) -> list[FrameworkComparison]:
    """Per (workload, device, configuration), the comparison of the most telling path the run made."""
    chosen: dict[tuple, FrameworkComparison] = {}
    for c in selection.comparisons_of(run):
        key = (c.workload, c.device, labels.config_text(c.config))
        if key not in chosen or PATH_PREFERENCE.index(c.path) < PATH_PREFERENCE.index(chosen[key].path):
            chosen[key] = c
    return list(chosen.values())


def excluded_reason(comparison: FrameworkComparison) -> str | None:
    """Why a comparison cannot speak for its category, or None."""
    if comparison.verdict == "not_measured":
        return "not measured"
    if comparison.verdict == "fingerprints_disagree":
        return "final losses disagree"
    if comparison.emulated:
        return "mixed precision without native kernels"
    return None


@dataclass
class CategoryFigure:
    """A category's pooled step-time ratio (numerator / denominator) and its verdict, or why there is none."""

    category: Category
    comparisons: list[FrameworkComparison]
    excluded: dict[str, int] = field(default_factory=dict)
    ratio: float | None = None
    low: float | None = None
    high: float | None = None
    pairs: int = 0
    verdict: str = "insufficient_data"
    per_workload: dict[str, int] = field(default_factory=dict)  # verdict -> comparisons

    @property
    def workloads(self) -> int:
        return len({c.workload for c in self.comparisons})


def category_figure(run: RunResult, category: Category) -> CategoryFigure:
    members = [c for c in one_per_configuration(run) if category.holds(run, c)]
    figure = CategoryFigure(category, [])
    for c in members:
        reason = excluded_reason(c)
        if reason:
            figure.excluded[reason] = figure.excluded.get(reason, 0) + 1
        else:
            figure.comparisons.append(c)
    for c in figure.comparisons:
        figure.per_workload[c.verdict] = figure.per_workload.get(c.verdict, 0) + 1
    # Every admitted pair of the included comparisons: one with too few pairs for its own verdict still adds them.
    ratios = [p.ratio for c in figure.comparisons for p in c.pairs]
    if not ratios:
        return figure
    confidence = run.rules.confidence_level
    margin = run.rules.equivalence_margin or 0.0
    median, low, high, _ = median_interval(ratios, confidence)
    figure.ratio, figure.low, figure.high, figure.pairs = median, low, high, len(ratios)
    figure.verdict = verdict_of(median, low, high, margin) if len(ratios) >= run.rules.min_pairs_for_verdict else "insufficient_data"
    return figure


@dataclass
class MemoryFigure:
    """Peak host memory of the processes the fp32 training comparisons paired: numerator / denominator per pair."""

    ratio: float | None
    low: float | None
    high: float | None
    pairs: int
    verdict: str
    import_bytes: dict[str, float]  # framework -> median host RSS right after the framework import
    per_workload: dict[str, float]  # workload -> median ratio


def _rss_of(run: RunResult, case_id: str, repeat: int) -> tuple[int | None, int | None]:
    """(peak host RSS, RSS after the framework import) of one process."""
    case = run.case(case_id)
    if case is None:
        return None, None
    for sample in case.samples:
        if sample.repeat_index == repeat and sample.status == "ok" and sample.admitted:
            phases = sample.memory_phases or {}
            return sample.peak_host_rss_bytes, phases.get("import")
    return None, None


def memory_figure(run: RunResult) -> MemoryFigure | None:
    fp32 = CATEGORIES[0]
    ratios, by_workload, imports = [], {}, {}
    for c in one_per_configuration(run):
        if not fp32.holds(run, c) or excluded_reason(c):
            continue
        workload_ratios = []
        for pair in c.pairs:
            num_peak, num_import = _rss_of(run, pair.numerator_case_id, pair.repeat_index)
            den_peak, den_import = _rss_of(run, pair.denominator_case_id, pair.repeat_index)
            if num_peak and den_peak:
                workload_ratios.append(num_peak / den_peak)
            for framework, value in ((c.numerator, num_import), (c.denominator, den_import)):
                if value:
                    imports.setdefault(framework, []).append(value)
        if workload_ratios:
            ratios += workload_ratios
            by_workload[c.workload] = median_interval(workload_ratios, run.rules.confidence_level)[0]
    if not ratios:
        return None
    median, low, high, _ = median_interval(ratios, run.rules.confidence_level)
    enough = len(ratios) >= run.rules.min_pairs_for_verdict
    verdict = verdict_of(median, low, high, run.rules.equivalence_margin or 0.0) if enough else "insufficient_data"
    import_medians = {fw: sorted(v)[len(v) // 2] for fw, v in imports.items()}
    return MemoryFigure(median, low, high, len(ratios), verdict, import_medians, by_workload)


@dataclass(frozen=True)
class MatrixColumn:
    key: str
    title: str


def matrix_columns(run: RunResult) -> list[MatrixColumn]:
    """The configurations of the matrix, in reading order: training per precision, then inference."""
    present = {(labels.task_of(c.config), labels.precision_of(c.config), c.config.get("batch_size") == 1)
               for c in one_per_configuration(run) if matrix_key(run, c)}
    columns = []
    for precision in labels.PRECISION_ORDER:
        if ("train", precision, False) in present or ("train", precision, True) in present:
            columns.append(MatrixColumn(f"train-{precision}", f"{precision} training"))
    if any(task == "infer" and one for task, _, one in present):
        columns.append(MatrixColumn("infer-latency", quantities.label("latency_verdict")))
    if any(task == "infer" and not one for task, _, one in present):
        columns.append(MatrixColumn("infer-large", "large-batch inference"))
    return columns


def matrix_key(run: RunResult, comparison: FrameworkComparison) -> str | None:
    """The matrix column a comparison fills, or None (training at a batch other than the reference one)."""
    task, precision = labels.task_of(comparison.config), labels.precision_of(comparison.config)
    if task == "infer":
        return "infer-latency" if comparison.config.get("batch_size") == 1 else "infer-large"
    category = CATEGORIES[0] if precision == "fp32" else CATEGORIES[3]
    return f"train-{precision}" if category.holds(run, comparison) else None


def matrix_cells(run: RunResult) -> dict[tuple[str, str], FrameworkComparison]:
    """(workload, column key) -> the comparison in that cell."""
    cells = {}
    for c in one_per_configuration(run):
        key = matrix_key(run, c)
        if key is not None:
            cells[(c.workload, key)] = c
    return cells
