"""Install footprint from metadata: the transitive requirement closure and installed bytes,
on made-up dist-info folders (markers and extras evaluated) and on a small real package."""

from __future__ import annotations

from pathlib import Path

from benchmarks.studies.footprint import STUDY
from benchmarks.studies.footprint.metadata import installed_finder, installed_size, requirement_closure
from benchmarks.study import PlanContext


def _dist(site: Path, name: str, requires: list[str], payload: bytes = b"") -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"] + [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    (site / f"{name}.py").write_bytes(payload)
    (info / "RECORD").write_text(f"{name}.py,,{len(payload)}\n{name}-1.0.dist-info/METADATA,,\n")


def test_closure_follows_requirements_transitively_but_not_extras_or_false_markers(tmp_path: Path) -> None:
    _dist(tmp_path, "root", ["alpha>=1", "beta; extra == 'docs'", "gamma; python_version < '3'"], b"x" * 10)
    _dist(tmp_path, "alpha", ["delta"])
    _dist(tmp_path, "delta", ["alpha"])  # a cycle must not loop
    _dist(tmp_path, "beta", [])
    _dist(tmp_path, "gamma", [])
    closure, missing = requirement_closure("root", installed_finder([str(tmp_path)]))
    assert sorted(d.metadata["Name"] for d in closure) == ["alpha", "delta", "root"]
    assert missing == []
    assert installed_size(closure[0]).installed_bytes >= 10


def test_a_requirement_that_is_not_installed_is_reported_missing(tmp_path: Path) -> None:
    _dist(tmp_path, "root", ["ghost"])
    closure, missing = requirement_closure("root", installed_finder([str(tmp_path)]))
    assert [d.metadata["Name"] for d in closure] == ["root"]
    assert missing == ["ghost"]


def test_pydantic_pulls_in_its_four_known_requirements() -> None:
    closure, missing = requirement_closure("pydantic", installed_finder())
    names = sorted(d.metadata["Name"].lower().replace("_", "-") for d in closure)
    assert names == ["annotated-types", "pydantic", "pydantic-core", "typing-extensions", "typing-inspection"]
    assert missing == []
    assert all(installed_size(d).installed_bytes > 0 for d in closure)


def test_the_fresh_venv_is_planned_only_in_the_full_preset() -> None:
    def plan(preset: str):
        return STUDY.plan(PlanContext(preset=preset, device="cpu", frameworks=("torch", "tensorflow"), workloads=("mlp",)))

    assert [t.config["fresh_venv"] for t in plan("quick")] == [False, False]
    assert [t.config["fresh_venv"] for t in plan("full")] == [True, True]
    assert [t.framework for t in plan("quick")] == ["torch", "tensorflow"]
