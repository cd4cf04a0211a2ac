"""The retracing study against the real frameworks: counts, never times. Each setting in a fresh
process, as the harness runs it, so torch and tensorflow never share this test's interpreter."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.studies.retracing import call_sequence
from contract.payloads import RetracingData

REPO_ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def _scenario(framework: str, scenario: str) -> dict:
    if importlib.util.find_spec(framework) is None:
        pytest.skip(f"{framework} is not installed")
    spec = {"study": "retracing", "framework": framework, "workload": None, "device": "cpu", "threads": 1,
            "preset": "quick", "config": {"sizes": "quick", "scenario": scenario}}
    code = (f"import json; from benchmarks.studies.retracing import {framework}_impl as impl; "
            f"print(json.dumps(impl.run(json.loads({json.dumps(json.dumps(spec))}))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                          check=True)
    return RetracingData.model_validate_json(done.stdout.strip().splitlines()[-1]).scenario.model_dump()


DISTINCT_SIZES = len(set(call_sequence("quick")))


def test_tf_function_retraces_per_shape_and_once_with_an_input_signature() -> None:
    assert _scenario("tensorflow", "function_default")["traces"] == DISTINCT_SIZES
    assert 1 < _scenario("tensorflow", "function_reduce_retracing")["traces"] < DISTINCT_SIZES
    assert _scenario("tensorflow", "function_input_signature")["traces"] == 1


def test_torch_compile_recompiles_per_shape_only_when_static() -> None:
    assert _scenario("torch", "compile_static")["traces"] == DISTINCT_SIZES
    assert _scenario("torch", "compile_dynamic")["traces"] == 1
    branch = _scenario("torch", "compile_branch")
    assert branch["graph_breaks"] > 0 and branch["graph_break_reasons"]
    assert _scenario("torch", "eager")["traces"] == 0
