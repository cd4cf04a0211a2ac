"""`fwbench merge`: shard files (fwbench run --shard K/N) joined into one run file, refused unless they
are the parts of one plan; summaries and comparisons are recomputed over the whole."""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import privacy, shards
from benchmarks.harness.run_plan import new_run_id, plan_cases, utc_now
from benchmarks.harness.run_request import RunError
from contract import stats
from contract.files import ResultFileError, dump_run, final_path, load_run


def merge_shard_files(paths: list[Path], out_dir: Path, command: str) -> Path:
    """Merge finished shard files into one run file in out_dir; the shards stay where they are."""
    try:
        runs = [load_run(Path(p)) for p in paths]
        merged = shards.merge(runs, new_run_id(utc_now()), privacy.redact(command))
    except (ResultFileError, shards.MergeError) as exc:
        raise RunError(str(exc)) from None
    planned = {c.case_id for c in plan_cases(merged.settings)}
    measured = {c.case_id for c in merged.cases}
    if planned != measured:
        missing = sorted(planned - measured)[:1] or sorted(measured - planned)[:1]
        raise RunError(f"the shards do not add up to the plan ({len(planned)} cases planned, {len(measured)} measured; "
                       f"first difference: {missing[0]})")
    order = {case_id: i for i, case_id in enumerate(c.case_id for c in plan_cases(merged.settings))}
    merged.cases.sort(key=lambda c: order[c.case_id])
    stats.recompute(merged)
    final = final_path(Path(out_dir), merged.run_id)
    try:
        dump_run(merged, final)
    except ResultFileError as exc:
        raise RunError(str(exc)) from None
    except OSError as exc:
        raise RunError(f"cannot write {final} ({exc.strerror or exc}); the shard files are unchanged") from None
    return final
