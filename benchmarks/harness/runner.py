"""The execute, save and resume loop of a run: every pending process in plan order, saved after each.

The parent never imports a framework. It runs each process as a fresh child (child_process),
saves the run atomically after every one, so an interrupted run keeps what it measured, and
turns the partial file into the final one only when everything planned has run.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import provenance, study_runner
from benchmarks.harness.calibration import calibrate
from benchmarks.harness.child_process import remove_orphaned_temp_dirs
from benchmarks.harness.reporting import Reporter, SilentReporter
from benchmarks.harness.run_plan import next_attempt, pending_samples, planned_processes, utc_now
from benchmarks.harness.run_request import RunError
from benchmarks.harness.samples import run_process
from contract import code_identity, stats
from contract.files import ResultFileError, dump_run, final_path, load_run, partial_path, publish
from contract.schema import CaseResult, ProcessSample, RunResult


def resumable_run(out_dir: Path) -> RunResult:
    """The newest unfinished run in out_dir, refused if the benchmark code changed since it started.
    The caller holds out_dir's lock (out_dir_lock), so no other run is writing it."""
    partials = sorted(Path(out_dir).glob("*.partial.json"))
    if not partials:
        raise RunError(f"nothing to resume: no unfinished run (*.partial.json) in {out_dir}")
    try:
        run = load_run(partials[-1])
    except ResultFileError as exc:
        raise RunError(str(exc)) from None
    if partials[-1].name != partial_path(out_dir, run.run_id).name:
        raise RunError(f"{partials[-1]} holds run {run.run_id}, not the run its name says; a partial file is named "
                       f"after its run id: rename it to {run.run_id}.partial.json or remove it")
    if run.provenance.code_hash != provenance.code_hash():
        raise RunError(
            f"cannot resume {run.run_id}: the benchmark code changed since it started; start a fresh run without --resume"
        )
    return run


class SaveError(RunError):
    """The partial file could not be written (a full or read-only disk): the last saved one stands."""


def save(run: RunResult, out_dir: Path) -> None:
    """Summaries and comparisons recomputed from every sample so far, then an atomic write of the partial file."""
    stats.recompute(run)
    path = partial_path(out_dir, run.run_id)
    try:
        dump_run(run, path, overwrite=True)
    except OSError as exc:
        kept = (f"the processes saved before it are kept in {path}; make room, then continue with "
                f"`fwbench run --resume --out {out_dir}`" if path.exists() else "nothing had been saved yet")
        raise SaveError(f"cannot write {path} ({exc.strerror or exc}); {kept}") from None
    except ResultFileError as exc:
        raise SaveError(str(exc)) from None


def load_rejected(run: RunResult, sample: ProcessSample) -> bool:
    """A successful process during which other processes took more of the machine than the run's threshold."""
    return (run.rules.load_gated and sample.status == "ok" and sample.foreign_cpu_fraction is not None
            and sample.foreign_cpu_fraction > run.rules.loaded_machine_fraction)


def run_repeat(run: RunResult, case: CaseResult, repeat: int, out_dir: Path, reporter: Reporter) -> None:
    """One repeat of a case: a process, run again (at most max_load_retries times) while the machine was loaded;
    a rejected process is kept, marked, and never summarised. Saved after every process."""
    while True:
        attempt = next_attempt(case, repeat)
        reporter.sample_started(case, repeat)
        sample = run_process(case, repeat, run.settings, attempt)
        if load_rejected(run, sample):
            sample.admitted = False
        case.samples.append(sample)
        case.samples.sort(key=lambda s: (s.repeat_index, s.attempt))
        save(run, out_dir)
        reporter.sample_finished(case, sample)
        if sample.admitted or attempt >= run.rules.max_load_retries:
            return


def quietness(run: RunResult) -> str:
    """One line: how loaded the machine was while the run's processes ran, and how many were rejected."""
    samples = [s for c in run.cases for s in c.samples if s.foreign_cpu_fraction is not None]
    if not samples:
        return "machine load: not measured"
    loads = sorted(s.foreign_cpu_fraction for s in samples)
    rejected = sum(1 for c in run.cases for s in c.samples if not s.admitted)
    return (f"machine load from other processes: median {loads[len(loads) // 2]:.0%}, max {loads[-1]:.0%}; "
            f"{rejected} of {len(samples)} processes rejected above {run.rules.loaded_machine_fraction:.0%} and run again")


def execute(run: RunResult, out_dir: Path, reporter: Reporter = SilentReporter()) -> Path:
    """Calibrate once, then run every pending process, saving after each; the partial file becomes the final one."""
    out_dir = Path(out_dir)
    if final_path(out_dir, run.run_id).exists():
        raise RunError(f"{final_path(out_dir, run.run_id)} already exists; result files are never overwritten")
    remove_orphaned_temp_dirs()
    todo = pending_samples(run)
    studies_todo = study_runner.pending_tasks(run)
    total = (sum(planned_processes(c, run.settings) for c in run.cases)
             + len(study_runner.planned_tasks(run.settings)))
    save(run, out_dir)
    if run.settings.calibrate:
        calibrate(run, reporter, lambda: save(run, out_dir))
    reporter.planned(total, total - len(todo) - len(studies_todo))
    for case, repeat in todo:
        run_repeat(run, case, repeat, out_dir, reporter)
    for study, task in studies_todo:
        reporter.task_started(study_runner.record_id(study, task))
        record = study_runner.run_task(study, task, run.settings)
        info = run.study_info.get(study.name)
        record.code_hash = code_identity.code_hash(run.provenance.code_files,
                                                   code_identity.study_paths(info.source_dir if info else None))
        run.studies.append(record)
        save(run, out_dir)
        reporter.task_finished(record)
    run.status = "complete"
    run.finished_utc = utc_now()
    save(run, out_dir)
    final = final_path(out_dir, run.run_id)
    try:
        publish(partial_path(out_dir, run.run_id), final)  # never over an existing final file
    except ResultFileError as exc:
        raise RunError(f"{exc}; this run stays in {partial_path(out_dir, run.run_id)}") from None
    return final
