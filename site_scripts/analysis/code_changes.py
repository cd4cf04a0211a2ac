"""Whether two runs measured a case with the same code, and which files differ: History and every cross-run
comparison mark a pair whose code changed, instead of mixing old and new code silently.

A version-4 run records the git blob id of every measuring source file; for an older run the files are read
from the git commit it names, when this checkout has that commit (`git ls-tree`). Where neither is possible
the code is "not known", and the page says so.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache

from contract import code_identity
from contract.schema import CaseResult, RunResult
from site_scripts.paths import REPO_ROOT


@cache
def _files_at_commit(commit: str) -> tuple[tuple[str, str], ...] | None:
    try:
        done = subprocess.run(["git", "ls-tree", "-r", commit, "--", *code_identity.RECORDED_ROOTS], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    files = []
    for line in done.stdout.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith(".py"):
            files.append((path, parts[2]))
    return tuple(files)


def code_files(run: RunResult) -> dict[str, str] | None:
    """The run's measuring source files by path (git blob ids), recorded or read from its commit; None: unknown."""
    if run.provenance.code_files:
        return dict(run.provenance.code_files)
    if not run.provenance.git_commit:
        return None
    files = _files_at_commit(run.provenance.git_commit)
    return dict(files) if files else None


def case_prefixes(run: RunResult, case: CaseResult) -> tuple[str, ...]:
    info = run.workloads.get(case.workload)
    return code_identity.case_paths(case.framework, info.source_dir if info else None)


@dataclass(frozen=True)
class CodeChange:
    """`files` differ between the two runs' code for the case; `known` is False where either run's code is unknown."""

    known: bool
    files: tuple[str, ...] = ()
    uncommitted: bool = False  # a run read from its commit had uncommitted changes: its files may differ

    @property
    def changed(self) -> bool:
        return bool(self.files)


def case_code_change(old_run: RunResult, new_run: RunResult, case: CaseResult) -> CodeChange:
    old, new = code_files(old_run), code_files(new_run)
    if old is None or new is None:
        return CodeChange(known=False)
    uncommitted = any(run.provenance.git_dirty and not run.provenance.code_files for run in (old_run, new_run))
    files = code_identity.differing_files(old, new, case_prefixes(new_run, case))
    return CodeChange(known=True, files=tuple(files), uncommitted=uncommitted)
