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
        rows.append([fmt.cell(labels.framework_name(framework)), fmt.cell(mode), fmt.cell(reported)])
    return fmt.table(["framework", "mode", "how it ran, as reported by the child process (workloads)"], rows)
