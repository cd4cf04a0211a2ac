"""Which source files make a case's code, and the hash of that code: one rule for both sides.

The measuring side hashes the files a case ran when it runs it; the rendering side compares two
runs' hashes, and names the files that differ from the runs' recorded file ids (or, for runs older
than version 4, from the git commits they name). A timing-loop change then shows as a change to
every case, while a study edit changes no case at all.

File ids are git blob ids (sha1 of "blob <size>\\0" + content), so a run's recorded files and
`git ls-tree` of any commit compare directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

# Every case runs these, whatever its framework and workload: the timing loop, the child machinery
# and the workload interface. The statistics (contract/stats.py) judge samples but do not make them.
HARNESS_PATHS = ("benchmarks/harness/", "benchmarks/workload.py", "benchmarks/data.py")
STUDY_HARNESS_PATHS = ("benchmarks/harness/", "benchmarks/study.py", "benchmarks/data.py")
# The folders whose files a run records (what a case or study can depend on).
RECORDED_ROOTS = ("benchmarks", "contract")


def git_blob_id(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def case_paths(framework: str, workload_dir: str | None) -> tuple[str, ...]:
    """Path prefixes of a case's code: the harness, `benchmarks/frameworks/<framework>_runtime.py`, its workload."""
    paths = (*HARNESS_PATHS, f"benchmarks/frameworks/{framework}_runtime.py")
    return paths + ((workload_dir.rstrip("/") + "/",) if workload_dir else ())


def study_paths(study_dir: str | None) -> tuple[str, ...]:
    return STUDY_HARNESS_PATHS + ((study_dir.rstrip("/") + "/",) if study_dir else ())


def selected(files: Mapping[str, str], prefixes: Iterable[str]) -> dict[str, str]:
    prefixes = tuple(prefixes)
    return {path: blob for path, blob in files.items() if path.startswith(prefixes)}


def code_hash(files: Mapping[str, str], prefixes: Iterable[str]) -> str:
    """sha256 over the sorted (path, blob id) pairs under the prefixes: equal exactly when those files are."""
    digest = hashlib.sha256()
    for path, blob in sorted(selected(files, prefixes).items()):
        digest.update(f"{path}\0{blob}\n".encode())
    return digest.hexdigest()


def differing_files(old: Mapping[str, str], new: Mapping[str, str], prefixes: Iterable[str]) -> list[str]:
    """Files under the prefixes that were added, removed or changed between two recorded file sets."""
    a, b = selected(old, prefixes), selected(new, prefixes)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))
