"""The import rule between the rooms, as a test: rendering never imports measuring, measuring never imports
rendering, the contract imports neither (import-linter contracts in pyproject.toml).

The contracts are also run on a small synthetic tree holding each import issue 13 found, to show that they
would catch it: a rule that cannot fail would prove nothing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LINT = Path(sys.executable).parent / "lint-imports"
ALLOWED_IN_CONTRACT = {"pydantic", "pydantic_core", "numpy", "scipy", "contract"}


def lint(config: Path, cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_rooms_keep_their_import_rules():
    done = lint(REPO_ROOT / "pyproject.toml", REPO_ROOT, REPO_ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def test_the_contract_depends_on_pydantic_numpy_and_scipy_only():
    for path in (REPO_ROOT / "contract").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for name in names:
                top = name.split(".")[0]
                assert top in ALLOWED_IN_CONTRACT or top in sys.stdlib_module_names or top == "__future__", \
                    f"{path.relative_to(REPO_ROOT)} imports {name}"


# Each import issue 13 found (or its mirror image), placed in a synthetic tree with the same package names.
FORBIDDEN = [
    ("site_scripts/cli.py", "from benchmarks import registry"),
    ("site_scripts/cli.py", "from benchmarks.harness import runner"),
    ("site_scripts/cli.py", "from benchmarks.presets import PRESETS"),
    ("site_scripts/cli.py", "from benchmarks.workload import FRAMEWORKS"),
    ("site_scripts/naming.py", "from benchmarks.harness.stats import MIN_PAIRS_FOR_VERDICT"),
    ("site_scripts/articles/memory.py", "from benchmarks.presets import DEFAULT_MODES"),
    ("site_scripts/ecosystem_tables.py", "from benchmarks.studies.export import PATHS"),
    ("benchmarks/harness/runner.py", "from site_scripts import formatting"),
    ("contract/schema.py", "from benchmarks import registry"),
    ("contract/stats.py", "from site_scripts.naming import framework_name"),
]
STUB_MODULES = ["contract/schema.py", "contract/stats.py", "benchmarks/registry.py", "benchmarks/presets.py",
                "benchmarks/workload.py", "benchmarks/harness/runner.py", "benchmarks/harness/stats.py",
                "benchmarks/studies/export/__init__.py", "site_scripts/formatting.py", "site_scripts/naming.py",
                "site_scripts/cli.py", "site_scripts/ecosystem_tables.py", "site_scripts/articles/memory.py",
                "fwbench/cli.py"]


def synthetic_tree(root: Path, module: str, statement: str) -> None:
    for stub in STUB_MODULES:
        path = root / stub
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        for parent in path.relative_to(root).parents:
            if str(parent) != ".":
                (root / parent / "__init__.py").touch()
    (root / "benchmarks" / "presets.py").write_text("PRESETS = {}\nDEFAULT_MODES = {}\n")
    (root / module).write_text(statement + "\n")


ALLOWED = ("site_scripts/naming.py", "from contract.stats import compare")


@pytest.mark.parametrize(("module", "statement"), [*FORBIDDEN, ALLOWED],
                         ids=[f"{m}: {s}" for m, s in [*FORBIDDEN, ALLOWED]])
def test_each_import_issue_13_found_breaks_a_contract(tmp_path, module, statement):
    synthetic_tree(tmp_path, module, statement)
    config = tmp_path / "pyproject.toml"
    settings = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    settings = {**settings, "include_external_packages": False}  # the stubs import nothing outside
    lines = ["[tool.importlinter]", f"root_packages = {settings['root_packages']!r}",
             "include_external_packages = false"]
    for contract in settings["contracts"]:
        external = {"torch", "tensorflow", "keras", "mkdocs", "plotly", "pandas", "yaml", "rich", "psutil"}
        lines += ["", "[[tool.importlinter.contracts]]", f"name = {contract['name']!r}", f"type = {contract['type']!r}",
                  f"source_modules = {contract['source_modules']!r}",
                  f"forbidden_modules = {[m for m in contract['forbidden_modules'] if m not in external]!r}"]
    config.write_text("\n".join(lines).replace("'", '"') + "\n")
    done = lint(config, tmp_path, tmp_path)
    if (module, statement) == ALLOWED:  # the control: the same tree with an allowed import keeps every contract
        assert done.returncode == 0 and "3 kept, 0 broken" in done.stdout, done.stdout[-2000:]
        return
    assert done.returncode != 0, done.stdout[-2000:]
    assert "BROKEN" in done.stdout and "1 broken" in done.stdout
