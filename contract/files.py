"""Reading and writing result files: atomic writes, step-by-step upgrades on read, one-line errors.

A result file is untrusted input (contributors send them by pull request), so reading refuses anything outside the
format: a run id that is not one, a version that is not a plain integer, NaN or infinite numbers, nesting or size
no run has, fields a file's own version never wrote, strings beyond their bounds. Writing validates exactly the
text it writes, as a reader will read it, and a finished run file is never replaced.
"""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contract.payloads import PAYLOADS
from contract.schema import SCHEMA_VERSION, RunResult, valid_run_id
from contract.upgrades import UPGRADES, UpgradeError, check_recorded_by

# A run is a few hundred kilobytes; anything far larger is refused before it is parsed.
MAX_FILE_BYTES = 32 * 2**20
RUN_ID_FORM = "YYYYMMDDTHHMMSSZ-xxxxxx, letters and digits after the dash"


class ResultFileError(Exception):
    """A result file that cannot be used; the message is one line meant for the user."""


def checked_run_id(run_id: object) -> str:
    """A run id names a file: anything but the run-id form (a '/', '..', an absolute path) is refused here."""
    if not valid_run_id(run_id):
        raise ResultFileError(f"run id {str(run_id)[:80]!r} is not a fwbench run id ({RUN_ID_FORM}); a run id names "
                              f"a file in the results folder and can hold no path")
    return str(run_id)


def final_path(out_dir: Path, run_id: str) -> Path:
    return Path(out_dir) / f"{checked_run_id(run_id)}.json"


def partial_path(out_dir: Path, run_id: str) -> Path:
    return Path(out_dir) / f"{checked_run_id(run_id)}.partial.json"


def _temp_beside(path: Path, text: str) -> str:
    """The text in a temp file in the same folder, flushed to disk, readable by all (result files are published)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomically(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one, never half."""
    tmp = _temp_beside(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _link_new(source: Path | str, path: Path) -> None:
    """Give `source`'s content the name `path` unless that name exists: a hard link never replaces a file, so of two
    writers racing for one name exactly one wins. Where the filesystem has no hard links, an exclusive create."""
    try:
        os.link(source, path)
    except FileExistsError:
        raise ResultFileError(f"{path}: already exists; result files are never overwritten") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(Path(source).read_text(encoding="utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except FileExistsError:
            raise ResultFileError(f"{path}: already exists; result files are never overwritten") from None


def write_new(path: Path, text: str) -> None:
    """Like write_atomically, but a file already at `path` is never replaced (ResultFileError instead)."""
    tmp = _temp_beside(path, text)
    try:
        _link_new(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def publish(partial: Path, final: Path) -> None:
    """The partial file becomes the final one, never over an existing final file; the partial goes once it has."""
    _link_new(partial, final)
    partial.unlink()


def dump_run(run: RunResult, path: Path, *, overwrite: bool = False) -> None:
    """Validate the exact text to be written, as it will be read back; a finished run file is never overwritten."""
    text = run.model_dump_json(indent=1) + "\n"
    try:
        parse_run(text, str(path))
    except ResultFileError as exc:
        raise ResultFileError(f"refusing to write a file that would not load: {exc}") from None
    if overwrite:
        write_atomically(path, text)
    else:
        write_new(path, text)


def load_run(path: Path) -> RunResult:
    """Read, upgrade step by step from older versions, validate; every failure is one line naming the file."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ResultFileError(f"{path}: {size / 2**20:.0f} MiB, larger than any run ({MAX_FILE_BYTES // 2**20} MiB "
                                  f"at most); not a fwbench results file")
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultFileError(f"{path}: no such results file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultFileError(f"{path}: cannot be read ({exc.__class__.__name__}: {exc})") from None
    return parse_run(text, str(path))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def parse_run(text: str, source: str) -> RunResult:
    """A result file's text as a RunResult: the one way in, for reading and for checking what is about to be written."""
    try:
        raw = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise ResultFileError(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except ValueError as exc:
        raise ResultFileError(f"{source}: not valid JSON for a result file ({exc})") from None
    except RecursionError:
        raise ResultFileError(f"{source}: nested deeper than any result file; not a fwbench results file") from None
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise ResultFileError(f"{source}: not a fwbench results file (no schema_version)")
    version = raw["schema_version"]
    understood = sorted({*UPGRADES, SCHEMA_VERSION})
    # `type(...) is int`: JSON's true is a Python int (True == 1), and a version is a whole number, not a flag.
    if type(version) is not int or version not in understood:
        raise ResultFileError(
            f"{source}: schema_version {repr(version)[:40]} is not understood (this fwbench reads "
            f"{', '.join(map(str, understood))}); update fwbench or regenerate the file"
        )
    claimed = version
    try:
        check_recorded_by(raw, version)
        while version < SCHEMA_VERSION:
            raw = UPGRADES[version](raw)
            version += 1
            raw["schema_version"] = version
    except UpgradeError as exc:
        raise ResultFileError(f"{source}: {exc}") from None
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
        raise ResultFileError(f"{source}: a malformed version-{claimed} file that cannot be upgraded "
                              f"({str(detail)[:200]}); regenerate it with fwbench") from None
    try:
        # Strict: a bool is no integer, a string no number; validated from JSON text, as it was written.
        run = RunResult.model_validate_json(json.dumps(raw), strict=True)
    except ValidationError as exc:
        raise ResultFileError(f"{source}: does not match the results schema ({_first_problem(exc)})") from None
    except (ValueError, RecursionError) as exc:
        raise ResultFileError(f"{source}: does not match the results schema ({str(exc)[:200]})") from None
    for index, record in enumerate(run.studies):
        # Each study's payload is checked against its model here too, so the renderer can read it typed.
        model = PAYLOADS.get(record.study)
        if model is None or record.status != "ok":
            continue
        try:
            model.model_validate_json(json.dumps(record.data), strict=True)
        except ValidationError as exc:
            raise ResultFileError(f"{source}: studies.{index} ({record.record_id}): its {record.study} payload does "
                                  f"not match {model.__name__} ({_first_problem(exc)})") from None
    return run


def _first_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{exc.error_count()} problem(s); first: {where[:200]}: {first['msg'][:200]}"


def complete_runs(results_dir: Path) -> list[Path]:
    """Finished run files, oldest first (run ids start with the UTC time, so names sort by time)."""
    return sorted(p for p in Path(results_dir).glob("*.json") if not p.name.endswith(".partial.json"))
