"""Framework pins in constraints.txt: bump them after a release, and write back what an install resolved.

Standard library only, so a workflow can run it before anything is installed:
    python -m fwbench.pins --tensorflow 2.20.0 [--torch 2.13.0] [--file constraints.txt]
A framework's companions (packages it pins to its own release line, such as tensorboard for
TensorFlow) are dropped with the old pin, so pip resolves them for the new release; after the
install `write_resolved` records the versions pip chose, keeping the file exact.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "constraints.txt"
# Distribution names as constraints.txt may spell them, per framework option.
FRAMEWORK_DISTS = {"torch": ("torch",), "tensorflow": ("tensorflow_cpu", "tensorflow-cpu", "tensorflow")}
COMPANIONS = {"torch": (), "tensorflow": ("tensorboard", "tensorboard-data-server", "ml-dtypes")}
VERSION = re.compile(r"^\d+(\.\d+)*([a-z]+\d+)?(\.post\d+|\.dev\d+)?$")


class PinError(Exception):
    """One line for the user."""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, tuple[int, str, str]]:
    """normalised name → (line index, name as written, version)."""
    pins = {}
    for index, line in enumerate(path.read_text().splitlines()):
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            pins[normalise(match.group(1))] = (index, match.group(1), match.group(2))
    return pins


def bump(path: Path, versions: dict[str, str]) -> list[str]:
    """Set each framework's pin; drop its companions' pins. Returns what changed, one line each."""
    if not path.is_file():
        raise PinError(f"{path}: no such constraints file")
    lines = path.read_text().splitlines()
    pins = read_pins(path)
    changes, drop = [], set()
    for framework, version in versions.items():
        if not VERSION.match(version):
            raise PinError(f"--{framework} {version!r} is not a version number like 2.20.0")
        found = [pins[normalise(d)] for d in FRAMEWORK_DISTS[framework] if normalise(d) in pins]
        if not found:
            raise PinError(f"{path} pins no {framework} distribution ({', '.join(FRAMEWORK_DISTS[framework])})")
        index, name, old = found[0]
        if old == version:
            continue
        lines[index] = f"{name}=={version}"
        changes.append(f"{name} {old} -> {version}")
        for companion in COMPANIONS[framework]:
            if normalise(companion) in pins:
                drop.add(pins[normalise(companion)][0])
                changes.append(f"{pins[normalise(companion)][1]} unpinned (resolved by the install, then written back)")
    kept = [line for i, line in enumerate(lines) if i not in drop]
    path.write_text("\n".join(kept) + "\n")
    return changes


def write_resolved(path: Path, installed: dict[str, str]) -> list[str]:
    """Add the versions an install resolved for packages the file does not pin (the dropped companions)."""
    pins = read_pins(path)
    lines = path.read_text().splitlines()
    added = [f"{name}=={version}" for name, version in sorted(installed.items())
             if normalise(name) in {normalise(c) for cs in COMPANIONS.values() for c in cs} and normalise(name) not in pins]
    header = [line for line in lines if line.startswith("#")]
    body = sorted((line for line in lines if line and not line.startswith("#")), key=lambda l: normalise(l.split("==")[0]))
    body = sorted(body + added, key=lambda l: normalise(l.split("==")[0]))
    path.write_text("\n".join(header + body) + "\n")
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fwbench.pins", description=__doc__.splitlines()[0])
    parser.add_argument("--torch", default="", help="torch version to pin (empty: unchanged)")
    parser.add_argument("--tensorflow", default="", help="tensorflow(-cpu) version to pin (empty: unchanged)")
    parser.add_argument("--file", default=str(DEFAULT_FILE), help="constraints file (default: constraints.txt)")
    args = parser.parse_args(argv)
    versions = {k: v for k, v in (("torch", args.torch), ("tensorflow", args.tensorflow)) if v}
    try:
        changes = bump(Path(args.file), versions)
    except PinError as exc:
        print(f"pins: error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(changes) or "pins unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
