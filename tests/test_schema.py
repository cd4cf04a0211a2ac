import json

import pytest

from contract.files import ResultFileError, dump_run, load_run
from contract.schema import SCHEMA_VERSION, RunResult
from tests.made_up_results import made_up_run


def test_round_trip_preserves_every_field(tmp_path):
    run = made_up_run(with_failure=True)
    path = tmp_path / f"{run.run_id}.json"
    dump_run(run, path)
    assert load_run(path) == run
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_unknown_schema_version_is_one_line_naming_file_and_versions(tmp_path):
    raw = made_up_run().model_dump(mode="json")
    raw["schema_version"] = 99
    path = tmp_path / "future.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(ResultFileError) as caught:
        load_run(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "future.json" in message and "99" in message and "reads 1, 2, 3" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "no schema_version"),
        (json.dumps({"schema_version": SCHEMA_VERSION, "run_id": "x"}), "does not match the results schema"),
    ],
)
def test_broken_files_are_refused_in_one_line(tmp_path, content, expected):
    path = tmp_path / "broken.json"
    path.write_text(content)
    with pytest.raises(ResultFileError, match=expected) as caught:
        load_run(path)
    assert "\n" not in str(caught.value)


def test_unknown_fields_are_rejected_not_ignored(tmp_path):
    raw = made_up_run().model_dump(mode="json")
    raw["cases"][0]["mystery"] = 1
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(ResultFileError, match="cases.0.mystery"):
        load_run(path)


def test_a_result_file_is_never_overwritten_and_no_temp_file_is_left(tmp_path):
    run = made_up_run()
    path = tmp_path / "run.json"
    dump_run(run, path)
    before = path.read_bytes()
    with pytest.raises(ResultFileError, match="never overwritten"):
        dump_run(run.model_copy(update={"command": "other"}), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_missing_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ResultFileError, match="no such results file"):
        load_run(tmp_path / "absent.json")


def test_made_up_run_is_valid():
    RunResult.model_validate(made_up_run(with_failure=True).model_dump())


def test_version_1_file_is_upgraded_step_by_step():
    """The committed fixture is a real run of the walking skeleton (schema 1: fp32 training only)."""
    from tests.conftest import REPO_ROOT

    fixture = REPO_ROOT / "tests" / "fixtures" / "schema_v1_run.json"
    assert json.loads(fixture.read_text())["schema_version"] == 1
    run = load_run(fixture)
    assert run.schema_version == SCHEMA_VERSION
    modes = {case.framework: case.config["mode"] for case in run.cases}
    assert modes == {"torch": "eager", "tensorflow": "function"}
    for case in run.cases:
        assert case.config["task"] == "train" and case.config["precision"] == "fp32"
        assert case.case_id == f"mlp/{case.framework}/cpu/train/fp32/{modes[case.framework]}/bs128"
        assert case.summary.samples_per_second_median > 0
    (comparison,) = run.comparisons
    assert (comparison.numerator_mode, comparison.denominator_mode) == ("eager", "function")
