"""What a fresh virtual environment with only the framework weighs: wheels downloaded, bytes
installed, distributions pulled in, import time there.

Needs a package index; where pip cannot fetch even the framework's own wheel (the GPU machine
has no registry access), the result says so instead of a number.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

PIP_TIMEOUT_SECONDS = 900


class NoPackageIndex(Exception):
    """pip could not fetch the framework's own wheel: there is nothing to measure here."""


def _pip(python: Path | str, *args: str, timeout: float = PIP_TIMEOUT_SECONDS) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=timeout)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python*/site-packages")
    return found


def dist_names(folder: Path) -> set[str]:
    return {p.name.split("-")[0].lower() for p in folder.glob("*.dist-info")}


def measure(requirement: str, module: str, constraints: Path | None, import_repeats: int) -> dict:
    """Download the wheels, install them into an empty venv, weigh it and time the import there."""
    from benchmarks.studies.footprint.import_time import import_seconds

    with tempfile.TemporaryDirectory(prefix="fwbench-footprint-") as root:
        wheels, venv = Path(root) / "wheels", Path(root) / "venv"
        constraint_args = ["-c", str(constraints)] if constraints else []
        probe = _pip(sys.executable, "download", "--no-deps", "--dest", str(wheels), requirement, *constraint_args)
        if probe.returncode != 0:
            raise NoPackageIndex(f"pip could not fetch {requirement}: {_last_line(probe.stderr)}")
        root_wheel_bytes = folder_bytes(wheels)
        download = _pip(sys.executable, "download", "--dest", str(wheels), requirement, *constraint_args)
        if download.returncode != 0:
            raise RuntimeError(f"pip download failed: {_last_line(download.stderr)}")
        wheel_files = sorted(wheels.iterdir())
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        python = venv / "bin" / "python"
        empty_bytes = folder_bytes(venv)
        baseline = dist_names(site_packages(venv))
        started = time.perf_counter()
        install = _pip(python, "install", "--no-index", "--find-links", str(wheels), requirement)
        install_seconds = time.perf_counter() - started
        if install.returncode != 0:
            raise RuntimeError(f"pip install into the fresh venv failed: {_last_line(install.stderr)}")
        added = dist_names(site_packages(venv)) - baseline
        return {
            "status": "ok",
            "root_wheel_bytes": root_wheel_bytes,
            "wheel_bytes_total": sum(p.stat().st_size for p in wheel_files),
            "wheels": len(wheel_files),
            "empty_venv_bytes": empty_bytes,
            "venv_bytes": folder_bytes(venv),
            "distributions_added": len(added),
            "install_seconds": install_seconds,
            "import_seconds": import_seconds(str(python), module, import_repeats),
        }
