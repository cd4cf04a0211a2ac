"""Where a run's wall time went: calibration, cases (and the framework imports inside them), studies.

    python tools/run_time_breakdown.py results/<run id>.json [more runs ...]

Reads only what the run recorded (each process's start and wall time, its phase timings, each study task's
start and wall time), so it works on any run file, on any machine. The README's `make site` table and the
issue notes quote its output; the site build's own time is measured by the caller (`time fwbench build`).
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract.files import ResultFileError, load_run  # noqa: E402


def breakdown(path: Path) -> str:
    run = load_run(path)
    samples = [(case, s) for case in run.cases for s in case.samples]
    studies = list(run.studies)
    starts = [s.started_utc for _, s in samples] + [r.started_utc for r in studies]
    first_task = min(starts) if starts else None
    total = (run.finished_utc - run.started_utc).total_seconds() if run.finished_utc else None
    calibration = (first_task - run.started_utc).total_seconds() if first_task else None
    lines = [f"run {run.run_id} (preset {run.settings.preset}): {total:.0f} s in all" if total is not None
             else f"run {run.run_id}: unfinished"]
    if calibration is not None:
        lines.append(f"  calibration (peak matmul, FLOP counts, equivalence proof, probes): {calibration:.0f} s")
    by_kind: dict[str, list[float]] = defaultdict(list)
    imports: dict[str, list[float]] = defaultdict(list)
    for case, sample in samples:
        kind = f"{case.framework} {case.config.get('task', 'train')} {case.config.get('mode')}"
        by_kind[kind].append(sample.wall_seconds)
        phases = sample.phase_seconds or {}
        if "import" in phases:
            imports[case.framework].append(phases["import"] - phases.get("harness", 0.0))
    case_total = sum(sum(v) for v in by_kind.values())
    lines.append(f"  cases: {len(samples)} processes, {case_total:.0f} s")
    for kind, walls in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
        lines.append(f"    {kind:32s} {len(walls):4d} processes {sum(walls):7.0f} s (median {statistics.median(walls):5.1f} s)")
    for framework, values in sorted(imports.items()):
        lines.append(f"    framework import inside them: {framework} median {statistics.median(values):.2f} s, "
                     f"{sum(values):.0f} s in all")
    by_study: dict[str, list[float]] = defaultdict(list)
    for record in studies:
        by_study[record.study].append(record.wall_seconds)
    lines.append(f"  studies: {sum(sum(v) for v in by_study.values()):.0f} s")
    for study, walls in sorted(by_study.items(), key=lambda item: -sum(item[1])):
        lines.append(f"    {study:32s} {len(walls):4d} tasks     {sum(walls):7.0f} s")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tools/run_time_breakdown.py RESULT.json [...]", file=sys.stderr)
        return 2
    for name in argv:
        try:
            print(breakdown(Path(name)))
        except ResultFileError as exc:
            print(f"run_time_breakdown: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
