"""The checks: each a pure function from one run (chosen by evaluate.py) and a claim to a verdict.

No framework is imported and nothing is measured here: a check reads result files (studies
through contract.payloads), the build's own example sources, or a dated fact with its source,
so a new framework release changes a verdict at the next build, with no hand edit.

Every check splits its evidence into rows and lets verdicts.aggregate decide: the rule for the
verdict is the table the legend is written from. Each check states in `rule` how one of its rows
counts. A row outside the claim's scope (a CPU row for a GPU claim, ResNet-18 for a ResNet-50
claim) is OUT_OF_SCOPE: shown when nothing in scope exists, labelled, never counted. A claim
with no in-scope evidence in any run is "not testable here" when the scope needs hardware no
run has, else "not measured".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import stats

from contract.payloads import CheckData, ExportCell, export_paths, payload
from contract.schema import CaseResult, FrameworkComparison, RunResult, StudyRecord
from site_scripts.analysis import ecosystem_facts, memory, parity
from site_scripts.claims.registry import Claim, Scope, age_text
from site_scripts.claims.verdicts import (
    AGAINST,
    DIFFERENCE,
    EQUALITY,
    FOR,
    NEITHER,
    NOT_MEASURED,
    NOT_TESTABLE,
    OUT_OF_SCOPE,
    UNDECIDED,
    EvidenceRow,
    Verdict,
    aggregate,
    count_text,
)
from site_scripts.text import formatting, labels

# A memory (or code-size) difference smaller than this fraction is no difference: no noise estimate exists.
MEMORY_MATERIAL = 0.10
CODE_MATERIAL = 0.10
# An accuracy difference is "the same" within this many percentage points unless a claim states its own.
DEFAULT_ACCURACY_MARGIN_POINTS = 1.0
EQUIVALENCE_ALPHA = 0.05  # TOST: two one-sided tests at 5 %, i.e. the 90 % interval inside the margin
MAX_OUT_OF_SCOPE_ROWS = 6  # a claim with no in-scope evidence shows this many near misses, labelled
NOT_MEASURED_TEXT = "Not measured in this run: none of the committed runs has this evidence."

# The comparison verdicts a speed row is decided on; any other (new ones included) leaves the row undecided.
DECIDED_COMPARISON_VERDICTS = frozenset({"numerator_faster", "denominator_faster", "tie", "practically_equal"})

DEVICE_WORDS = {"cpu": "CPU", "cuda": "NVIDIA GPU", "tpu": "TPU", "mobile": "phone or edge device",
                "multi_gpu": "several GPUs", "multi_node": "several machines", "any": "any device"}

Params = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What a check may need besides its run: every run (to say which devices any run measured), the build date."""

    runs: tuple[RunResult, ...] = ()
    build_date: date = field(default_factory=date.today)

    def devices_measured(self) -> set[str]:
        found = set()
        for run in self.runs:
            found.add(run.settings.device.split(":")[0])
            found |= {c.device.split(":")[0] for c in run.cases}
        return found


@dataclass(frozen=True)
class Check:
    name: str
    evidence: str  # what it reads, in words, for the page
    rule: str  # how one row counts, in words, for the page
    page: str | None  # the docs page its evidence is shown on; None: it reads no run
    needs: Callable[[RunResult, Claim], bool]  # does this run hold in-scope evidence for the claim?
    decide: Callable[[RunResult | None, Claim, Context], Verdict]
    allowed: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    kind: str | None = None  # the claim kind it decides (None: either)


CHECKS: dict[str, Check] = {}


def check(name: str, evidence: str, rule: str, page: str | None, needs: Callable[[RunResult, Claim], bool] | None = None,
          *, allowed: set[str] = frozenset(), required: set[str] = frozenset(), kind: str | None = None) -> Callable:
    def register(decide: Callable[[RunResult | None, Claim, Context], Verdict]) -> Callable:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = Check(name, evidence, rule, page, needs or (lambda run, claim: True), decide,
                             frozenset(allowed) | frozenset(required), frozenset(required), kind)
        return decide

    return register


def check_params_error(name: str, params: Params) -> str | None:
    """Why these params do not fit the check, or None."""
    spec = CHECKS[name]
    unknown = set(params) - spec.allowed
    missing = spec.required - set(params)
    if unknown:
        return f"check {name}: unknown params {', '.join(sorted(unknown))}"
    if missing:
        return f"check {name}: missing params {', '.join(sorted(missing))}"
    return None


def _other(framework: str) -> str:
    return "tensorflow" if framework == "torch" else "torch"


def _name(framework: str) -> str:
    return labels.framework_name(framework)


def _claimed(ratio: float | list[float]) -> str:
    """A ratio the article's figures imply, or the range of several."""
    if isinstance(ratio, list):
        return f"{min(ratio):.2f} to {max(ratio):.2f}"
    return f"{ratio:.2f}"


def _range_text(rows: list[EvidenceRow], what: str) -> str:
    values = [r.value for r in rows if r.value is not None and r.outcome != OUT_OF_SCOPE]
    return f"; {what} {min(values):.2f} to {max(values):.2f}" if values else ""


# --- scope ----------------------------------------------------------------------------------

def scope_misses(scope: Scope, workload: str, device: str, config: dict[str, Any]) -> list[str]:
    """What puts a row outside the claim's scope, in words; empty when it is in scope."""
    misses = []
    if not scope.device_ok(device):
        misses.append(f"{DEVICE_WORDS.get(device.split(':')[0], device)} evidence for {_a(DEVICE_WORDS.get(scope.device, scope.device))} claim")
    if not scope.workload_ok(workload):
        misses.append(f"workload {workload} is not among the claim's")
    if not scope.task_ok(labels.task_of(config)):
        misses.append(f"task {labels.task_of(config)}, the claim's is {scope.task}")
    if not scope.precision_ok(labels.precision_of(config)):
        misses.append(f"precision {labels.precision_of(config)}, the claim's is {scope.precision}")
    if scope.batch is not None and int(config.get("batch_size", -1)) != scope.batch:
        misses.append(f"batch {config.get('batch_size')}, the claim's is {scope.batch}")
    if not scope.sizes_ok(workload, config):
        wanted = scope.sizes.get(workload, {})
        ours = ", ".join(f"{k} {config.get(k)}" for k in wanted)
        misses.append(f"our {workload} at {ours}, not {scope.sizes_text.get(workload, 'the named model')}")
    return misses


def _a(words: str) -> str:
    return f"{'an' if words[:1].lower() in 'aeiou' or words.startswith('NVIDIA') else 'a'} {words}"


def _near_miss(misses: list[str], scope: Scope, device: str, workload: str, config: dict[str, Any]) -> bool:
    """A row worth showing when nothing is in scope: it misses only the device or the model size."""
    return bool(misses) and scope.workload_ok(workload) and scope.task_ok(labels.task_of(config)) \
        and scope.precision_ok(labels.precision_of(config)) \
        and (scope.batch is None or int(config.get("batch_size", -1)) == scope.batch)


def _not_in_scope_verdict(claim: Claim, ctx: Context, rows: list[EvidenceRow], summary_what: str, link: str | None,
                          headers: tuple[str, str], notes: tuple[str, ...] = ()) -> Verdict:
    """No in-scope row: not testable where the scope's device was never measured, else not measured."""
    scope = claim.scope
    outside = [r for r in rows if r.outcome == OUT_OF_SCOPE]
    shown = outside[:MAX_OUT_OF_SCOPE_ROWS]
    if scope.device not in ("any", "n/a") and scope.device not in ctx.devices_measured():
        status = NOT_TESTABLE
        summary = (f"Needs {summary_what} on {_a(DEVICE_WORDS.get(scope.device, scope.device))}: no committed run "
                   f"measured one.")
    else:
        status = NOT_MEASURED
        summary = f"Not measured in this run: no committed run holds {summary_what} in the claim's scope ({scope.words()})."
    if shown:
        summary += (f" {len(outside)} row(s) outside the scope exist" + (f" ({len(shown)} shown below)" if len(shown) < len(outside)
                    else ", shown below") + "; they decide nothing.")
    return Verdict(status, summary, tuple(shown), link=link, headers=headers, notes=notes)


# --- speed ----------------------------------------------------------------------------------

def _torch_tf(c: FrameworkComparison) -> bool:
    return {c.numerator, c.denominator} == {"torch", "tensorflow"}


def _speed_split(run: RunResult, scope: Scope) -> tuple[list[FrameworkComparison], list[tuple[FrameworkComparison, str]]]:
    """(in-scope comparisons, near misses with why): every filter of the scope applied."""
    inside, near = [], []
    for c in _one_path_per_configuration(run.comparisons):
        if not _torch_tf(c):
            continue
        misses = scope_misses(scope, c.workload, c.device, c.config)
        if c.emulated:
            misses = [*misses, "mixed precision without native kernels on this CPU (an emulated path)"]
        if not misses:
            inside.append(c)
        elif _near_miss(misses, scope, c.device, c.workload, c.config):
            near.append((c, "; ".join(misses)))
    return inside, near


def _one_path_per_configuration(comparisons: list[FrameworkComparison]) -> list[FrameworkComparison]:
    """Each framework at its best: the best-path comparison where a run made one, else the default path (and
    runs before version 4, whose one comparison took each side's fastest mode)."""
    best = {(c.workload, c.device, labels.config_text(c.config)) for c in comparisons if c.path == "best"}
    return [c for c in comparisons
            if c.path != "default" or (c.workload, c.device, labels.config_text(c.config)) not in best]


def _needs_speed(run: RunResult, claim: Claim) -> bool:
    return run.rules.timing_run and bool(_speed_split(run, claim.scope)[0])


def _speed_label(c: FrameworkComparison) -> str:
    return (f"{labels.workload_slug(c.workload)} · {labels.task_of(c.config)} · {labels.precision_of(c.config)} · "
            f"batch {c.config.get('batch_size', '?')} · {c.device}")


def _oriented(c: FrameworkComparison, side: str) -> tuple[float, float, float]:
    """Step-time ratio of `side` over the other, with its interval (inverted when `side` is the denominator)."""
    ratio, low, high = c.ratio_median, c.ci_low, c.ci_high
    if c.numerator != side:
        ratio, low, high = 1 / ratio, 1 / high, 1 / low
    return ratio, low, high


def _speed_row(c: FrameworkComparison, side: str, outcome_of: Callable[[float, float], str]) -> EvidenceRow:
    """One comparison as a row: the ratio `side`/other with its interval, counted by `outcome_of(low, high)`."""
    link = f"performance.md#{labels.workload_anchor(c.workload)}"
    label = _speed_label(c)
    if c.verdict not in DECIDED_COMPARISON_VERDICTS or c.ratio_median is None or c.ci_low is None \
            or c.ci_high is None or c.n_pairs < c.min_pairs:
        why = {"fingerprints_disagree": "the two sides computed different losses: not the same computation",
               "insufficient_data": f"too few process pairs ({c.n_pairs}, at least {c.min_pairs} needed)"}.get(
            c.verdict, f"the comparison's verdict {c.verdict!r} is not one this check decides on")
        shown = f"median ratio {c.ratio_median:.3f}, {c.n_pairs} pairs" if c.ratio_median else "—"
        return EvidenceRow(label, shown, UNDECIDED, why, link)
    ratio, low, high = _oriented(c, side)
    other = c.denominator if c.numerator == side else c.numerator
    modes = {c.numerator: c.numerator_mode, c.denominator: c.denominator_mode}
    measured = (f"{_name(side)}/{_name(other)} step time {ratio:.3f} [{low:.3f}, {high:.3f}] "
                f"({c.confidence_level:.0%} CI, {c.n_pairs} pairs)")
    note = f"{_name(side)} {modes[side]} vs {_name(other)} {modes[other]}"
    outcome = outcome_of(low, high)
    if c.equivalence_margin is not None and c.verdict in ("tie", "practically_equal"):
        # A run judged with a practical-equivalence margin: within it, neither side is faster, as its page says.
        outcome = NEITHER if outcome in (FOR, AGAINST) else outcome
        note += f"; {c.verdict.replace('_', ' ')} (margin ±{c.equivalence_margin:.0%})"
    return EvidenceRow(label, measured, outcome, note, link, value=ratio)


def _out_of_scope_speed(c: FrameworkComparison, side: str, why: str) -> EvidenceRow:
    row = _speed_row(c, side, lambda low, high: NEITHER)
    return EvidenceRow(f"{row.label} — out of scope: {why}", row.measured, OUT_OF_SCOPE, row.note, row.link, row.value)


def _faster_outcome(low: float, high: float) -> str:
    """For the claimed-faster side: its step-time interval entirely below parity is for, entirely above against."""
    return FOR if high < 1 else AGAINST if low > 1 else NEITHER


SPEED_HEADERS = ("configuration (workload · task · precision · batch · device)", "ratio [interval]")


@check("faster", "the PyTorch/TensorFlow step-time ratio of each shared configuration in the claim's scope, with its "
       "bootstrap interval (each side in its fastest mode, as the Performance page compares them)",
       "a configuration is for the claim when the whole interval of the claimed-faster side's step-time ratio lies "
       "below 1, against when it lies above 1, neither when it contains 1; a comparison with too few pairs, "
       "disagreeing loss fingerprints or a verdict this check does not know is undecided",
       "performance.md", _needs_speed, allowed={"claimed_ratio"}, required={"faster"}, kind=DIFFERENCE)
def faster(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    """Is `faster` the faster framework in the claim's scope? A configuration counts only where its interval excludes 1."""
    params, claimed = claim.params, claim.params["faster"]
    inside, near = _speed_split(run, claim.scope) if run is not None else ([], [])
    if not inside:
        rows = [_out_of_scope_speed(c, claimed, why) for c, why in near]
        return _not_in_scope_verdict(claim, ctx, rows, "step-time comparisons", "performance.md#who-is-faster",
                                     SPEED_HEADERS)
    rows = [_speed_row(c, claimed, _faster_outcome) for c in inside]
    words = {FOR: f"{_name(claimed)} faster", AGAINST: f"{_name(_other(claimed))} faster",
             NEITHER: "no resolved difference", UNDECIDED: "undecided"}
    summary = f"{_name(claimed)} claimed faster: {count_text(rows, words)}" + _range_text(rows, "step-time ratio")
    if "claimed_ratio" in params:
        summary += f" (the article's figures give {_claimed(params['claimed_ratio'])})"
    links = {r.link for r in rows}
    return Verdict(aggregate(rows, claim.kind), summary + ".", tuple(rows),
                   link=links.pop() if len(links) == 1 else "performance.md#who-is-faster", headers=SPEED_HEADERS)


@check("comparable_speed", "the PyTorch/TensorFlow step-time ratio of each shared configuration in the claim's scope, "
       "with its recorded confidence interval, against a stated margin of equivalence",
       "a configuration is for the claim when the whole interval lies inside the margin [1/(1+m), 1+m] (equivalence "
       "shown), against when the interval excludes 1 and is not inside the margin (a difference shown), neither "
       "otherwise (no difference detected, which is not proof of equality)",
       "performance.md", _needs_speed, required={"margin"}, kind=EQUALITY)
def comparable_speed(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    margin = float(claim.params["margin"])
    low_bound, high_bound = 1 / (1 + margin), 1 + margin

    def outcome(low: float, high: float) -> str:
        if low >= low_bound and high <= high_bound:
            return FOR
        return AGAINST if high < 1 or low > 1 else NEITHER

    inside, near = _speed_split(run, claim.scope) if run is not None else ([], [])
    if not inside:
        return _not_in_scope_verdict(claim, ctx, [_out_of_scope_speed(c, "torch", why) for c, why in near],
                                     "step-time comparisons", "performance.md#who-is-faster", SPEED_HEADERS)
    rows = [_speed_row(c, "torch", outcome) for c in inside]
    words = {FOR: f"equivalent within ±{margin:.0%}", AGAINST: "a difference beyond parity",
             NEITHER: "no difference detected, equivalence not shown", UNDECIDED: "undecided"}
    summary = (f"PyTorch/TensorFlow step time against a margin of [{low_bound:.2f}, {high_bound:.2f}] (ours: the article "
               f"states none): {count_text(rows, words)}" + _range_text(rows, "ratio"))
    return Verdict(aggregate(rows, claim.kind), summary + ".", tuple(rows), link="performance.md#who-is-faster",
                   headers=SPEED_HEADERS)


# --- memory ---------------------------------------------------------------------------------

def preferred_layouts(run: RunResult) -> dict[tuple[str, str], str | None]:
    """(framework, workload) -> the memory layout the run used for most of that side's cases.

    A run compares layouts in the default mode only and runs every other case (sweeps, compiled
    modes, mixed precision) in the framework's preferred layout, so the most frequent layout is
    the preferred one, read from what the run recorded; None where the side has no layout.
    """
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for case in run.cases:
        layout = case.config.get("layout")
        if layout:
            tally = counts.setdefault((case.framework, case.workload), {})
            tally[str(layout)] = tally.get(str(layout), 0) + 1
    chosen = {}
    for key, tally in counts.items():
        best = max(tally.values())
        top = sorted(name for name, n in tally.items() if n == best)
        chosen[key] = top[0] if len(top) == 1 else None
    return chosen


def _preferred_case(case: CaseResult, preferred: dict[tuple[str, str], str | None]) -> bool:
    layout = case.config.get("layout")
    if not layout:
        return True
    return layout == preferred.get((case.framework, case.workload))


def memory_pairs(run: RunResult, scope: Scope) -> dict[tuple[str, int], dict[str, CaseResult]]:
    """Training fp32 cases in each framework's default mode and preferred layout, paired by (workload, batch),
    in the claim's scope (device and workloads)."""
    preferred = preferred_layouts(run)
    pairs: dict[tuple[str, int], dict[str, CaseResult]] = {}
    for case in run.cases:
        if labels.task_of(case.config) != "train" or labels.precision_of(case.config) != "fp32":
            continue
        if case.config.get("mode") not in run.rules.default_modes.get(case.framework, []):
            continue
        if not _preferred_case(case, preferred) or not scope.device_ok(case.device) or not scope.workload_ok(case.workload):
            continue
        pairs.setdefault((case.workload, int(case.config.get("batch_size", 0))), {})[case.framework] = case
    return {key: sides for key, sides in sorted(pairs.items()) if {"torch", "tensorflow"} <= set(sides)}


def _memory_pairs_off_scope(run: RunResult, scope: Scope) -> dict[tuple[str, int], dict[str, CaseResult]]:
    return memory_pairs(run, scope.model_copy(update={"device": "any"})) if scope.device not in ("any", "n/a") else {}


def _needs_memory(run: RunResult, claim: Claim) -> bool:
    return memory.has_memory_phases(run) and bool(memory_pairs(run, claim.scope))


def _material_outcome(ratio: float, margin: float = MEMORY_MATERIAL) -> str:
    """ratio = claimed-lower side over the other: below 1 - margin for, above 1/(1 - margin) against."""
    return FOR if ratio < 1 - margin else AGAINST if ratio > 1 / (1 - margin) else NEITHER


LEVEL_WORDS = {"peak": "peak RSS of the whole process", "steady": "RSS after the measured training steps",
               "build": "RSS after building model, optimiser and data"}
MEASURE_WORDS = {"total": "the total", "increment": "the training increment above the import baseline",
                 "baseline": "the import baseline"}


def memory_parts(case: CaseResult, level: str) -> tuple[float, float, float] | None:
    """(import baseline, increment above it, total) at `level`, medians over the case's processes."""
    levels = memory.phase_levels(case)
    if not levels or "import" not in levels or level not in levels:
        return None
    baseline, total = levels["import"], levels[level]
    return baseline, total - baseline, total


def _parts_text(framework: str, parts: tuple[float, float, float]) -> str:
    baseline, increment, total = parts
    return (f"{_name(framework)} {formatting.mebibytes(baseline)} + {formatting.mebibytes(increment)} = "
            f"{formatting.mebibytes(total)} MiB")


MEMORY_HEADERS = ("workload · batch · modes", "import baseline + training increment = total (MiB), decided ratio")


def _memory_row(workload: str, batch: int, sides: dict[str, CaseResult], claimed: str, level: str, measure: str,
                outcome: str | None = None, label_suffix: str = "") -> EvidenceRow:
    other = _other(claimed)
    link = f"memory.md#memory-{labels.workload_slug(workload)}"
    modes = f"{labels.mode_label(sides[claimed].config)} vs {labels.mode_label(sides[other].config)}"
    label = f"{labels.workload_slug(workload)} · batch {batch} · {modes}{label_suffix}"
    mine, theirs = memory_parts(sides[claimed], level), memory_parts(sides[other], level)
    if mine is None or theirs is None:
        return EvidenceRow(label, "—", outcome or UNDECIDED, f"no import and {level} levels recorded", link)
    index = {"baseline": 0, "increment": 1, "total": 2}[measure]
    if theirs[index] <= 0:
        return EvidenceRow(label, f"{_parts_text(claimed, mine)}; {_parts_text(other, theirs)}", outcome or UNDECIDED,
                           f"{_name(other)}'s {measure} is not positive", link)
    ratio = mine[index] / theirs[index]
    also = ", ".join(f"{name} {mine[i] / theirs[i]:.2f}" for name, i in (("baseline", 0), ("increment", 1), ("total", 2))
                     if name != measure and theirs[i] > 0)
    return EvidenceRow(label, f"{_parts_text(claimed, mine)}; {_parts_text(other, theirs)}; {measure} ratio {ratio:.2f}",
                       outcome or _material_outcome(ratio), f"also: {also} ({_name(claimed)}/{_name(other)})", link,
                       value=ratio)


@check("lower_memory", "host memory (RSS) of each framework's default training path (its preferred memory layout) at "
       "the same batch, split into the import baseline, the training increment above it and the total",
       "a workload and batch is for the claim when the claimed-lower side's chosen measure (total or increment, at "
       "the chosen level) is more than 10 % below the other's (ratio under 0.90), against when it is more than 10 % "
       "above (ratio over 1/0.90), neither in between: one process per case in the memory run gives no interval",
       "memory.md", _needs_memory, allowed={"claimed_ratio"}, required={"lower", "level", "measure"}, kind=DIFFERENCE)
def lower_memory(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    """Does `lower` use less host memory, by the measure the claim's wording means? All three are shown."""
    params = claim.params
    claimed, level, measure = params["lower"], params["level"], params["measure"]
    notes = (f"Decided on {MEASURE_WORDS[measure]} ({LEVEL_WORDS.get(level, level)}). One process per case in the "
             f"memory run, so there is no between-process interval: a difference counts only beyond "
             f"{MEMORY_MATERIAL:.0%}. ResNet runs in each side's preferred memory layout.",)
    pairs = memory_pairs(run, claim.scope) if run is not None else {}
    if not pairs:
        near = _memory_pairs_off_scope(run, claim.scope) if run is not None else {}
        rows = [_memory_row(w, b, sides, claimed, level, measure, OUT_OF_SCOPE,
                            f" — out of scope: {scope_misses(claim.scope, w, sides[claimed].device, sides[claimed].config)[0]}")
                for (w, b), sides in near.items()]
        return _not_in_scope_verdict(claim, ctx, rows, "host-memory phases", "memory.md", MEMORY_HEADERS, notes)
    rows = [_memory_row(w, b, sides, claimed, level, measure) for (w, b), sides in pairs.items()]
    words = {FOR: f"{_name(claimed)} lower", AGAINST: f"{_name(_other(claimed))} lower",
             NEITHER: f"within {MEMORY_MATERIAL:.0%}", UNDECIDED: "not recorded"}
    summary = f"{MEASURE_WORDS[measure].capitalize()}, {LEVEL_WORDS.get(level, level)}: {count_text(rows, words, 'pairs')}"
    summary += _range_text(rows, "ratio")
    if "claimed_ratio" in params:
        summary += f" against the article's {_claimed(params['claimed_ratio'])}"
    other_measure = "increment" if measure == "total" else "total"
    contrast = [_memory_row(w, b, sides, claimed, level, other_measure) for (w, b), sides in pairs.items()]
    summary += (f". By {MEASURE_WORDS[other_measure]} instead (shown, not deciding): "
                f"{count_text(contrast, words, 'pairs')}")
    return Verdict(aggregate(rows, claim.kind), summary + ".", tuple(rows), link="memory.md", headers=MEMORY_HEADERS,
                   notes=notes)


@check("loading_vs_training", "each framework's host RSS after building model, optimiser and data against its RSS "
       "after the training steps, per workload and batch (default path, preferred layout)",
       "a framework, workload and batch is for the claim when RSS after loading exceeds RSS after training by more "
       "than 10 %, against when training's exceeds loading's by more than 10 %, neither in between",
       "memory.md", _needs_memory, kind=DIFFERENCE)
def loading_vs_training(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    pairs = memory_pairs(run, claim.scope) if run is not None else {}
    headers = ("workload · batch · framework", "RSS after loading vs after training (MiB)")
    if not pairs:
        return _not_in_scope_verdict(claim, ctx, [], "host-memory phases", "memory.md", headers)
    rows = []
    for (workload, batch), sides in pairs.items():
        for framework, case in sorted(sides.items()):
            link = f"memory.md#memory-{labels.workload_slug(workload)}"
            label = f"{labels.workload_slug(workload)} · batch {batch} · {labels.case_label(case)}"
            levels = memory.phase_levels(case) or {}
            if "build" not in levels or "steady" not in levels:
                rows.append(EvidenceRow(label, "—", UNDECIDED, "no build and steady levels recorded", link))
                continue
            ratio = levels["steady"] / levels["build"]  # training over loading: below 1 means loading was higher
            rows.append(EvidenceRow(label, f"loading {formatting.mebibytes(levels['build'])}, training "
                                           f"{formatting.mebibytes(levels['steady'])}: ratio {ratio:.2f}",
                                    _material_outcome(ratio), "", link, value=ratio))
    words = {FOR: "loading higher", AGAINST: "training higher", NEITHER: f"within {MEMORY_MATERIAL:.0%}",
             UNDECIDED: "not recorded"}
    return Verdict(aggregate(rows, claim.kind), f"RSS after loading against after training: "
                                                 f"{count_text(rows, words, 'cases')}.", tuple(rows), link="memory.md",
                   headers=headers,
                   notes=("The transient peak while the data load is not recorded apart from the phase levels; "
                          "RSS rarely falls, so a level after training is at least the level before it unless "
                          "memory was returned.",))


def _precision_pairs(run: RunResult, scope: Scope) -> dict[tuple, dict[str, CaseResult]]:
    pairs: dict[tuple, dict[str, CaseResult]] = {}
    for case in run.cases:
        if labels.task_of(case.config) != "train" or not scope.workload_ok(case.workload):
            continue
        key = (case.workload, case.framework, labels.mode_label(case.config), int(case.config.get("batch_size", 0)),
               case.device)
        pairs.setdefault(key, {})[labels.precision_of(case.config)] = case
    return {key: sides for key, sides in sorted(pairs.items()) if "fp32" in sides and len(sides) > 1}


def _precision_memory(case: CaseResult) -> tuple[float | None, str]:
    """Device memory on a GPU (the claim's quantity), host peak RSS on a CPU."""
    if case.device.startswith("cuda"):
        return (case.summary.device_peak_memory_bytes_median if case.summary else None), "device peak"
    levels = memory.phase_levels(case)
    return (levels["peak"] if levels else None), "host peak RSS"


def _needs_precision_memory(run: RunResult, claim: Claim) -> bool:
    return any(claim.scope.device_ok(key[4]) for key in _precision_pairs(run, claim.scope))


@check("mixed_precision_memory", "peak memory of mixed-precision training against fp32 at the same batch and mode: "
       "device memory on a GPU, host RSS on a CPU",
       "a framework, mode and batch is for the claim when mixed precision's peak is more than 10 % below fp32's, "
       "against when more than 10 % above, neither in between",
       "memory.md", _needs_precision_memory, kind=DIFFERENCE)
def mixed_precision_memory(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    headers = ("workload · framework mode · precision · batch · device", "peak (MiB) and ratio to fp32")
    rows = []
    for (workload, framework, mode, batch, device), sides in (_precision_pairs(run, claim.scope) if run else {}).items():
        full, what = _precision_memory(sides["fp32"])
        link = f"memory.md#memory-{labels.workload_slug(workload)}"
        misses = scope_misses(claim.scope, workload, device, {"task": "train", "precision": "bf16"})
        for precision, case in sides.items():
            if precision == "fp32" or not claim.scope.precision_ok(precision):
                continue
            label = f"{labels.workload_slug(workload)} · {_name(framework)} {mode} · {precision} · batch {batch} · {device}"
            if misses:
                label += f" — out of scope: {misses[0]} ({what})"
            mixed, _ = _precision_memory(case)
            if full is None or mixed is None:
                rows.append(EvidenceRow(label, "—", OUT_OF_SCOPE if misses else UNDECIDED, "a side has no memory record", link))
                continue
            ratio = mixed / full
            outcome = OUT_OF_SCOPE if misses else _material_outcome(ratio)
            rows.append(EvidenceRow(label, f"{formatting.mebibytes(mixed)} vs fp32 {formatting.mebibytes(full)}: "
                                           f"ratio {ratio:.2f}", outcome, what, link, value=ratio))
    if not any(r.outcome != OUT_OF_SCOPE for r in rows):
        return _not_in_scope_verdict(claim, ctx, rows, "mixed-precision memory", "memory.md", headers)
    words = {FOR: "lower", AGAINST: "higher", NEITHER: f"within {MEMORY_MATERIAL:.0%}", UNDECIDED: "not recorded"}
    return Verdict(aggregate(rows, claim.kind), f"Mixed precision against fp32, peak memory: {count_text(rows, words)}.",
                   tuple(rows), link="memory.md", headers=headers,
                   notes=(f"One process per case: a difference counts only beyond {MEMORY_MATERIAL:.0%}.",))


# --- accuracy -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Equivalence:
    """TOST on paired per-seed differences (first minus second, accuracy in 0..1) against ±margin."""

    seeds: int
    mean: float | None
    low90: float | None
    high90: float | None
    low95: float | None
    high95: float | None
    p_tost: float | None
    outcome: str
    words: str


def equivalence_test(first: dict[int, float], second: dict[int, float], margin: float) -> Equivalence:
    """Two one-sided t-tests at 5 % each: equivalent when the 90 % interval lies inside (-margin, margin)."""
    seeds = sorted(set(first) & set(second))
    if len(seeds) < 2:
        return Equivalence(len(seeds), None, None, None, None, None, None, UNDECIDED, "fewer than two paired seeds")
    d = np.array([first[s] - second[s] for s in seeds])
    mean = float(d.mean())
    if np.all(d == d[0]):
        inside = abs(mean) < margin
        return Equivalence(len(seeds), mean, mean, mean, mean, mean, None, FOR if inside else AGAINST,
                           "identical on every seed" if mean == 0 else "the same difference on every seed")
    n, se = len(d), float(d.std(ddof=1) / math.sqrt(len(d)))
    t90, t95 = float(stats.t.ppf(1 - EQUIVALENCE_ALPHA, n - 1)), float(stats.t.ppf(0.975, n - 1))
    low90, high90, low95, high95 = mean - t90 * se, mean + t90 * se, mean - t95 * se, mean + t95 * se
    p_lower = float(stats.t.sf((mean + margin) / se, n - 1))  # H0: difference <= -margin
    p_upper = float(stats.t.cdf((mean - margin) / se, n - 1))  # H0: difference >= +margin
    p_tost = max(p_lower, p_upper)
    if p_tost < EQUIVALENCE_ALPHA:
        outcome, words = FOR, "equivalent within the margin (TOST)"
    elif low95 > 0 or high95 < 0:
        outcome, words = AGAINST, "a difference detected, equivalence not shown"
    else:
        outcome, words = NEITHER, "no difference detected, equivalence not shown (not proof of equality)"
    return Equivalence(n, mean, low90, high90, low95, high95, p_tost, outcome, words)


def _needs_parity(run: RunResult, claim: Claim) -> bool:
    return any(r.status == "ok" and claim.scope.workload_ok(r.workload or "") for r in run.study_records(parity.STUDY))


@check("accuracy_equivalence", "final validation accuracy per seed, paired over seeds (same start, same data order), "
       "tested for equivalence within a stated margin",
       "a workload is for the claim when two one-sided t-tests at 5 % put the mean paired difference inside "
       "±margin (its 90 % interval inside the margin), against when the 95 % interval excludes 0 and equivalence is "
       "not shown, neither otherwise (no difference detected, not proof of equality); fewer than two seeds is undecided",
       "accuracy.md", _needs_parity, allowed={"margin_points"}, kind=EQUALITY)
def accuracy_equivalence(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    margin = float(claim.params.get("margin_points", DEFAULT_ACCURACY_MARGIN_POINTS)) / 100
    headers = ("workload", "final validation accuracy, paired difference (points)")
    if run is None or not _needs_parity(run, claim):
        return _not_in_scope_verdict(claim, ctx, [], "the accuracy-parity study", "accuracy.md", headers)
    rows = []
    for workload in parity.workloads_of(run):
        if not claim.scope.workload_ok(workload):
            continue
        records = parity.records_of(run, workload)
        torch_acc = parity.final_accuracy_by_seed(records, "torch")
        tf_acc = parity.final_accuracy_by_seed(records, "tensorflow")
        result = equivalence_test(torch_acc, tf_acc, margin)
        link = f"accuracy.md#accuracy-{labels.workload_slug(workload)}"
        means = (f"PyTorch {formatting.percent(parity.mean_and_std(list(torch_acc.values()))[0])}, "
                 f"TensorFlow {formatting.percent(parity.mean_and_std(list(tf_acc.values()))[0])}")
        if result.mean is None:
            rows.append(EvidenceRow(labels.workload_slug(workload), means, UNDECIDED, result.words, link))
            continue
        interval = (f"90 % interval [{result.low90 * 100:+.2f}, {result.high90 * 100:+.2f}], 95 % "
                    f"[{result.low95 * 100:+.2f}, {result.high95 * 100:+.2f}]")
        p_text = f", TOST p = {result.p_tost:.3g}" if result.p_tost is not None else ""
        rows.append(EvidenceRow(labels.workload_slug(workload),
                                f"{means}; difference {result.mean * 100:+.2f} ({interval}){p_text}, {result.seeds} seeds",
                                result.outcome, result.words, link))
    words = {FOR: f"equivalent within ±{margin * 100:g} points", AGAINST: "a difference",
             NEITHER: "no difference detected, equivalence not shown", UNDECIDED: "too few seeds"}
    return Verdict(aggregate(rows, claim.kind),
                   f"Equivalence margin ±{margin * 100:g} percentage points (ours: the article states none): "
                   f"{count_text(rows, words, 'workloads')}.", tuple(rows), link="accuracy.md", headers=headers)


# --- retracing ------------------------------------------------------------------------------

RETRACING_LINK = "ease-of-use.md#graph-mode-pitfalls-retracing-and-recompilation"
# (framework, scenario) -> how its count bears on "TensorFlow's static graph needs recompiling for changes,
# PyTorch's graph can change at run time"; the rule text below says the same.
RETRACING_ROWS = (
    (("tensorflow", "function_default"), "for when it traced more than once over the varying shapes"),
    (("torch", "eager"), "for when it compiled nothing over the varying shapes"),
    (("torch", "compile_default"), "against when PyTorch's compiled graph recompiled too (the same cost as TensorFlow's)"),
    (("tensorflow", "eager"), "neither: TensorFlow's default eager mode has no graph to recompile"),
)


def _scenarios(run: RunResult) -> dict[tuple[str, str], StudyRecord]:
    return {(r.framework or "", str(r.config.get("scenario"))): r for r in run.study_records("retracing")}


def _needs_retracing(run: RunResult, claim: Claim) -> bool:
    scenarios = _scenarios(run)
    return all(scenarios.get(key) is not None and scenarios[key].status == "ok" for key, _ in RETRACING_ROWS[:2])


@check("retracing", "traces and graph compilations counted by the frameworks while the batch size varies",
       "tf.function (default) is for the claim when it traced more than once, against when once; PyTorch eager is "
       "for when it compiled nothing, against otherwise; torch.compile (default) is against when it compiled more "
       "than one graph, for when one; TensorFlow eager counts neither way; a failed scenario is undecided",
       "ease-of-use.md", _needs_retracing, kind=DIFFERENCE)
def retracing(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    headers = ("framework and setting", "counted")
    if run is None or not _needs_retracing(run, claim):
        return Verdict(NOT_MEASURED, "Not measured in this run: the default tf.function or PyTorch eager scenario is "
                                     "missing or failed.", link=RETRACING_LINK, headers=headers)
    scenarios, rows = _scenarios(run), []
    for key, how in RETRACING_ROWS:
        record = scenarios.get(key)
        if record is None:
            continue
        label = f"{_name(key[0])} {key[1]}"
        if record.status != "ok":
            rows.append(EvidenceRow(label, "—", UNDECIDED, f"{record.status}: {record.reason or ''}", RETRACING_LINK))
            continue
        data = payload(record).scenario
        traces = data.traces
        outcome = {("tensorflow", "function_default"): FOR if traces > 1 else AGAINST,
                   ("torch", "eager"): FOR if traces == 0 else AGAINST,
                   ("torch", "compile_default"): AGAINST if traces > 1 else FOR,
                   ("tensorflow", "eager"): NEITHER}[key]
        rows.append(EvidenceRow(label, f"{data.api}: {traces} traces/graphs over {len(set(data.batch_sizes))} batch "
                                       f"sizes ({len(data.batch_sizes)} calls)", outcome, how, RETRACING_LINK))
    words = {FOR: "as claimed", AGAINST: "against", NEITHER: "neither way", UNDECIDED: "failed"}
    return Verdict(aggregate(rows, claim.kind), f"Recompilation on new shapes: {count_text(rows, words, 'settings')}.",
                   tuple(rows), link=RETRACING_LINK, headers=headers)


def _needs_scenario(run: RunResult, claim: Claim) -> bool:
    record = _scenarios(run).get((claim.params["framework"], claim.params["scenario"]))
    return record is not None and record.status == "ok"


@check("retracing_scenario", "one scenario of the retracing study: traces or graphs a framework compiled while the batch "
       "size varied",
       "the row is for the claim when the scenario compiled nothing and the claim says it runs without a graph "
       "(the claim's no_traces), or it traced or compiled and the claim says it needs a graph (traces); against "
       "otherwise",
       "ease-of-use.md", _needs_scenario, required={"framework", "scenario", "claim_holds_if"}, kind=DIFFERENCE)
def retracing_scenario(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    framework, scenario, holds_if = claim.params["framework"], claim.params["scenario"], claim.params["claim_holds_if"]
    if holds_if not in ("no_traces", "traces"):
        raise ValueError(f"claim {claim.id}: claim_holds_if must be 'no_traces' or 'traces'")
    headers = ("framework and setting", "counted")
    if run is None or not _needs_scenario(run, claim):
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=RETRACING_LINK, headers=headers)
    data = payload(_scenarios(run)[(framework, scenario)]).scenario
    compiled_nothing = data.traces == 0
    outcome = FOR if compiled_nothing == (holds_if == "no_traces") else AGAINST
    row = EvidenceRow(f"{_name(framework)} {scenario}", f"{data.api}: {data.traces} traces/graphs over "
                                                       f"{len(set(data.batch_sizes))} batch sizes ({len(data.batch_sizes)} calls)",
                      outcome, "", RETRACING_LINK)
    return Verdict(aggregate([row], claim.kind), f"{_name(framework)} {data.api} ran {len(data.batch_sizes)} calls at "
                                                 f"{len(set(data.batch_sizes))} batch sizes and compiled "
                                                 f"{data.traces} graph(s).", (row,), link=RETRACING_LINK, headers=headers)


# --- deployment -----------------------------------------------------------------------------

EXPORT_LINK = "ecosystem.md#export-matrix"
# Failures our own export code caused, by a phrase of the converter's message: shown as our setting, never as a
# framework's limit. The export study now converts with the batch fixed when the open batch fails (tensorflow_impl).
OUR_SETTINGS = {
    "TensorListReserve requires element_shape to be static": (
        "our export setting: the SavedModel signature left the batch dimension open, and the converter needs a "
        "static element shape for the LSTM's tensor list; with the batch fixed it converts (the export code now "
        "falls back to a fixed batch and says so in the cell; a run before that change shows the failure)"),
}


def _export_cells(run: RunResult) -> dict[tuple[str, str], dict[str, ExportCell]]:
    """(framework, workload) -> {path_id: cell}; a failed task has no cells."""
    cells = {}
    for record in run.study_records("export"):
        key = (record.framework or "", record.workload or "")
        cells[key] = {c.path_id: c for c in payload(record).cells} if record.status == "ok" else {}
    return cells


def _needs_export(run: RunResult, claim: Claim) -> bool:
    return any(r.status == "ok" for r in run.study_records("export"))


def our_setting(cell: ExportCell | None) -> str | None:
    if cell is None or cell.status == "ok":
        return None
    return next((why for phrase, why in OUR_SETTINGS.items() if phrase in (cell.message or "")), None)


def not_installed(cell: ExportCell | None) -> str | None:
    """A path whose package is missing from the run's environment was not built here: not a framework's limit."""
    if cell is None or cell.status == "ok" or cell.error_type not in ("ModuleNotFoundError", "ImportError"):
        return None
    return f"not built here: {cell.message or cell.error_type} in the environment of this run"


def _cell_text(cell: ExportCell | None, path: str) -> tuple[bool | None, str]:
    """(worked: exported, reloaded, ran and matched; None where not run), in words."""
    if cell is None:
        return None, f"{path}: not run"
    if cell.status == "ok":
        diff = f", max |Δ| {formatting.scientific(cell.max_abs_diff)}" if cell.max_abs_diff is not None else ""
        return True, f"{path}: ok ({cell.runtime}{diff})"
    return False, f"{path}: failed at {cell.failed_stage} ({cell.error_type or 'error'})"


ON_DEVICE_PATHS = {"tensorflow": "tflite", "torch": "executorch"}


@check("on_device", "the export matrix's on-device artifacts: TensorFlow's .tflite run in LiteRT against PyTorch's "
       "ExecuTorch .pte run in the ExecuTorch runtime, each reloaded, run and compared with the original",
       "a workload is for the claim when the .tflite works and the .pte does not, against when the .pte works and "
       "the .tflite does not, neither when both work or both fail; a side not built in the run, or a failure our own "
       "export setting caused, is undecided",
       "ecosystem.md", _needs_export, kind=DIFFERENCE)
def on_device(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    headers = ("workload", "cells")
    if run is None or not _needs_export(run, claim):
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=EXPORT_LINK, headers=headers)
    declared = export_paths(run.study_info.get("export"))
    cells, rows = _export_cells(run), []
    missing = [fw for fw, path in ON_DEVICE_PATHS.items() if path not in declared.get(fw, {})]
    for workload in sorted({w for _, w in cells}):
        sides = {fw: cells.get((fw, workload), {}).get(path) for fw, path in ON_DEVICE_PATHS.items()}
        tf_ok, tf_text = _cell_text(sides["tensorflow"], ".tflite in LiteRT")
        torch_ok, torch_text = _cell_text(sides["torch"], ".pte in ExecuTorch")
        if "torch" in missing:
            torch_text = ".pte in ExecuTorch: this run's export study has no ExecuTorch path"
        settings = [why for cell in sides.values() if (why := our_setting(cell) or not_installed(cell))]
        if tf_ok is None or torch_ok is None or settings:
            outcome = UNDECIDED
        else:
            outcome = FOR if tf_ok and not torch_ok else AGAINST if torch_ok and not tf_ok else NEITHER
        rows.append(EvidenceRow(workload, f"{tf_text}; {torch_text}", outcome, "; ".join(settings), EXPORT_LINK))
    words = {FOR: "only the .tflite worked", AGAINST: "only the .pte worked", NEITHER: "both alike",
             UNDECIDED: "a side not built here or failed by our setting"}
    summary = f"On-device artifacts, run and output-checked: {count_text(rows, words, 'workloads')}."
    if missing:
        summary += (f" No verdict while a side is missing: this run's export study built no "
                    f"{' or '.join(ON_DEVICE_PATHS[fw] for fw in missing)} artifact.")
    return Verdict(aggregate(rows, claim.kind), summary, tuple(rows), link=EXPORT_LINK, headers=headers,
                   notes=("Both runtimes ran on this machine's CPU, not on a phone: the artifacts are the ones a phone "
                          "would load, their speed on a phone is not measured.",))


@check("export_path", "the export matrix: a framework's named export paths, each exported, reloaded, run and compared "
       "with the original",
       "a workload is for the claim when the path works (any of the named paths, if several) and the claim says it "
       "does, or it fails and the claim says it cannot; against in the opposite cases; a workload not run is undecided",
       "ecosystem.md", _needs_export, required={"framework", "paths", "claim_holds_if"}, allowed={"decides"},
       kind=DIFFERENCE)
def export_path(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    params = claim.params
    framework, paths, holds_if = params["framework"], list(params["paths"]), params["claim_holds_if"]
    if holds_if not in ("works", "fails"):
        raise ValueError(f"claim {claim.id}: claim_holds_if must be 'works' or 'fails'")
    headers = ("workload", "cells")
    if run is None or not _needs_export(run, claim):
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=EXPORT_LINK, headers=headers)
    rows = []
    for (fw, workload), cells in sorted(_export_cells(run).items()):
        if fw != framework or not claim.scope.workload_ok(workload):
            continue
        results = [_cell_text(cells.get(path), path) for path in paths]
        oks = [ok for ok, _ in results]
        warned = sorted({w.split(":")[0] + ": " + w.split(":", 1)[1].strip()[:90] for path in paths
                         if (cell := cells.get(path)) is not None for w in cell.warnings if "deprecat" in w.lower()})
        if any(ok is None for ok in oks) and not any(oks):
            outcome = UNDECIDED
        else:
            works = any(oks)
            outcome = FOR if works == (holds_if == "works") else AGAINST
        rows.append(EvidenceRow(workload, "; ".join(text for _, text in results), outcome,
                                ("warned: " + " | ".join(warned)) if warned else "", EXPORT_LINK))
    words = {FOR: "as claimed", AGAINST: "against the claim", NEITHER: "", UNDECIDED: "not run"}
    summary = f"{_name(framework)} {', '.join(paths)}: {count_text(rows, words, 'workloads')}."
    if params.get("decides"):
        summary += f" Decides: {params['decides']}"
    return Verdict(aggregate(rows, claim.kind), summary, tuple(rows), link=EXPORT_LINK, headers=headers)


# --- executed ecosystem facts ---------------------------------------------------------------

def _fact_record(run: RunResult, name: str) -> StudyRecord | None:
    return next((r for r in run.study_records("ecosystem_checks") if r.config.get("check") == name), None)


def _needs_fact(run: RunResult, claim: Claim) -> bool:
    record = _fact_record(run, claim.params["check"])
    return record is not None and record.status == "ok"


def _fact_row(data: CheckData, holds_if_passed: bool, link: str) -> EvidenceRow:
    evidence = "; ".join(f"{k}: {v}" for k, v in sorted(data.evidence.items()))
    versions = ", ".join(f"{k} {v}" for k, v in sorted(data.versions.items()))
    outcome = FOR if data.passed == holds_if_passed else AGAINST  # the row counts for the claim, not for the check
    return EvidenceRow(f"{data.claim}: {'passed' if data.passed else 'did not pass'}", evidence or "—", outcome,
                       versions, link)


@check("executed_fact", "an executed ecosystem check (benchmarks/studies/ecosystem_checks): it passed or it did not",
       "the row is for the claim when the check's result is the one the claim predicts (passed when the claim holds "
       "if it passes, failed when it holds if it fails), against otherwise",
       "ecosystem.md", _needs_fact, required={"check", "claim_holds_if_passed"}, allowed={"decides"}, kind=DIFFERENCE)
def executed_fact(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    link = "ecosystem.md#executed-checks"
    params = claim.params
    record = _fact_record(run, params["check"]) if run is not None else None
    if record is None or record.status != "ok":
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=link)
    data: CheckData = payload(record)
    row = _fact_row(data, bool(params["claim_holds_if_passed"]), link)
    summary = f"Executed: {data.claim} — {'passed' if data.passed else 'did not pass'}."
    if params.get("decides"):
        summary += f" Decides: {params['decides']}"
    return Verdict(aggregate([row], claim.kind), summary, (row,), link=link, headers=("what ran", "what it recorded"))


def _needs_keras(run: RunResult, claim: Claim) -> bool:
    record = _fact_record(run, "keras_torch_backend")
    return record is not None and record.status == "ok" and bool(run.study_records("footprint"))


@check("keras_integration", "the executed Keras-on-PyTorch check and each framework's installed dependency closure "
       "(the footprint study)",
       "Keras fitting a model on the PyTorch backend is against \"PyTorch has no Keras integration\"; keras outside "
       "torch's dependency closure is for \"not native\"; keras inside TensorFlow's closure is for \"TensorFlow's "
       "is native\"; a record missing is undecided",
       "ecosystem.md", _needs_keras, kind=DIFFERENCE)
def keras_integration(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    link = "ecosystem.md#executed-checks"
    if run is None or not _needs_keras(run, claim):
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=link)
    rows = [_fact_row(payload(_fact_record(run, "keras_torch_backend")), False, link)]
    for record in run.study_records("footprint"):
        data = payload(record)
        if data is None or record.framework not in ("torch", "tensorflow"):
            continue
        names = {c.name.lower().replace("_", "-") for c in data.closure}
        inside = "keras" in names
        holds = (not inside) if record.framework == "torch" else inside
        rows.append(EvidenceRow(f"keras in {data.distribution} {data.version}'s dependency closure: "
                                f"{'yes' if inside else 'no'}", f"{len(data.closure)} distributions",
                                FOR if holds else AGAINST, "", "ecosystem.md#install-footprint"))
    return Verdict(aggregate(rows, claim.kind), "Keras on PyTorch executed, and where keras sits in each framework's "
                                                "installed dependencies: " + count_text(rows, {
                                                    FOR: "as claimed", AGAINST: "against", NEITHER: "",
                                                    UNDECIDED: "missing"}, "records") + ".",
                   tuple(rows), link=link, headers=("what", "recorded"))


def _footprint(run: RunResult, framework: str):
    record = next((r for r in run.study_records("footprint") if r.framework == framework and r.status == "ok"), None)
    return payload(record) if record is not None else None


def _needs_footprint(run: RunResult, claim: Claim) -> bool:
    return _footprint(run, claim.params["framework"]) is not None


def _distribution_key(name: str) -> str:
    return name.lower().replace("_", "-")


@check("dependency", "a framework's installed dependency closure, as the footprint study recorded it",
       "the row is for the claim when the package is in the framework's closure and the claim needs it there "
       "(present), or absent and the claim needs it absent; against otherwise",
       "ecosystem.md", _needs_footprint, required={"framework", "package", "claim_holds_if"}, allowed={"decides"},
       kind=DIFFERENCE)
def dependency(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    params = claim.params
    link = "ecosystem.md#install-footprint"
    if params["claim_holds_if"] not in ("present", "absent"):
        raise ValueError(f"claim {claim.id}: claim_holds_if must be 'present' or 'absent'")
    data = _footprint(run, params["framework"]) if run is not None else None
    if data is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=link)
    names = [c.name for c in data.closure]
    present = _distribution_key(params["package"]) in {_distribution_key(n) for n in names}
    row = EvidenceRow(f"{params['package']} in {data.distribution} {data.version}'s dependency closure: "
                      f"{'yes' if present else 'no'}", ", ".join(names),
                      FOR if present == (params["claim_holds_if"] == "present") else AGAINST, "", link)
    summary = f"{params['package']} is {'' if present else 'not '}among what {data.distribution} {data.version} installs."
    if params.get("decides"):
        summary += f" Decides: {' '.join(str(params['decides']).split())}"
    return Verdict(aggregate([row], claim.kind), summary, (row,), link=link, headers=("what", "recorded"))


# --- dated facts with a source --------------------------------------------------------------

@check("dated_fact", "a dated ecosystem fact with its sources (site_scripts/data/ecosystem_facts.yaml), read by a "
       "person on the date it gives",
       "the row counts as the claim states (for, against or neither), because of the sentence given; a fact older "
       "than 12 months at the build date is undecided until someone reads its sources again",
       None, required={"fact", "outcome", "because"}, allowed={"side"}, kind=DIFFERENCE)
def dated_fact(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    params = claim.params
    facts = {f.id: f for f in ecosystem_facts.load_facts()}
    fact = facts.get(params["fact"])
    if fact is None:
        raise ValueError(f"claim {claim.id}: no ecosystem fact {params['fact']!r}; known: {', '.join(sorted(facts))}")
    if params["outcome"] not in (FOR, AGAINST, NEITHER):
        raise ValueError(f"claim {claim.id}: outcome must be for, against or neither")
    side = params.get("side", "both")
    statement = {"torch": fact.torch, "tensorflow": fact.tensorflow}.get(side, f"PyTorch: {fact.torch} TensorFlow: {fact.tensorflow}")
    sources = "; ".join(s.title for s in fact.sources)
    checked = f"sources read {fact.checked.isoformat()}, {age_text(fact.checked, ctx.build_date)} before this build"
    stale = fact.is_stale(ctx.build_date)
    row = EvidenceRow(f"{fact.topic} ({fact.id})", " ".join(statement.split()),
                      UNDECIDED if stale else params["outcome"],
                      f"{' '.join(str(params['because']).split())} Sources: {sources} ({checked})"
                      + ("; older than 12 months: to be read again" if stale else ""), "ecosystem.md#facts")
    return Verdict(aggregate([row], claim.kind), f"A dated fact with its sources ({checked}): "
                                                 f"{' '.join(str(params['because']).split())}",
                   (row,), link="ecosystem.md#facts", headers=("fact", "what the sources say"))


# --- code size of the executed examples -----------------------------------------------------

def _code_sizes(run: RunResult | None, tasks: list[str] | None) -> list[tuple[str, dict[str, Any]]]:
    """Per task with both frameworks' examples executed in `run`: the counts of each side's code, as run."""
    from site_scripts.ease_of_use import examples

    return examples.code_sizes(run, tasks)


def _has_code_sizes(run: RunResult, claim: Claim) -> bool:
    return bool(_code_sizes(run, claim.params.get("tasks")))


@check("code_size", "lines, tokens and API names of the side-by-side examples of the Ease of use page, as the run "
       "executed them (counted by the rules stated there)",
       "a task is for the claim when the claimed-longer side's token count exceeds the other's by more than 10 % "
       "(ratio over 1/0.90), against when it is more than 10 % below (ratio under 0.90), neither in between",
       "ease-of-use.md", _has_code_sizes, required={"longer"}, allowed={"tasks"}, kind=DIFFERENCE)
def code_size(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    longer = claim.params["longer"]
    tasks = claim.params.get("tasks")
    rows = []
    for task, measured in _code_sizes(run, tasks):
        mine, theirs = measured[longer], measured[_other(longer)]
        ratio = mine.tokens / theirs.tokens
        outcome = FOR if ratio > 1 / (1 - CODE_MATERIAL) else AGAINST if ratio < 1 - CODE_MATERIAL else NEITHER
        rows.append(EvidenceRow(
            task.replace("_", " "),
            f"{_name(longer)} {mine.tokens} tokens, {mine.lines_of_code} lines, {len(mine.api_names)} API names; "
            f"{_name(_other(longer))} {theirs.tokens} tokens, {theirs.lines_of_code} lines, {len(theirs.api_names)} "
            f"API names; token ratio {ratio:.2f}", outcome, "", "ease-of-use.md#measured-not-typed-size-of-each-example",
            value=ratio))
    if not rows:
        return Verdict(NOT_MEASURED, "No run executed the examples of the named tasks in both frameworks.",
                       link="ease-of-use.md#measured-not-typed-size-of-each-example")
    words = {FOR: f"{_name(longer)} longer", AGAINST: f"{_name(_other(longer))} longer",
             NEITHER: f"within {CODE_MATERIAL:.0%}", UNDECIDED: ""}
    return Verdict(aggregate(rows, claim.kind), f"Tokens of the same task written in both frameworks: "
                                                f"{count_text(rows, words, 'tasks')}" + _range_text(rows, "ratio") + ".",
                   tuple(rows), link="ease-of-use.md#measured-not-typed-size-of-each-example",
                   headers=("task", "size of each side"),
                   notes=("Code size stands in for boilerplate and verbosity: the page counts what both examples "
                          "need to do the same task; it does not judge readability.",))


# --- claims no run here can test, and claims waiting for evidence ---------------------------

HARDWARE_REASONS = {
    "tpu": "Needs a Cloud TPU; our runs have CPUs and at most one NVIDIA GPU.",
    "multi_gpu": "Needs two or more GPUs, and set-up effort is not a quantity a benchmark records.",
    "multi_node": "Needs several machines with GPUs, and configuration effort is not a quantity a benchmark records.",
    "mobile": "Needs a phone or an edge device; our runs have CPUs and at most one NVIDIA GPU.",
    "cuda": "Needs an NVIDIA GPU run; none of the committed runs measured one.",
}


@check("needs_hardware", "nothing: the hardware the claim is about is not among ours",
       "no row: the claim is not testable here", None, required={"hardware"}, allowed={"reason"})
def needs_hardware(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    reason = claim.params.get("reason") or HARDWARE_REASONS.get(claim.params["hardware"],
                                                                f"Needs {claim.params['hardware']}.")
    return Verdict(NOT_TESTABLE, " ".join(str(reason).split()), link="ecosystem.md#facts")


@check("not_a_measurement", "nothing measurable: the page says why and where to look instead",
       "no row: the claim is not testable here", None, required={"reason", "link"})
def not_a_measurement(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    return Verdict(NOT_TESTABLE, " ".join(str(claim.params["reason"]).split()), link=str(claim.params["link"]))


@check("needs_new_evidence", "nothing yet: the claim is testable here, but the check or dated source that decides it "
       "does not exist yet",
       "no row: not measured until the evidence exists", None, required={"reason"}, allowed={"link"})
def needs_new_evidence(run: RunResult | None, claim: Claim, ctx: Context) -> Verdict:
    return Verdict(NOT_MEASURED, "Not measured yet: " + " ".join(str(claim.params["reason"]).split()),
                   link=claim.params.get("link"))

