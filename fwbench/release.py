"""`fwbench release`: after a framework release, one command from new pins to a rebuilt site.

Bump the pins (constraints.txt, or a copy kept inside the new environment), create a fresh
virtual environment from them, write back what pip resolved, run the chosen preset with
that environment's frameworks, and build the site: the new run lands in results/ beside the
old ones, so the History page shows what changed. Each step is a subprocess of the new
environment, because this process still has the old frameworks installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.paths import REPO_ROOT
from fwbench import pins


class ReleaseError(Exception):
    """One line for the user."""


def step(description: str, command: list[str]) -> None:
    print(f"fwbench release: {description}: {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise ReleaseError(f"{description} failed (exit {done.returncode}); its output is above")


def release(versions: dict[str, str], *, preset: str, env_dir: Path, constraints: Path, keep_constraints: bool,
            results: Path, site_dir: Path, run_args: list[str]) -> Path:
    if not versions:
        raise ReleaseError("name at least one version: --torch X.Y.Z and/or --tensorflow X.Y.Z")
    target = constraints
    if keep_constraints:
        env_dir.mkdir(parents=True, exist_ok=True)
        target = env_dir / "constraints.txt"
        shutil.copyfile(constraints, target)
    try:
        for change in pins.bump(target, versions) or ["pins unchanged"]:
            print(f"fwbench release: {change}")
    except pins.PinError as exc:
        raise ReleaseError(str(exc)) from None
    python = env_dir / "bin" / "python"
    if (env_dir / "pyvenv.cfg").exists():
        shutil.rmtree(env_dir / "bin"), shutil.rmtree(env_dir / "lib", ignore_errors=True)
    step("creating a fresh environment", [sys.executable, "-m", "venv", str(env_dir)])
    step("installing from the new pins", [str(python), "-m", "pip", "install", "--quiet", "-c", str(target),
                                          "-e", f"{REPO_ROOT}[torch,tensorflow,ecosystem,test]"])
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True,
                            check=True).stdout
    added = pins.write_resolved(target, {p["name"]: p["version"] for p in json.loads(listed)})
    for line in added:
        print(f"fwbench release: resolved {line}")
    fwbench = str(env_dir / "bin" / "fwbench")
    step("measuring", [fwbench, "run", "--preset", preset, "--out", str(results), *run_args])
    step("building the site", [fwbench, "build", "--results", str(results), "--site-dir", str(site_dir)])
    return target
