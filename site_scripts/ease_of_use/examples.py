"""The executed side-by-side tasks of the ease-of-use article: discovery, tabs, counts, error checklist.

A task is a pair of files by rule, `docs/ease_of_use/<task>_torch.py` and
`<task>_tensorflow.py`, so adding a task never edits a list. Everything here is rendered from
the examples as they ran during this build (site_scripts.ease_of_use.execution), never typed.

"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from contract.schema import FRAMEWORKS
from site_scripts.ease_of_use import code_metrics, error_checklist, execution
from site_scripts.paths import DOCS_DIR
from site_scripts.text import formatting, labels

EXAMPLES_DIR = DOCS_DIR / "ease_of_use"




PACKAGES = {"torch": "torch", "tensorflow": "tensorflow-cpu", "keras": "keras"}


ERROR_HEAD_LINES, ERROR_TAIL_LINES = 4, 10  # long messages (Keras prints the whole input) keep both ends


def task_names(directory: Path = EXAMPLES_DIR) -> list[str]:
    """Tasks that have a file for every framework, in file-name order."""
    stems = {path.stem.rsplit("_", 1)[0] for path in directory.glob("*_torch.py")}
    return sorted(stem for stem in stems if all((directory / f"{stem}_{fw}.py").is_file() for fw in FRAMEWORKS))


def example_paths(task: str, directory: Path = EXAMPLES_DIR) -> dict[str, Path]:
    return {framework: directory / f"{task}_{framework}.py" for framework in FRAMEWORKS}


def all_outcomes(directory: Path = EXAMPLES_DIR) -> dict[Path, execution.ExampleOutcome]:
    """Every example, run once per build: the first placeholder pays for all, two at a time."""
    paths = [path for task in task_names(directory) for path in example_paths(task, directory).values()]
    return execution.run_examples(paths)


def _fence(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _error_text(error: dict) -> str:
    message_lines = error["message"].strip().splitlines()
    left_out = len(message_lines) - ERROR_HEAD_LINES - ERROR_TAIL_LINES
    if left_out > 1:
        message_lines = (message_lines[:ERROR_HEAD_LINES] + [f"[... {left_out} lines left out here ...]"]
                         + message_lines[-ERROR_TAIL_LINES:])
    frame = error.get("user_frame") or {}
    where = f"raised at line {frame['line']}: {frame['code']}\n" if frame else ""
    return f"{where}{error['module'].replace('builtins', '').strip('.') + '.' if error['module'] != 'builtins' else ''}" \
           f"{error['type']}: " + "\n".join(message_lines)


def cell_markdown(outcome: execution.CellOutcome) -> str:
    cell = outcome.cell
    parts = [f"**{formatting.cell(cell.title)}** <small>(lines {cell.first_line}–"
             f"{cell.first_line + cell.source.count(chr(10)) - 1})</small>" if cell.title else "",
             _fence(cell.source, "python")]
    if outcome.output.strip():
        parts.append(_fence(outcome.output, "text"))
    if outcome.error:
        parts.append('!!! failure "The error it raised, as captured"\n\n' + _indent(_fence(_error_text(outcome.error), "text")))
    return "\n\n".join(part for part in parts if part)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def tabs_markdown(outcomes: dict[str, execution.ExampleOutcome]) -> str:
    """Content tabs, one per framework, each cell's source followed by what it printed."""
    blocks = []
    for framework, outcome in outcomes.items():
        body = "\n\n".join(cell_markdown(cell) for cell in outcome.cells)
        caption = f"`{execution.display_path(outcome.path)}`, executed during this build in {formatting.significant(outcome.seconds, 2)} s"
        blocks.append(f'=== "{labels.framework_name(framework)}"\n\n{_indent(body)}\n\n{_indent(caption)}')
    return "\n\n".join(blocks)


def task_markdown(task: str, directory: Path = EXAMPLES_DIR) -> str:
    outcomes = all_outcomes(directory)
    return tabs_markdown({fw: outcomes[path] for fw, path in example_paths(task, directory).items()})


def installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions_line() -> str:
    return "Executed with " + ", ".join(f"{name} {installed_version(package)}" for name, package in PACKAGES.items()) \
        + ", on the machine that built this site."


def metrics_table(directory: Path = EXAMPLES_DIR) -> str:
    headers = ["Task"] + [f"{labels.framework_name(fw)} {what}" for fw in FRAMEWORKS
                          for what in ("lines", "tokens", "API names")]
    rows, details = [], []
    for task in task_names(directory):
        row = [formatting.cell(task.replace("_", " "))]
        for framework, path in example_paths(task, directory).items():
            measured = code_metrics.measure(path.read_text(encoding="utf-8"))
            row += [str(measured.lines_of_code), str(measured.tokens), str(len(measured.api_names))]
            names = ", ".join(formatting.code_span(name) for name in measured.api_names)
            details.append(f"- {formatting.cell(task.replace('_', ' '))}, {labels.framework_name(framework)}: {names}")
        rows.append(row)
    listing = '??? note "The API names counted"\n\n' + _indent("\n".join(details))
    return "\n\n".join([formatting.table(headers, rows), listing,
                        f"Counting rules: {code_metrics.COUNTING_RULES}"])


def _mark(value: bool) -> str:
    return "yes" if value else "no"


def checklist_table(directory: Path = EXAMPLES_DIR) -> str:
    outcomes = all_outcomes(directory)
    headers = ["Framework", "Mistake", "Error", "Names the layer or operation", "Names the offending shapes or dtypes",
               "Names your source line", "Your line in the traceback"]
    rows = []
    for task in task_names(directory):
        for framework, path in example_paths(task, directory).items():
            for cell in outcomes[path].cells:
                if not cell.error or "mistake" not in cell.cell.metadata:
                    continue
                result = error_checklist.check(cell.error, cell.cell.metadata, path)
                rows.append([labels.framework_name(framework), formatting.cell(cell.cell.title),
                             formatting.code_span(cell.error["type"]), _mark(result.names_operation),
                             f"{_mark(result.names_offending)} ({result.offending_found} of {result.offending_expected})",
                             _mark(result.names_source_line), _mark(result.traceback_reaches_source_line)])
    if not rows:
        return "No example declares a mistake."
    return formatting.table(headers, rows)
