"""How each mode actually ran, as the child processes reported it (whether fit used XLA, which backend compiled).
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.text import formatting as fmt
from site_scripts.text import labels


def mode_details_table(run: RunResult) -> str:
    """How each mode actually ran, as the child processes reported it (whether fit used XLA, which backend compiled)."""
    details: dict[tuple[str, str], dict[str, list[str]]] = {}
    for case in run.cases:
        key = (case.framework, str(case.config.get("mode", fmt.MISSING)))
        by_detail = details.setdefault(key, {})
        for sample in case.samples:
            if sample.mode_detail:
                workloads = by_detail.setdefault(sample.mode_detail, [])
                if case.workload not in workloads:
                    workloads.append(case.workload)
    if not details:
        return "This run holds no cases."
    frameworks = labels.frameworks(run)
    rows = []
    for (framework, mode), by_detail in sorted(details.items(), key=lambda item: (
            frameworks.index(item[0][0]) if item[0][0] in frameworks else len(frameworks))):
        reported = "; ".join(f"{detail} ({', '.join(w)})" for detail, w in by_detail.items()) or "not reported"
        rows.append([fmt.cell(labels.framework_name(framework)), fmt.code_span(mode), fmt.code_aware_cell(reported),
                     fmt.cell(default_path_agreement(run, framework, mode))])
    table = fmt.table(["framework", "mode", "how it ran, as reported by the child process (workloads)",
                       "final training loss against the default path"], rows)
    left_out = run.settings.preset_definition.modes_left_out
    if left_out:
        table += "\n\nModes this run's preset left out: " + "; ".join(
            f"{fmt.code_span(mode)}, because {fmt.cell(reason)}" for mode, reason in left_out.items()) + "."
    return table


def default_path_agreement(run: RunResult, framework: str, mode: str) -> str:
    """Whether this mode's final training losses matched its framework's default path, per workload, from the case
    summaries (a mode that did not never stands for its framework on the best path)."""
    agree, differ = [], []
    for case in run.cases:
        summary = case.summary
        if (case.framework != framework or case.config.get("mode") != mode or summary is None
                or summary.agrees_with_default_path is None):
            continue
        if summary.agrees_with_default_path:
            agree.append(case.workload)
        else:
            differ.append(f"{case.workload} ({summary.final_loss_vs_default_path:.1e})")
    if mode in run.rules.default_modes.get(framework, []):
        return "the default path"
    if not agree and not differ:
        return "not compared (inference only, several steps per call, or not recorded by this run)"
    parts = []
    if agree:
        parts.append(f"agrees in {', '.join(dict.fromkeys(agree))}")
    if differ:
        parts.append(f"differs in {', '.join(dict.fromkeys(differ))}: kept off the best path")
    return "; ".join(parts)
