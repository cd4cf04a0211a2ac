"""The ease-of-use examples as notebooks: jupytext reads them, nbclient runs each in its own kernel (the
`ease_of_use` study of `fwbench run`), and the article renders what the run stored; counting rules, checklist.

The kernel tests start a real ipykernel (a couple of seconds each) on tiny examples that import no framework.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
import pytest

from benchmarks.studies import ease_of_use
from benchmarks.studies.ease_of_use import notebook_run
from benchmarks.study import PlanContext
from contract.payloads import EaseOfUseData
from site_scripts.ease_of_use import code_metrics, error_checklist, examples
from tests.conftest import REPO_ROOT


def _text(value: str | list[str]) -> str:
    """nbformat stores multi-line text as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_tasks_are_discovered_as_files_per_framework(tmp_path: Path) -> None:
    for name in ("a_torch.py", "a_tensorflow.py", "b_torch.py", "two_words_torch.py", "two_words_tensorflow.py",
                 "notes.py"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    assert ease_of_use.example_tasks(tmp_path) == {"a": ["torch", "tensorflow"], "b": ["torch"],
                                                   "two_words": ["torch", "tensorflow"]}


def test_every_article_task_has_both_frameworks_and_runs_in_quick_and_full() -> None:
    tasks = ease_of_use.example_tasks()
    assert {task for task, frameworks in tasks.items() if frameworks == ["torch", "tensorflow"]} >= {
        "cnn", "training_loop", "custom_gradient", "checkpoint", "debugging", "data_pipeline", "mistakes"}
    for preset in ("quick", "full"):
        assert ease_of_use.STUDY.runs_by_default(preset, "cpu")
    planned = ease_of_use.STUDY.plan(PlanContext("quick", "cpu", ("torch", "tensorflow"), ()))
    assert {(t.framework, t.config["example"]) for t in planned} == {
        (fw, task) for task, frameworks in tasks.items() for fw in frameworks}
    only_torch = ease_of_use.STUDY.plan(PlanContext("quick", "cpu", ("torch",), ()))
    assert {t.framework for t in only_torch} == {"torch"}  # a framework this machine lacks plans nothing


def test_the_article_shows_every_task_the_study_runs() -> None:
    from site_scripts.pages import ease_of_use as page

    assert set(page.article_tasks()) == set(ease_of_use.example_tasks())


def test_cells_are_found_at_their_lines_in_the_file() -> None:
    import jupytext

    text = '# %% First\nx = 1\n\n# %% Second tags=["raises-exception"] offending=[[16, 8], "double"]\n1 / 0\n'
    notebook = jupytext.reads(text, fmt="py:percent")
    assert notebook.cells[1].metadata == {"title": "Second", "tags": ["raises-exception"], "offending": [[16, 8], "double"]}
    assert notebook_run.cell_first_lines(text, notebook, "ex.py") == {0: 2, 1: 5}


def test_a_broken_example_fails_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    example = _write(tmp_path / "broken_torch.py", """
        # %% Fine
        print("fine")

        # %% Broken
        def lookup():
            return {}["missing"]


        value = lookup()
    """)
    with pytest.raises(notebook_run.ExampleFailed) as raised:
        notebook_run.run_example(example, timeout=60)
    assert str(raised.value) == f"{example}:6: example raised KeyError: 'missing'"


def test_expected_errors_are_captured_with_file_lines_and_a_missing_one_fails(tmp_path: Path) -> None:
    example = _write(tmp_path / "mistake_torch.py", """
        # %% Setup
        print("ready")

        # %% Mistake tags=["raises-exception"] mistake="value"
        int("eight")

        # %% After
        print("still running")
    """)
    data = EaseOfUseData.model_validate({"task": "mistake", **notebook_run.run_example(example, timeout=60)})
    nbformat.validate(nbformat.from_dict(data.notebook))
    assert [(c.title, c.first_line, c.last_line, c.expects_error) for c in data.cells] == [
        ("Setup", 2, 2, False), ("Mistake", 5, 5, True), ("After", 8, 8, False)]
    error = data.cells[1].error
    assert (error.type, error.module, error.line, error.code) == ("ValueError", "builtins", 5, 'int("eight")')
    assert "eight" in error.message
    outputs = [cell["outputs"] for cell in data.notebook["cells"]]
    assert _text(outputs[0][0]["text"]) == "ready\n" and _text(outputs[2][0]["text"]) == "still running\n"
    assert outputs[1][0]["output_type"] == "error" and outputs[1][0]["ename"] == "ValueError"
    assert data.notebook["cells"][1]["metadata"]["mistake"] == "value"

    quiet = _write(tmp_path / "quiet_torch.py", '# %% Mistake tags=["raises-exception"]\nx = 1\n')
    with pytest.raises(notebook_run.ExampleFailed, match=r"quiet_torch\.py:2: cell 'Mistake' is tagged raises-exception "
                                                         r"but raised nothing$"):
        notebook_run.run_example(quiet, timeout=60)


def test_outputs_carry_no_path_of_the_machine_and_no_stray_stderr(tmp_path: Path) -> None:
    example = _write(tmp_path / "paths_torch.py", """
        # %% Where am I
        import os
        import sys
        import traceback

        print(os.getcwd())
        print(traceback.format_stack()[-1].strip().splitlines()[0])
        print(sys.executable)

        # %% Framework noise on stderr
        print("noise from a framework", file=sys.stderr)

        # %% A warning that is the lesson tags=["shows-warning"]
        import warnings

        warnings.warn("kept: this cell teaches it")
    """)
    data = notebook_run.run_example(example, timeout=60)
    text = json.dumps(data["notebook"]).replace(str(example), "")  # the example's own path (in the checkout: relative)
    assert str(tmp_path) not in text and str(REPO_ROOT) not in text and "ipykernel_" not in text
    where, frame, executable = _text(data["notebook"]["cells"][0]["outputs"][0]["text"]).splitlines()
    assert where == "."  # the scratch folder the kernel ran in is its current folder: nothing of the machine
    assert frame.startswith(f'File "{example}", line 7')  # the kernel's cell file: the example, at the file's line
    assert executable == ".venv/bin/python" or not executable.startswith("/")
    assert data["notebook"]["cells"][1]["outputs"] == []
    assert data["removed_stderr"] == ["noise from a framework"]
    kept = data["notebook"]["cells"][2]["outputs"]
    assert kept and kept[0]["name"] == "stderr" and "kept: this cell teaches it" in _text(kept[0]["text"])


def _record(task: str, framework: str, payload: dict) -> dict:
    return {"study": "ease_of_use", "record_id": f"ease_of_use/{framework}/any/example={task}", "framework": framework,
            "device": "cpu", "config": {"example": task}, "status": "ok", "started_utc": "2026-01-01T00:00:00Z",
            "wall_seconds": 3.0, "data": {"task": task, **payload}}


def made_up_example_run():
    """A made-up run holding one executed task for both frameworks (a mistake each, with its error)."""
    from contract.schema import StudyRecord
    from tests.made_up_results import made_up_run

    run = made_up_run(run_id="20260105T000000Z-easeof")
    records = []
    for framework, message in (("torch", "mat1 and mat2 shapes cannot be multiplied (16x64 and 8x8)"),
                               ("tensorflow", "Input 0 of layer 'dense' is incompatible: expected axis -1 to have "
                                              "value 64, got shape (16, 8, 8)")):
        source = ["import numpy as np\n", "x = np.zeros((16, 8, 8))\n", "print(x.shape)"]
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("".join(source), metadata={"title": "Setup"},
                                      outputs=[nbformat.v4.new_output("stream", name="stdout", text="(16, 8, 8)\n")]),
            nbformat.v4.new_code_cell("model(x)", metadata={"title": "Shape", "tags": ["raises-exception"],
                                                            "mistake": "shape", "operation": "dense|mat1",
                                                            "offending": [[16, 8, 8]]},
                                      outputs=[nbformat.v4.new_output("error", ename="ValueError", evalue=message,
                                                                      traceback=["\x1b[31mValueError\x1b[39m"])]),
        ])
        payload = {"example": f"benchmarks/studies/ease_of_use/examples/mistakes_{framework}.py",
                   "versions": {"torch": "9.9", "tensorflow-cpu": "8.8", "keras": "7.7"}, "python": "3.11.7",
                   "seconds": 2.5, "removed_stderr": [], "notebook": json.loads(nbformat.writes(notebook)),
                   "cells": [{"index": 0, "title": "Setup", "first_line": 2, "last_line": 4, "expects_error": False},
                             {"index": 1, "title": "Shape", "first_line": 7, "last_line": 7, "expects_error": True,
                              "error": {"type": "ValueError", "module": "builtins", "message": message, "line": 7,
                                        "code": "model(x)"}}]}
        records.append(StudyRecord.model_validate(_record("mistakes", framework, payload)))
    run.studies = records
    return run


def test_tabs_show_each_cell_as_run_with_its_output_error_and_notebook_link() -> None:
    run = made_up_example_run()
    text = examples.task_markdown(run, "mistakes")
    assert '=== "PyTorch"' in text and '=== "TensorFlow"' in text
    assert "**Setup** <small>(lines 2–4)</small>" in text and "(16, 8, 8)" in text
    assert "raised at line 7: model(x)" in text and "mat1 and mat2 shapes cannot be multiplied" in text
    assert f"(notebooks/ease-of-use/{run.run_id}/mistakes_torch.ipynb)" in text
    assert examples.task_markdown(run, "cnn") == "Not measured in this run."
    assert "torch 9.9" in examples.versions_line(run) and run.run_id in examples.versions_line(run)


def test_a_failed_example_shows_its_reason_in_its_tab() -> None:
    from contract.schema import StudyRecord

    run = made_up_example_run()
    run.studies[1] = StudyRecord.model_validate({**run.studies[1].model_dump(), "status": "crashed", "data": {},
                                                 "reason": "ExampleFailed: x.py:3: example raised KeyError: 'k'"})
    text = examples.task_markdown(run, "mistakes")
    assert "This example failed in this run" in text and "example raised KeyError" in text


def test_checklist_and_counts_come_from_the_recorded_notebooks() -> None:
    run = made_up_example_run()
    table = examples.checklist_table(run)
    rows = [line for line in table.splitlines() if line.startswith("| PyTorch") or line.startswith("| TensorFlow")]
    assert len(rows) == 2
    torch_row, tensorflow_row = ([cell.strip() for cell in row.strip("|").split("|")] for row in rows)
    assert torch_row[3:] == ["yes", "no (0 of 1)", "no", "yes"]  # (16x64 and 8x8) does not name (16, 8, 8)
    assert tensorflow_row[3:] == ["yes", "yes (1 of 1)", "no", "yes"]
    metrics = examples.metrics_table(run)
    assert "| mistakes | 4 |" in metrics  # 3 setup lines + model(x)


def test_the_notebook_page_adds_headings_and_a_link_back_and_keeps_the_outputs() -> None:
    from site_scripts.ease_of_use import notebook_pages

    run = made_up_example_run()
    record = run.studies[0]
    page = notebook_pages.page_notebook(run, record)
    nbformat.validate(nbformat.from_dict(page))
    first = page["cells"][0]["source"]
    assert first.startswith("# Ease of use, mistakes: PyTorch")
    assert f"(../../../../ease-of-use--{run.run_id}/)" in first
    assert [c["cell_type"] for c in page["cells"]] == ["markdown", "markdown", "code", "markdown", "code"]
    assert "tagged `raises-exception`" in page["cells"][3]["source"]
    assert page["cells"][4]["outputs"][0]["ename"] == "ValueError"
    assert set(notebook_pages.pages([run])) == {f"notebooks/ease-of-use/{run.run_id}/mistakes_{fw}.ipynb"
                                                for fw in ("torch", "tensorflow")}


SOURCE = '''
# %% A cell marker, a comment and blank lines do not count
import torch
from torch import nn as neural

# a comment line
model = neural.Linear(
    4, 2)  # a trailing comment
losses = []
losses.append(model(torch.zeros(1, 4)).sum().item())
"""A string is one token."""
'''


def test_lines_of_code_exclude_comments_blanks_and_markers() -> None:
    assert code_metrics.lines_of_code(SOURCE) == 7


def test_tokens_exclude_comments_and_layout() -> None:
    assert code_metrics.token_count("x = f(1)  # comment\n\n") == 6
    assert code_metrics.token_count('y = """two\nlines"""\n') == 3


def test_api_names_resolve_imports_and_count_methods_once() -> None:
    assert code_metrics.api_names(SOURCE) == (".item", ".sum", "torch.nn.Linear", "torch.zeros")
    own = "import torch\nclass Net:\n    def run(self):\n        pass\nNet().run()\ntorch.ones(1).backward()\n"
    assert code_metrics.api_names(own) == (".backward", "torch.ones")


def _error(message: str, line: int | None = 12) -> dict:
    return {"type": "RuntimeError", "module": "builtins", "message": message, "line": line,
            "code": "model(x)" if line else None}


def test_checklist_finds_shapes_dtypes_and_the_operation_in_the_message() -> None:
    metadata = {"operation": "dense", "offending": [[16, 8, 8], [64]]}
    keras_like = _error("Input 0 of layer 'dense' expected axis -1 to have value 64, but got shape (16, 8, 8)")
    result = error_checklist.check(keras_like, metadata, "examples/mistakes_tensorflow.py")
    assert result.names_operation and result.names_offending and (result.offending_found, result.offending_expected) == (2, 2)
    assert not result.names_source_line and result.traceback_reaches_source_line

    torch_like = _error("mat1 and mat2 shapes cannot be multiplied (128x8 and 64x32)")
    result = error_checklist.check(torch_like, metadata, "examples/mistakes_torch.py")
    assert not result.names_operation and not result.names_offending and result.offending_found == 1

    dtypes = {"offending": ["double|float64", "float(?!64)|float32"]}
    assert error_checklist.check(_error("got Double and Float"), dtypes, "m.py").names_offending
    assert error_checklist.check(_error("got Double and Half"), dtypes, "m.py").offending_found == 1


def test_checklist_shapes_do_not_match_inside_larger_numbers() -> None:
    assert not error_checklist.shape_pattern([16, 8]).search("116, 80")
    assert error_checklist.shape_pattern([16, 8]).search("16x8")


def test_checklist_source_line_needs_the_file_and_its_line() -> None:
    in_message = _error('File "benchmarks/x/mistakes_tensorflow.py", line 12, in <module>')
    assert error_checklist.check(in_message, {}, "benchmarks/x/mistakes_tensorflow.py").names_source_line
    other_line = _error('File "mistakes_tensorflow.py", line 99')
    assert not error_checklist.check(other_line, {}, "benchmarks/x/mistakes_tensorflow.py").names_source_line


def test_checklist_metadata_that_is_no_regular_expression_is_matched_as_text() -> None:
    """The metadata comes from a result file: `*x` or a shape of words must not fail the build (the hostile-input
    build caught "nothing to repeat")."""
    metadata = {"operation": "*dense(", "offending": [["<b>", 8], "[unclosed"]}
    result = error_checklist.check(_error("layer *dense( got <b>, 8 and [unclosed"), metadata, "m.py")
    assert result.names_operation and result.names_offending
    assert not error_checklist.check(_error("layer dense got 8"), metadata, "m.py").names_operation


def test_a_recorded_source_that_is_not_python_measures_as_none_and_shows_as_such() -> None:
    """A result file's example source is untrusted: the hostile-input build caught an unterminated string."""
    assert code_metrics.measure("x = 'unterminated\n") is None
    assert code_metrics.measure("def f(:\n") is None
    assert code_metrics.measure("x = f(1)\n").tokens == 6
