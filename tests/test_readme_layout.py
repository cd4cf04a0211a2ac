"""The README's Layout table is the map of the tree: every path it names exists, and every room exists in it."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def layout_rows() -> list[tuple[str, str]]:
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            rows.append((cells[0], cells[1]))
    return rows


def named_paths() -> list[str]:
    """Paths in the first column, and file names the second column gives inside a named folder."""
    paths = []
    for first, owns in layout_rows():
        folders = re.findall(r"`([^`]+)`", first)
        paths += folders
        for folder in folders:
            if folder.endswith("/") and "<" not in folder:
                paths += [folder + name for name in re.findall(r"`([\w.]+\.(?:py|js|yaml|yml))`", owns)]
    return paths


def test_every_path_the_layout_table_names_exists():
    missing = []
    for path in named_paths():
        concrete = re.sub(r"<[^>]+>", "*", path)
        if not list(REPO_ROOT.glob(concrete.rstrip("/"))):
            missing.append(path)
    assert not missing, f"README Layout names paths that do not exist: {missing}"


def test_every_package_and_room_is_in_the_layout_table():
    named = " ".join(named_paths())
    rooms = [p for p in ("contract", "fwbench", "benchmarks/harness", "benchmarks/frameworks", "benchmarks/workloads",
                         "benchmarks/studies", "docs", "results", "tests", ".github/workflows")]
    rooms += [f"site_scripts/{p.name}" for p in (REPO_ROOT / "site_scripts").iterdir()
              if p.is_dir() and (p / "__init__.py").is_file()]
    missing = [room for room in rooms if room not in named]
    assert not missing, f"rooms missing from the README Layout table: {missing}"


def test_every_harness_module_is_named_in_its_row():
    row = next(owns for first, owns in layout_rows() if first == "`benchmarks/harness/`")
    modules = sorted(p.name for p in (REPO_ROOT / "benchmarks" / "harness").glob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if f"`{m}`" not in row]
    assert not missing, f"benchmarks/harness modules the Layout table does not name: {missing}"
