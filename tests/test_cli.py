"""Bad input: one line on stderr, a non-zero exit, no traceback."""

import json
import subprocess
import sys

import pytest

from contract.files import dump_run
from tests.conftest import REPO_ROOT
from tests.made_up_results import made_up_run


def fwbench(*args, cwd=REPO_ROOT):
    return subprocess.run([sys.executable, "-m", "fwbench", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def assert_one_line_error(done, *fragments):
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_workload(tmp_path):
    assert_one_line_error(fwbench("run", "--only", "nosuch", "--out", str(tmp_path)), "unknown workload 'nosuch'", "mlp")


def test_unknown_preset(tmp_path):
    assert_one_line_error(fwbench("run", "--preset", "huge", "--out", str(tmp_path)), "invalid choice: 'huge'")


def test_unknown_framework(tmp_path):
    assert_one_line_error(fwbench("run", "--frameworks", "jax", "--out", str(tmp_path)), "unknown framework 'jax'")


def test_resume_with_nothing_to_resume(tmp_path):
    assert_one_line_error(fwbench("run", "--resume", "--out", str(tmp_path)), "nothing to resume")


def test_resume_with_conflicting_settings(tmp_path):
    assert_one_line_error(fwbench("run", "--resume", "--preset", "full", "--out", str(tmp_path)), "--preset")


def test_build_without_results(tmp_path):
    assert_one_line_error(fwbench("build", "--results", str(tmp_path / "none")), "does not exist")
    assert_one_line_error(fwbench("build", "--results", str(tmp_path)), "no result files")


def test_build_with_invalid_json(tmp_path):
    (tmp_path / "20260101T000000Z-aaaaaa.json").write_text("{oops")
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--site-dir", str(tmp_path / "s")),
                          "not valid JSON", "20260101T000000Z-aaaaaa.json")


def test_build_with_unknown_schema_version(tmp_path):
    raw = made_up_run().model_dump(mode="json")
    raw["schema_version"] = 7
    (tmp_path / "20260101T000000Z-bbbbbb.json").write_text(json.dumps(raw))
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--site-dir", str(tmp_path / "s")),
                          "schema_version 7")


def test_build_with_unreadable_file(tmp_path):
    target = tmp_path / "20260101T000000Z-cccccc.json"
    target.mkdir()  # a folder where a file should be: unreadable as a file, even as root
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--site-dir", str(tmp_path / "s")),
                          "cannot be read")


def test_serve_without_a_built_site(tmp_path):
    assert_one_line_error(fwbench("serve", "--site-dir", str(tmp_path)), "no built site")


@pytest.mark.parametrize("command", ["run", "build", "render", "serve", "list"])
def test_every_command_has_help(command):
    done = fwbench(command, "--help")
    assert done.returncode == 0 and "usage: fwbench" in done.stdout


def test_build_refuses_an_older_broken_file_beside_a_good_one(tmp_path):
    dump_run(made_up_run(run_id="20260102T000000Z-dddddd"), tmp_path / "20260102T000000Z-dddddd.json")
    (tmp_path / "20260101T000000Z-eeeeee.json").write_text("[]")
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--site-dir", str(tmp_path / "s")),
                          "20260101T000000Z-eeeeee.json")


def test_build_refuses_a_default_run_it_does_not_hold_and_a_site_url_that_is_no_url(tmp_path):
    run = made_up_run()
    dump_run(run, tmp_path / f"{run.run_id}.json")
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--default-run", "20990101T000000Z-nosuch"),
                          "--default-run 20990101T000000Z-nosuch: no finished run with that id")
    assert_one_line_error(fwbench("build", "--results", str(tmp_path), "--site-url", "example.org"),
                          "--site-url example.org: give the full address")


def test_the_last_line_of_a_build_names_the_run_each_page_shows(tmp_path):
    from fwbench.cli import shown_line

    record = {"requested_default_run": "R2", "pages": {
        "index.md": {"shows": "R2", "rule": "requested"}, "performance.md": {"shows": "R2", "rule": "requested"},
        "memory.md": {"shows": "R1", "rule": "reference"}}}
    (tmp_path / "fwbench-build.json").write_text(json.dumps(record))
    assert shown_line(tmp_path) == ("every page with a run selector shows run R2 by default (asked for by "
                                    "--default-run); except, by the reference rule (that run has nothing for them): "
                                    "memory: R1")
    record = {"requested_default_run": None, "pages": {"index.md": {"shows": "R1", "rule": "reference"},
                                                        "memory.md": {"shows": "R1", "rule": "reference"}}}
    (tmp_path / "fwbench-build.json").write_text(json.dumps(record))
    assert shown_line(tmp_path) == "the pages show by default the reference rule's run: home, memory: R1"
