"""Build-time examples of the ease-of-use article: cells, execution, failures, counting rules, checklist."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from site_scripts.ease_of_use import code_metrics, error_checklist, example_cells, examples, execution


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_cells_keep_their_titles_metadata_and_file_line_numbers() -> None:
    text = '# %% First\nx = 1\n\n# %% Second tags=["raises-exception"] offending=[[16, 8], "double"]\n1 / 0\n'
    first, second = example_cells.parse_cells(text)
    assert (first.title, first.first_line, first.source) == ("First", 2, "x = 1\n")
    assert second.title == "Second" and second.first_line == 5
    assert second.metadata == {"tags": ["raises-exception"], "offending": [[16, 8], "double"]}
    assert second.expects_error and not first.expects_error
    assert second.padded_source.count("\n") == 5  # compiled line 5 is the file's line 5


def test_a_cell_header_that_is_not_json_is_refused_in_one_line() -> None:
    with pytest.raises(example_cells.ExampleFormatError, match=r"^ex\.py:1: cell metadata tags= is not JSON$"):
        example_cells.parse_cells("# %% Title tags=[oops\nx = 1\n", "ex.py")


def test_a_broken_example_raises_one_line_naming_file_and_line(tmp_path: Path) -> None:
    example = _write(tmp_path / "broken_torch.py", """
        # %% Fine
        print("fine")

        # %% Broken
        value = {}["missing"]
    """)
    with pytest.raises(execution.ExampleError) as raised:
        execution.run_example(example)
    assert str(raised.value) == f"{example}:5: example raised KeyError: 'missing'"


def test_expected_errors_are_captured_and_a_missing_one_fails(tmp_path: Path) -> None:
    example = _write(tmp_path / "mistake_torch.py", """
        # %% Setup
        print("ready")

        # %% Mistake tags=["raises-exception"]
        int("eight")

        # %% After
        print("still running")
    """)
    outcome = execution.run_example(example)
    assert [cell.output for cell in outcome.cells] == ["ready\n", "", "still running\n"]
    error = outcome.cells[1].error
    assert error["type"] == "ValueError" and "eight" in error["message"]
    assert error["user_frame"] == {"line": 5, "code": 'int("eight")'}

    quiet = _write(tmp_path / "quiet_torch.py", '# %% Mistake tags=["raises-exception"]\nx = 1\n')
    with pytest.raises(execution.ExampleError, match=r"quiet_torch\.py:2: cell 'Mistake' is tagged raises-exception but raised nothing$"):
        execution.run_example(quiet)


def test_a_broken_example_fails_a_strict_mkdocs_build_with_one_line(tmp_path: Path) -> None:
    """The real path: a page whose example raises aborts `mkdocs build`, and the error names the file."""
    examples = tmp_path / "examples"
    examples.mkdir()
    _write(examples / "task_torch.py", 'print("ok")\n')
    _write(examples / "task_tensorflow.py", 'print("about to fail")\nraise RuntimeError("deliberately broken")\n')
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Page\n\nTASK\n", encoding="utf-8")
    _write(tmp_path / "hook.py", f"""
        from pathlib import Path
        from site_scripts.ease_of_use import examples as ease_of_use_examples

        def on_page_markdown(markdown, page, config, files):
            return markdown.replace("TASK", ease_of_use_examples.task_markdown("task", Path({str(examples)!r})))
    """)
    _write(tmp_path / "mkdocs.yml", """
        site_name: test
        strict: true
        hooks: [hook.py]
    """)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                           cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode != 0
    expected = f"{examples / 'task_tensorflow.py'}:2: example raised RuntimeError: deliberately broken"
    assert any(line.endswith(f"-  {expected}") for line in built.stderr.splitlines()), built.stderr


def test_tasks_are_discovered_as_pairs_of_files(tmp_path: Path) -> None:
    for name in ("a_torch.py", "a_tensorflow.py", "b_torch.py", "two_words_torch.py", "two_words_tensorflow.py"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    assert examples.task_names(tmp_path) == ["a", "two_words"]


def test_every_article_task_has_both_frameworks() -> None:
    assert set(examples.task_names()) >= {
        "cnn", "training_loop", "custom_gradient", "checkpoint", "debugging", "data_pipeline", "mistakes"}


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
    return {"type": "RuntimeError", "module": "builtins", "message": message,
            "user_frame": {"line": line, "code": "model(x)"} if line else None}


def test_checklist_finds_shapes_dtypes_and_the_operation_in_the_message() -> None:
    metadata = {"operation": "dense", "offending": [[16, 8, 8], [64]]}
    keras_like = _error("Input 0 of layer 'dense' expected axis -1 to have value 64, but got shape (16, 8, 8)")
    result = error_checklist.check(keras_like, metadata, Path("mistakes_tensorflow.py"))
    assert result.names_operation and result.names_offending and (result.offending_found, result.offending_expected) == (2, 2)
    assert not result.names_source_line and result.traceback_reaches_source_line

    torch_like = _error("mat1 and mat2 shapes cannot be multiplied (128x8 and 64x32)")
    result = error_checklist.check(torch_like, metadata, Path("mistakes_torch.py"))
    assert not result.names_operation and not result.names_offending and result.offending_found == 1

    dtypes = {"offending": ["double|float64", "float(?!64)|float32"]}
    assert error_checklist.check(_error("got Double and Float"), dtypes, Path("m.py")).names_offending
    assert error_checklist.check(_error("got Double and Half"), dtypes, Path("m.py")).offending_found == 1


def test_checklist_shapes_do_not_match_inside_larger_numbers() -> None:
    assert not error_checklist.shape_pattern([16, 8]).search("116, 80")
    assert error_checklist.shape_pattern([16, 8]).search("16x8")


def test_checklist_source_line_needs_the_file_and_its_line() -> None:
    in_message = _error('File "mistakes_tensorflow.py", line 12, in <module>')
    assert error_checklist.check(in_message, {}, Path("/x/mistakes_tensorflow.py")).names_source_line
    other_line = _error('File "mistakes_tensorflow.py", line 99')
    assert not error_checklist.check(other_line, {}, Path("/x/mistakes_tensorflow.py")).names_source_line
