"""Which harness setting moves which framework (the step-settings study), and which settings this run's default and
tuned paths ran with: both read from the run, never from the measuring code's constants.
"""

from __future__ import annotations

from collections import Counter

from contract import stats
from contract.payloads import SettingRatio, StepSettingsSummary, payload
from contract.schema import CaseResult, RunResult
from site_scripts.analysis import selection
from site_scripts.text import formatting, labels

STUDY = "step_settings"
NOT_RECORDED = "not recorded by this run"


def has_step_settings(run: RunResult) -> bool:
    return bool(run.study_records(STUDY))


def summary(run: RunResult) -> StepSettingsSummary | None:
    """The study over the rounds that ran, judged at the run's own confidence level and margin."""
    rounds = [payload(r) for r in run.study_records(STUDY) if r.status == "ok"]
    return stats.step_settings_summary(rounds, run.rules.confidence_level, run.rules.equivalence_margin)


def setting_text(overrides: dict) -> str:
    """What a variant changes, in words."""
    if not overrides:
        return "none: the harness's own settings"
    parts = []
    if "optimizer_implementation" in overrides:
        parts.append(f"{overrides['optimizer_implementation']} SGD")
    if "inter_op_threads" in overrides:
        threads = int(overrides["inter_op_threads"])
        parts.append(f"{threads} inter-op thread{'s' if threads != 1 else ''}")
    if "data_batches" in overrides:
        batches = int(overrides["data_batches"])
        parts.append("one batch, reused every step" if batches == 1 else f"{batches} batches cycled")
    return "; ".join(parts)


def ratio_text(ratio: SettingRatio) -> str:
    if ratio.ratio_median is None:
        return formatting.MISSING
    interval = (f" [{ratio.ci_low:.3f}, {ratio.ci_high:.3f}]" if ratio.ci_low is not None and ratio.ci_high is not None
                else " (no interval)")
    return f"{ratio.ratio_median:.3f}{interval}"


def effect_words(ratio: SettingRatio, numerator: str, denominator: str, margin: float | None, min_pairs: int) -> str:
    """The verdict rule of a comparison, applied to a variant against its baseline."""
    decided = labels.decided_verdict_words(ratio.verdict, numerator, denominator, margin, "no difference resolved")
    if decided is not None:
        return decided
    pairs = "1 pair" if ratio.n_pairs == 1 else f"{ratio.n_pairs} pairs"
    return f"insufficient data ({pairs} < {min_pairs})"


def _threads(value: int | None) -> str:
    return formatting.MISSING if value is None else str(value)


def effects_table(run: RunResult, result: StepSettingsSummary) -> str:
    effects = {(e.numerator_framework, e.numerator_variant): e for e in result.effects}
    rows = []
    for cell in result.cells:
        effect = effects.get((cell.framework, cell.variant))
        is_harness = cell.variant == stats.HARNESS_SETTING
        rows.append([
            formatting.cell(labels.framework_name(cell.framework)),
            formatting.cell(setting_text(cell.overrides)),
            formatting.code_span(cell.optimizer_implementation) if cell.optimizer_implementation else formatting.MISSING,
            _threads(cell.inter_op_threads),
            _threads(cell.data_batches),
            formatting.significant(cell.step_seconds_median * 1000 if cell.step_seconds_median else None, 3),
            "1 (the baseline)" if is_harness else ratio_text(effect) if effect else formatting.MISSING,
            "" if is_harness or effect is None else formatting.cell(effect_words(
                effect, "this setting", "the harness's setting", result.equivalence_margin,
                run.rules.min_pairs_for_verdict)),
            formatting.cell(f"{cell.processes_admitted} / {cell.processes_rejected} / {cell.processes_failed}"
                            + (f" ({cell.failure})" if cell.failure else "")),
        ])
    headers = ["framework", "setting changed", "optimizer", "inter-op threads", "batches cycled",
               "median step (ms)", f"step time / harness's setting [{result.confidence_level:.0%} interval]",
               "verdict", "processes admitted / rejected for load / failed"]
    return formatting.table(headers, rows)


def framework_ratio_table(run: RunResult, result: StepSettingsSummary) -> str:
    variants = {(c.framework, c.variant): c.overrides for c in result.cells}
    rows = []
    for ratio in result.framework_ratios:
        numerator = labels.framework_name(ratio.numerator_framework)
        denominator = labels.framework_name(ratio.denominator_framework)
        changes = [f"{labels.framework_name(fw)}: {setting_text(variants.get((fw, ratio.numerator_variant), {}))}"
                   for fw in (ratio.numerator_framework, ratio.denominator_framework)]
        rows.append([
            formatting.cell("the harness's own settings" if ratio.numerator_variant == stats.HARNESS_SETTING
                            else "; ".join(changes)),
            ratio_text(ratio),
            formatting.cell(effect_words(ratio, numerator, denominator, result.equivalence_margin,
                                         run.rules.min_pairs_for_verdict)),
            str(ratio.n_pairs),
        ])
    if not rows:
        return ""
    first = result.framework_ratios[0]
    headers = ["settings", f"{labels.framework_name(first.numerator_framework)} / "
               f"{labels.framework_name(first.denominator_framework)} [{result.confidence_level:.0%} interval]",
               "verdict", "pairs"]
    return formatting.table(headers, rows)


def step_settings_section(run: RunResult) -> str:
    """The study's setup as this run ran it, each variant against the harness's setting, then the frameworks against
    each other in each setting; failed rounds are listed, never dropped."""
    records = run.study_records(STUDY)
    if not records:
        return formatting.NOT_MEASURED
    result = summary(run)
    failed = [r for r in records if r.status != "ok"]
    failed_text = "; ".join(f"round {r.config.get('round')}: {r.status}: {r.reason or 'no reason recorded'}"
                            for r in failed)
    if result is None:
        return f"No round of the study finished ({formatting.cell(failed_text)})."
    rounds = [payload(r) for r in records if r.status == "ok"]
    # Every recorded string here comes from a result file: escaped, modes as code.
    modes = formatting.code_aware_cell(", ".join(f"{labels.framework_name(fw)} {mode}" for fw, mode in result.modes.items()))
    gate = rounds[0].loaded_machine_fraction
    parts = [
        f"{formatting.cell(labels.workload_title(run, result.workload))} at the {formatting.code_span(result.sizes)} "
        f"preset's sizes, fp32 training at batch {result.batch_size}, {modes}; {result.rounds} round{'s' if result.rounds != 1 else ''}, each framework in "
        f"each setting once per round in a fresh process ({rounds[0].warmup_steps} warm-up and "
        f"{rounds[0].measured_steps} measured steps, as the run's cases), the setting order rotated from round to "
        f"round. "
        + (f"A process during which other processes took more than {gate:.0%} of the machine was run again and not "
           "used." if gate is not None else "Processes were not gated on machine load.")
        + " Ratios are paired round by round; the interval and the verdict follow the comparison rules above.",
        effects_table(run, result),
    ]
    cross = framework_ratio_table(run, result)
    if cross:
        parts += ["The two frameworks against each other in each setting:", cross]
    if failed:
        parts.append(f"Rounds that did not finish: {formatting.cell(failed_text)}.")
    return "\n\n".join(parts)


# --- the settings each path ran with -----------------------------------------------------------


def _recorded(case: CaseResult) -> tuple[str, str, str]:
    """(optimizer, intra-op / inter-op threads, batches cycled) as the case's processes recorded them."""
    ok = [s for s in case.samples if s.status == "ok"]
    optimizers = sorted({s.optimizer_implementation for s in ok if s.optimizer_implementation})
    threads = sorted({f"{s.intra_op_threads} / {s.inter_op_threads}" for s in ok if s.intra_op_threads is not None})
    batches = sorted({str(s.data_batches) for s in ok if s.data_batches is not None})
    return (", ".join(formatting.code_span(o) for o in optimizers) or formatting.cell(NOT_RECORDED),
            formatting.cell(", ".join(threads) or NOT_RECORDED), formatting.cell(", ".join(batches) or NOT_RECORDED))


def _tuned_cases(run: RunResult, workload: str, batch: int | None) -> dict[str, Counter]:
    """framework -> case id -> how many pairs of the best path it represented its framework in (fp32 training at the
    reference batch)."""
    chosen: dict[str, Counter] = {}
    for comparison in run.comparisons:
        config = comparison.config
        if (comparison.path != "best" or comparison.workload != workload or labels.task_of(config) != "train"
                or labels.precision_of(config) != "fp32" or config.get("batch_size") != batch):
            continue
        for pair in comparison.pairs:
            chosen.setdefault(comparison.numerator, Counter())[pair.numerator_case_id] += 1
            chosen.setdefault(comparison.denominator, Counter())[pair.denominator_case_id] += 1
    return chosen


def path_settings_table(run: RunResult) -> str:
    """Per workload and framework, fp32 training at the reference batch: the default path's case and the cases the
    best path chose, with the optimizer, threads and batches their processes recorded."""
    rows = []
    for workload in labels.workloads(run):
        batch = selection.reference_batch(run, workload)
        reference = selection.reference_cases(run, workload)
        tuned = _tuned_cases(run, workload, batch)
        for framework in labels.frameworks(run):
            mine = [c for c in reference if c.framework == framework and c.summary is not None]
            default = stats.default_case(mine, run.rules.default_modes.get(framework, []))
            paths = [("default", default, "")] if default else []
            for case_id, pairs in sorted(tuned.get(framework, Counter()).items(), key=lambda item: -item[1]):
                case = run.case(case_id)
                if case is not None:
                    paths.append(("tuned (best path)", case, f" ({pairs} pair{'s' if pairs != 1 else ''})"))
            for path, case, pairs in paths:
                rows.append([formatting.cell(labels.workload_title(run, workload)),
                             formatting.cell(labels.framework_name(framework)), formatting.cell(path),
                             formatting.code_aware_cell(labels.mode_label(case.config) + pairs), *_recorded(case)])
    if not rows:
        return formatting.NOT_MEASURED
    headers = ["workload", "framework", "path", "mode (pairs it stood for)", "optimizer", "intra-op / inter-op threads",
               "batches cycled"]
    return formatting.table(headers, rows)
