"""Reading and writing result files: atomic writes, step-by-step upgrades on read, one-line errors."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from contract.payloads import PAYLOADS
from contract.schema import SCHEMA_VERSION, RunResult
from contract.upgrades import UPGRADES


class ResultFileError(Exception):
    """A result file that cannot be used; the message is one line meant for the user."""


def final_path(out_dir: Path, run_id: str) -> Path:
    return out_dir / f"{run_id}.json"


def partial_path(out_dir: Path, run_id: str) -> Path:
    return out_dir / f"{run_id}.partial.json"


def write_atomically(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; result files are published
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_run(run: RunResult, path: Path, *, overwrite: bool = False) -> None:
    """Validate and write; a finished run file is never overwritten."""
    RunResult.model_validate(run.model_dump())
    if path.exists() and not overwrite:
        raise ResultFileError(f"{path}: already exists; result files are never overwritten")
    write_atomically(path, run.model_dump_json(indent=1) + "\n")


def load_run(path: Path) -> RunResult:
    """Read, upgrade step by step from older versions, validate; every failure is one line naming the file."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultFileError(f"{path}: no such results file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultFileError(f"{path}: cannot be read ({exc.__class__.__name__}: {exc})") from None
    except json.JSONDecodeError as exc:
        raise ResultFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise ResultFileError(f"{path}: not a fwbench results file (no schema_version)")
    version = raw["schema_version"]
    understood = sorted({*UPGRADES, SCHEMA_VERSION})
    if not isinstance(version, int) or version not in understood:
        raise ResultFileError(
            f"{path}: schema_version {version!r} is not understood (this fwbench reads "
            f"{', '.join(map(str, understood))}); update fwbench or regenerate the file"
        )
    while version < SCHEMA_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
        raw["schema_version"] = version
    try:
        run = RunResult.model_validate(raw)
    except ValidationError as exc:
        raise ResultFileError(f"{path}: does not match the results schema ({_first_problem(exc)})") from None
    for index, record in enumerate(run.studies):
        # Each study's payload is checked against its model here too, so the renderer can read it typed.
        model = PAYLOADS.get(record.study)
        if model is None or record.status != "ok":
            continue
        try:
            model.model_validate(record.data)
        except ValidationError as exc:
            raise ResultFileError(f"{path}: studies.{index} ({record.record_id}): its {record.study} payload does not "
                                  f"match {model.__name__} ({_first_problem(exc)})") from None
    return run


def _first_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{exc.error_count()} problem(s); first: {where}: {first['msg']}"


def complete_runs(results_dir: Path) -> list[Path]:
    """Finished run files, oldest first (run ids start with the UTC time, so names sort by time)."""
    return sorted(p for p in Path(results_dir).glob("*.json") if not p.name.endswith(".partial.json"))
