"""The checks: each a pure function from one run (the newest that has its evidence) to a verdict.

No framework is imported and nothing is measured here: a check reads result files only, so a
new framework release changes a verdict at the next build, with no hand edit. A check given no
run (nothing committed has its evidence) says "not measured in this run", never a guess.

Speed verdicts use the comparisons' bootstrap intervals: a configuration counts for a claim
only when its interval excludes parity in the claimed direction. Memory runs have one process
per case, so there is no between-process interval for memory: a difference counts only when it
exceeds MEMORY_MATERIAL, and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contract.payloads import CheckData, ExportCell, payload
from contract.schema import FrameworkComparison, RunResult, StudyRecord
from site_scripts.analysis import memory, parity
from site_scripts.claims.verdicts import (
    AGAINST,
    CONTRADICTED,
    FOR,
    INCONCLUSIVE,
    MIXED,
    NEITHER,
    NOT_MEASURED,
    NOT_TESTABLE,
    SUPPORTED,
    UNDECIDED,
    EvidenceRow,
    Verdict,
    aggregate,
    count_text,
)
from site_scripts.text import formatting, labels, provenance_text

# A memory difference smaller than this fraction is treated as no difference (no noise estimate exists).
MEMORY_MATERIAL = 0.10
NOT_MEASURED_TEXT = "Not measured in this run: none of the committed runs has this evidence."

Params = dict[str, Any]


@dataclass(frozen=True)
class Check:
    name: str
    evidence: str  # what it reads, in words, for the page
    needs: Callable[[RunResult, Params], bool]  # does this run hold the evidence?
    decide: Callable[[RunResult | None, Params], Verdict]
    allowed: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()


CHECKS: dict[str, Check] = {}


def check(name: str, evidence: str, needs: Callable[[RunResult, Params], bool], *, allowed: set[str] = frozenset(),
          required: set[str] = frozenset()) -> Callable:
    def register(decide: Callable[[RunResult | None, Params], Verdict]) -> Callable:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = Check(name, evidence, needs, decide, frozenset(allowed) | frozenset(required), frozenset(required))
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


def _claimed(ratio: float | list[float]) -> str:
    """A ratio the article's figures imply, or the range of several."""
    if isinstance(ratio, list):
        return f"{min(ratio):.2f} to {max(ratio):.2f}"
    return f"{ratio:.2f}"


# --- speed ----------------------------------------------------------------------------------

def _speed_comparisons(run: RunResult, params: Params) -> list[FrameworkComparison]:
    device = params.get("device")
    workloads = params.get("workloads")
    return [c for c in run.comparisons
            if (device is None or c.device == device)
            and (params.get("task") is None or labels.task_of(c.config) == params["task"])
            and (params.get("precision") is None or labels.precision_of(c.config) == params["precision"])
            and (workloads is None or c.workload in workloads)
            and {c.numerator, c.denominator} == {"torch", "tensorflow"}]


def _is_timing_run(run: RunResult) -> bool:
    return run.is_timing_run and bool(run.comparisons)


def _speed_row(comparison: FrameworkComparison, faster: str) -> EvidenceRow:
    other = comparison.denominator if comparison.numerator == faster else comparison.numerator
    label = (f"{labels.workload_slug(comparison.workload)} · {labels.task_of(comparison.config)} · "
             f"{labels.precision_of(comparison.config)} · batch {comparison.config.get('batch_size', '?')} · "
             f"{comparison.device}")
    link = f"performance.md#{labels.workload_anchor(comparison.workload)}"
    if comparison.ratio_median is None or comparison.ci_low is None or comparison.ci_high is None \
            or comparison.verdict in ("insufficient_data", "fingerprints_disagree"):
        why = "the two sides computed different losses" if comparison.verdict == "fingerprints_disagree" \
            else f"too few process pairs ({comparison.n_pairs})"
        return EvidenceRow(label, "—", UNDECIDED, why, link)
    ratio, low, high = comparison.ratio_median, comparison.ci_low, comparison.ci_high
    if comparison.numerator != faster:  # step-time ratio of the claimed-faster side over the other
        ratio, low, high = 1 / ratio, 1 / high, 1 / low
    modes = {comparison.numerator: comparison.numerator_mode, comparison.denominator: comparison.denominator_mode}
    measured = (f"{labels.framework_name(faster)}/{labels.framework_name(other)} step time {ratio:.3f} "
                f"[{low:.3f}, {high:.3f}] ({comparison.confidence_level:.0%} CI, {comparison.n_pairs} pairs)")
    note = f"{labels.framework_name(faster)} {modes[faster]} vs {labels.framework_name(other)} {modes[other]}"
    outcome = FOR if high < 1 else AGAINST if low > 1 else NEITHER
    return EvidenceRow(label, measured, outcome, note, link, value=ratio)


def _needs_speed(run: RunResult, params: Params) -> bool:
    return _is_timing_run(run) and bool(_speed_comparisons(run, params))


@check("faster", "the PyTorch/TensorFlow step-time ratio of each shared configuration, with its bootstrap interval",
       _needs_speed, allowed={"device", "task", "precision", "workloads", "claimed_ratio"}, required={"faster"})
def faster(run: RunResult | None, params: Params) -> Verdict:
    """Is `faster` the faster framework? Each configuration counts only where the interval excludes parity."""
    claimed = params["faster"]
    if run is None:
        if params.get("device") == "cuda":
            return Verdict(NOT_TESTABLE, "Needs an NVIDIA GPU run; none of the committed runs measured a CUDA device.",
                           link="performance.md")
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link="performance.md")
    rows = [_speed_row(c, claimed) for c in _speed_comparisons(run, params)]
    status = aggregate(rows)
    other = "tensorflow" if claimed == "torch" else "torch"
    words = {FOR: f"{labels.framework_name(claimed)} faster", AGAINST: f"{labels.framework_name(other)} faster",
             NEITHER: "no resolved difference", UNDECIDED: "undecided"}
    summary = f"{labels.framework_name(claimed)} claimed faster: {count_text(rows, words)}"
    ratios = [r.value for r in rows if r.value is not None]
    if ratios:
        summary += f"; step-time ratio {min(ratios):.2f} to {max(ratios):.2f}"
    if "claimed_ratio" in params:
        summary += f" (the article's figures give {_claimed(params['claimed_ratio'])})"
    links = {r.link for r in rows}
    return Verdict(status, summary + ".", tuple(rows),
                   link=links.pop() if len(links) == 1 else "performance.md#who-is-faster",
                   headers=("configuration (workload · task · precision · batch · device)", "ratio [interval]"))


# --- memory ---------------------------------------------------------------------------------

def _memory_cases(run: RunResult):
    """Training fp32 cases in each framework's default mode, paired by (workload, batch)."""
    pairs: dict[tuple[str, int], dict[str, Any]] = {}
    for case in run.cases:
        if labels.task_of(case.config) != "train" or labels.precision_of(case.config) != "fp32":
            continue
        if case.config.get("mode") not in run.rules.default_modes.get(case.framework, []) or case.config.get("layout"):
            continue
        pairs.setdefault((case.workload, int(case.config.get("batch_size", 0))), {})[case.framework] = case
    return {key: sides for key, sides in sorted(pairs.items()) if {"torch", "tensorflow"} <= set(sides)}


def _needs_memory(run: RunResult, params: Params) -> bool:
    return memory.has_memory_phases(run) and bool(_memory_cases(run))


def _ratio_outcome(ratio: float) -> str:
    return FOR if ratio < 1 - MEMORY_MATERIAL else AGAINST if ratio > 1 / (1 - MEMORY_MATERIAL) else NEITHER


LEVEL_WORDS = {"peak": "peak RSS of the whole process", "steady": "RSS after the measured training steps",
               "build": "RSS after building model, optimiser and data"}


@check("lower_memory", "host memory (RSS) of each framework's default training path at the same batch",
       _needs_memory, allowed={"claimed_ratio"}, required={"lower", "level"})
def lower_memory(run: RunResult | None, params: Params) -> Verdict:
    """Does `lower` use less host memory? Counted only beyond MEMORY_MATERIAL: one process per case, no interval."""
    claimed, level = params["lower"], params["level"]
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link="memory.md")
    rows = []
    for (workload, batch), sides in _memory_cases(run).items():
        other = "tensorflow" if claimed == "torch" else "torch"
        levels = {fw: memory.phase_levels(case) for fw, case in sides.items()}
        link = f"memory.md#memory-{labels.workload_slug(workload)}"
        label = f"{labels.workload_slug(workload)} · batch {batch}"
        if not levels[claimed] or not levels[other] or level not in levels[claimed] or level not in levels[other]:
            rows.append(EvidenceRow(label, "—", UNDECIDED, f"no {level} level recorded", link))
            continue
        mine, theirs = levels[claimed][level], levels[other][level]
        ratio = mine / theirs
        rows.append(EvidenceRow(
            label, f"{labels.framework_name(claimed)} {formatting.gibibytes(mine)} vs "
                   f"{labels.framework_name(other)} {formatting.gibibytes(theirs)}: ratio {ratio:.2f}",
            _ratio_outcome(ratio),
            f"{sides[claimed].config.get('mode')} vs {sides[other].config.get('mode')}", link, value=ratio))
    words = {FOR: f"{labels.framework_name(claimed)} lower",
             AGAINST: f"{labels.framework_name('tensorflow' if claimed == 'torch' else 'torch')} lower",
             NEITHER: f"within {MEMORY_MATERIAL:.0%}", UNDECIDED: "not recorded"}
    summary = f"{LEVEL_WORDS.get(level, level)}: {count_text(rows, words)}"
    ratios = [r.value for r in rows if r.value is not None]
    if ratios:
        summary += f"; ratio {min(ratios):.2f} to {max(ratios):.2f}"
    if "claimed_ratio" in params:
        summary += f" against the article's {_claimed(params['claimed_ratio'])}"
    return Verdict(aggregate(rows), summary + ".", tuple(rows), link="memory.md",
                   headers=("workload · batch", "memory (GiB) and ratio"),
                   notes=(f"One process per case in the memory run, so there is no between-process interval: "
                          f"a difference counts only beyond {MEMORY_MATERIAL:.0%}.",))


def _precision_pairs(run: RunResult):
    pairs: dict[tuple, dict[str, Any]] = {}
    for case in run.cases:
        if labels.task_of(case.config) != "train":
            continue
        key = (case.workload, case.framework, labels.mode_label(case.config), int(case.config.get("batch_size", 0)))
        pairs.setdefault(key, {})[labels.precision_of(case.config)] = case
    return {key: sides for key, sides in sorted(pairs.items()) if "fp32" in sides and len(sides) > 1}


def _needs_precision_memory(run: RunResult, params: Params) -> bool:
    return memory.has_memory_phases(run) and bool(_precision_pairs(run))


@check("mixed_precision_memory", "peak host RSS of mixed-precision training against fp32 at the same batch and mode",
       _needs_precision_memory)
def mixed_precision_memory(run: RunResult | None, params: Params) -> Verdict:
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link="memory.md")
    rows = []
    for (workload, framework, mode, batch), sides in _precision_pairs(run).items():
        full = memory.phase_levels(sides["fp32"])
        link = f"memory.md#memory-{labels.workload_slug(workload)}"
        for precision, case in sides.items():
            if precision == "fp32":
                continue
            label = f"{labels.workload_slug(workload)} · {labels.framework_name(framework)} {mode} · {precision} · batch {batch}"
            mixed = memory.phase_levels(case)
            if not full or not mixed:
                rows.append(EvidenceRow(label, "—", UNDECIDED, "a side has no memory record", link))
                continue
            ratio = mixed["peak"] / full["peak"]
            rows.append(EvidenceRow(label, f"{formatting.gibibytes(mixed['peak'])} vs fp32 "
                                           f"{formatting.gibibytes(full['peak'])}: ratio {ratio:.2f}",
                                    _ratio_outcome(ratio), "", link, value=ratio))
    words = {FOR: "lower", AGAINST: "higher", NEITHER: f"within {MEMORY_MATERIAL:.0%}", UNDECIDED: "not recorded"}
    status = aggregate(rows)
    notes = [f"Peak host RSS, one process per case: a difference counts only beyond {MEMORY_MATERIAL:.0%}."]
    if run.settings.device == "cpu":
        notes.append("Measured on CPU, where mixed precision is bf16 and activations live in host memory; "
                     "the article's claim is about GPUs (device memory), which this run did not measure.")
    return Verdict(status, f"Mixed precision vs fp32, peak host memory: {count_text(rows, words)}.", tuple(rows),
                   link="memory.md", headers=("workload · framework mode · precision · batch", "peak (GiB) and ratio"),
                   notes=tuple(notes))


# --- accuracy -------------------------------------------------------------------------------

def _needs_parity(run: RunResult, params: Params) -> bool:
    return any(r.status == "ok" for r in run.study_records(parity.STUDY))


@check("accuracy_parity", "final validation accuracy per seed, paired over seeds (same start, same data order)",
       _needs_parity)
def accuracy_parity(run: RunResult | None, params: Params) -> Verdict:
    """The claim is parity: a workload counts for it when the paired test finds no difference."""
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link="accuracy.md")
    rows = []
    for workload in parity.workloads_of(run):
        records = parity.records_of(run, workload)
        torch_acc, tf_acc = parity.final_accuracy_by_seed(records, "torch"), parity.final_accuracy_by_seed(records, "tensorflow")
        result = parity.paired_test(torch_acc, tf_acc)
        link = f"accuracy.md#accuracy-{labels.workload_slug(workload)}"
        means = (f"PyTorch {formatting.percent(parity.mean_and_std(list(torch_acc.values()))[0])}, "
                 f"TensorFlow {formatting.percent(parity.mean_and_std(list(tf_acc.values()))[0])}")
        if result.mean_difference is None:
            rows.append(EvidenceRow(labels.workload_slug(workload), means, UNDECIDED, result.verdict, link))
            continue
        interval = (f"[{result.ci_low * 100:+.2f}, {result.ci_high * 100:+.2f}] points" if result.p_value is not None
                    else "no spread")
        p_text = f", p = {result.p_value:.3g}" if result.p_value is not None else ""
        outcome = AGAINST if result.verdict == "differ" or (result.p_value is None and result.mean_difference != 0) \
            else FOR
        rows.append(EvidenceRow(labels.workload_slug(workload),
                                f"{means}; difference {result.mean_difference * 100:+.2f} points {interval}{p_text}, "
                                f"{result.seeds} seeds", outcome, result.verdict, link))
    words = {FOR: "no difference detected", AGAINST: "a difference", NEITHER: "", UNDECIDED: "too few seeds"}
    return Verdict(aggregate(rows), f"Paired t-test per workload: {count_text(rows, words).replace('configurations', 'workloads')}.",
                   tuple(rows), link="accuracy.md", headers=("workload", "final validation accuracy, paired difference"))


# --- retracing ------------------------------------------------------------------------------

def _scenarios(run: RunResult) -> dict[tuple[str, str], StudyRecord]:
    return {(r.framework or "", str(r.config.get("scenario"))): r for r in run.study_records("retracing")}


def _needs_retracing(run: RunResult, params: Params) -> bool:
    return any(r.status == "ok" for r in run.study_records("retracing"))


RETRACING_LINK = "ease-of-use.md#graph-mode-pitfalls-retracing-and-recompilation"


@check("retracing", "traces and graph compilations counted by the frameworks while the batch size varies",
       _needs_retracing)
def retracing(run: RunResult | None, params: Params) -> Verdict:
    """TensorFlow's graph retraces on new shapes and PyTorch's does not: supported; both do: mixed."""
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=RETRACING_LINK)
    scenarios = _scenarios(run)
    rows, counts = [], {}
    for key in (("tensorflow", "function_default"), ("torch", "compile_default"), ("torch", "eager"),
                ("tensorflow", "eager")):
        record = scenarios.get(key)
        if record is None:
            continue
        label = f"{labels.framework_name(key[0])} {key[1]}"
        if record.status != "ok":
            rows.append(EvidenceRow(label, "—", UNDECIDED, f"{record.status}: {record.reason or ''}", RETRACING_LINK))
            continue
        data = payload(record).scenario
        sizes = data.batch_sizes
        counts[key] = data.traces
        rows.append(EvidenceRow(label, f"{data.api}: {counts[key]} traces/graphs over "
                                       f"{len(set(sizes))} batch sizes ({len(sizes)} calls)",
                                FOR if key[0] == "tensorflow" and counts[key] > 1 else NEITHER, "", RETRACING_LINK))
    tf_graph, torch_graph = counts.get(("tensorflow", "function_default")), counts.get(("torch", "compile_default"))
    if tf_graph is None or torch_graph is None:
        return Verdict(NOT_MEASURED, "Not measured in this run: the default tf.function or torch.compile setting is "
                                     "missing or failed.", tuple(rows), link=RETRACING_LINK)
    if tf_graph <= 1:
        status, summary = CONTRADICTED, f"tf.function traced {tf_graph} time(s) over the varying shapes: no retracing."
    elif torch_graph <= 1:
        status, summary = SUPPORTED, (f"tf.function retraced ({tf_graph} traces) while torch.compile compiled "
                                      f"{torch_graph} graph(s).")
    else:
        status, summary = MIXED, (f"Both compiled modes recompile on new shapes: tf.function {tf_graph} traces, "
                                  f"torch.compile {torch_graph} graphs; neither eager mode compiles anything.")
    return Verdict(status, summary, tuple(rows), link=RETRACING_LINK, headers=("framework and setting", "counted"))


# --- deployment -----------------------------------------------------------------------------

def _export_cells(run: RunResult) -> dict[tuple[str, str], dict[str, ExportCell]]:
    """(framework, workload) -> {path_id: cell}; a failed task has no cells."""
    cells = {}
    for record in run.study_records("export"):
        key = (record.framework or "", record.workload or "")
        cells[key] = {c.path_id: c for c in payload(record).cells} if record.status == "ok" else {}
    return cells


def _needs_export(run: RunResult, params: Params) -> bool:
    return any(r.status == "ok" for r in run.study_records("export"))


def _cell_text(cell: ExportCell | None, path: str) -> tuple[bool | None, str]:
    if cell is None:
        return None, f"{path}: not run"
    if cell.status == "ok":
        return True, f"{path}: ok"
    return False, f"{path}: failed at {cell.failed_stage} ({cell.error_type or 'error'})"


EXPORT_LINK = "ecosystem.md#export-matrix"


@check("mobile_export", "the export matrix: TensorFlow's TFLite/LiteRT path against PyTorch's torch.export, per workload",
       _needs_export)
def mobile_export(run: RunResult | None, params: Params) -> Verdict:
    """A workload counts for the claim when TFLite works and torch.export does not; against in the reverse case."""
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=EXPORT_LINK)
    cells = _export_cells(run)
    rows = []
    for workload in sorted({w for _, w in cells}):
        tf_ok, tf_text = _cell_text(cells.get(("tensorflow", workload), {}).get("tflite"), "TFLite")
        torch_ok, torch_text = _cell_text(cells.get(("torch", workload), {}).get("torch_export"), "torch.export")
        if tf_ok is None or torch_ok is None:
            outcome = UNDECIDED
        else:
            outcome = FOR if tf_ok and not torch_ok else AGAINST if torch_ok and not tf_ok else NEITHER
        rows.append(EvidenceRow(workload, f"{tf_text}; {torch_text}", outcome, "", EXPORT_LINK))
    status = aggregate(rows)
    words = {FOR: "only TensorFlow exported", AGAINST: "only PyTorch exported", NEITHER: "both alike",
             UNDECIDED: "a side not run"}
    if status == INCONCLUSIVE and all(r.measured.count(": ok") == 2 for r in rows if r.outcome == NEITHER):
        status = CONTRADICTED
        summary = (f"Both frameworks exported every workload to their on-device path's input and ran it "
                   f"({count_text(rows, words)}): no TensorFlow advantage measured here.")
    else:
        summary = f"Export to an on-device format: {count_text(rows, words)}."
    return Verdict(status, summary, tuple(rows), link=EXPORT_LINK, headers=("workload", "cells"),
                   notes=("PyTorch's on-device runtime, ExecuTorch, starts from a torch.export program; the ExecuTorch "
                          "lowering itself and running on a phone are not measured here. TFLite runs in the "
                          "LiteRT interpreter on this machine, not on a phone.",))


OWN_PATHS = ("torch_export", "torchscript")


@check("own_export", "the export matrix: PyTorch's own export paths (torch.export, TorchScript), reloaded and run",
       _needs_export)
def own_export(run: RunResult | None, params: Params) -> Verdict:
    """The claim says PyTorch cannot deploy without another framework: a working own path contradicts it."""
    if run is None:
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=EXPORT_LINK)
    cells = _export_cells(run)
    rows = []
    for (framework, workload), paths in sorted(cells.items()):
        if framework != "torch":
            continue
        texts, oks = [], []
        for path in OWN_PATHS:
            ok, text = _cell_text(paths.get(path), path)
            texts.append(text)
            oks.append(ok)
        outcome = AGAINST if any(oks) else FOR if all(ok is False for ok in oks) else UNDECIDED
        rows.append(EvidenceRow(workload, "; ".join(texts), outcome, "", EXPORT_LINK))
    words = {FOR: "no own path worked", AGAINST: "an own path exported, reloaded and ran",
             NEITHER: "", UNDECIDED: "not run"}
    return Verdict(aggregate(rows), f"PyTorch without another framework: {count_text(rows, words).replace('configurations', 'workloads')}.",
                   tuple(rows), link=EXPORT_LINK, headers=("workload", "cells"))


# --- executed ecosystem facts ---------------------------------------------------------------

def _fact_record(run: RunResult, name: str) -> StudyRecord | None:
    return next((r for r in run.study_records("ecosystem_checks") if r.config.get("check") == name), None)


def _needs_fact(run: RunResult, params: Params) -> bool:
    record = _fact_record(run, params["check"])
    return record is not None and record.status == "ok"


@check("executed_fact", "an executed ecosystem check: it passed or it did not", _needs_fact,
       required={"check", "claim_holds_if_passed"})
def executed_fact(run: RunResult | None, params: Params) -> Verdict:
    link = "ecosystem.md#executed-checks"
    record = _fact_record(run, params["check"]) if run is not None else None
    if record is None or record.status != "ok":
        return Verdict(NOT_MEASURED, NOT_MEASURED_TEXT, link=link)
    data: CheckData = payload(record)
    passed = data.passed
    evidence = "; ".join(f"{k}: {v}" for k, v in sorted(data.evidence.items()))
    versions = ", ".join(f"{k} {v}" for k, v in sorted(data.versions.items()))
    row = EvidenceRow(data.claim, evidence or "—", FOR if passed else AGAINST, versions, link)
    holds = passed == bool(params["claim_holds_if_passed"])
    summary = f"Executed: {data.claim} — {'passed' if passed else 'did not pass'}" + \
              (f" ({versions})." if versions else ".")
    return Verdict(SUPPORTED if holds else CONTRADICTED, summary, (row,), link=link,
                   headers=("what ran", "what it recorded"))


# --- claims no run here can test ------------------------------------------------------------

HARDWARE_REASONS = {
    "tpu": "Needs a Cloud TPU; our runs have CPUs and at most one NVIDIA GPU.",
    "multi_gpu": "Needs two or more GPUs, and set-up effort is not a quantity a benchmark records.",
    "multi_node": "Needs several machines with GPUs, and configuration effort is not a quantity a benchmark records.",
}


@check("needs_hardware", "nothing: the hardware the claim needs is not among ours", lambda run, params: True,
       required={"hardware"})
def needs_hardware(run: RunResult | None, params: Params) -> Verdict:
    reason = HARDWARE_REASONS.get(params["hardware"], f"Needs {params['hardware']}.")
    if run is not None:
        reason += f" Newest run: {run.provenance.host.cpu_model} / {provenance_text.gpu_names(run)}."
    return Verdict(NOT_TESTABLE, reason, link="ecosystem.md#facts")


@check("not_a_measurement", "nothing measurable: the page says why and where to look instead", lambda run, params: True,
       required={"reason", "link"})
def not_a_measurement(run: RunResult | None, params: Params) -> Verdict:
    return Verdict(NOT_TESTABLE, " ".join(str(params["reason"]).split()), link=str(params["link"]))
