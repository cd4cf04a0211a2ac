"""The side-by-side tasks of the ease-of-use article, rendered from the executed notebooks a run stored.

`fwbench run` executes each example as a notebook (the `ease_of_use` study: jupytext reads it,
nbclient runs it in a kernel of its own) and stores the executed notebook in the run. This module
turns those notebooks into the article's tabs, counts and error checklist; it never runs an example.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from contract.payloads import EaseOfUseData, payload
from contract.schema import FRAMEWORKS, RunResult, StudyRecord
from site_scripts.ease_of_use import code_metrics, error_checklist
from site_scripts.text import formatting, labels, provenance_text

STUDY = "ease_of_use"


ERROR_HEAD_LINES, ERROR_TAIL_LINES = 4, 10  # long messages (Keras prints the whole input) keep both ends


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def has_examples(run: RunResult) -> bool:
    return bool(run.study_records(STUDY))


def task_of(record: StudyRecord) -> str:
    return str(record.config.get("example", ""))


def records_of(run: RunResult, task: str) -> dict[str, StudyRecord]:
    """framework -> the run's record of this task's example, in the frameworks' order."""
    found = {record.framework: record for record in run.study_records(STUDY) if task_of(record) == task}
    return {framework: found[framework] for framework in FRAMEWORKS if framework in found}


def tasks_of(run: RunResult) -> list[str]:
    return list(dict.fromkeys(task_of(record) for record in run.study_records(STUDY)))


def notebook_src_uri(run: RunResult, record: StudyRecord) -> str:
    """Where the build writes this record's executed notebook as a page (docs-relative). The task and framework
    names come from a result file, so a name that is not a plain identifier becomes a slug plus a digest of it:
    never a path separator, a newline or a placeholder in a file name, and two names never share one."""
    return f"notebooks/ease-of-use/{run.run_id}/{_file_name_part(task_of(record))}_{_file_name_part(record.framework)}.ipynb"


def _file_name_part(name: str) -> str:
    if re.fullmatch(r"[a-z0-9][a-z0-9_]{0,39}", name):
        return name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:32] or "name"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True)
class ShownCell:
    """A code cell as the article shows it: its source, what it printed, the error it raised."""

    title: str
    first_line: int
    last_line: int
    source: str
    output: str
    error: dict[str, Any] | None
    metadata: dict[str, Any]
    shows_warning: bool


def plain(text: str) -> str:
    return ANSI_ESCAPE.sub("", text)


def _joined(value: str | list[str]) -> str:
    """nbformat stores multi-line text as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def _text_of(output: dict[str, Any]) -> str:
    if output.get("output_type") == "stream":
        text = _joined(output.get("text", ""))
    elif output.get("output_type") in ("execute_result", "display_data"):
        text = _joined(output.get("data", {}).get("text/plain", ""))
        text = text + "\n" if text and not text.endswith("\n") else text
    else:
        return ""
    return plain(text)


def shown_cells(data: EaseOfUseData) -> list[ShownCell]:
    notebook_cells = data.notebook.get("cells", [])
    shown = []
    for cell in data.cells:
        nb_cell = notebook_cells[cell.index]
        source = _joined(nb_cell.get("source", ""))
        shown.append(ShownCell(
            title=cell.title, first_line=cell.first_line, last_line=cell.last_line, source=source.rstrip() + "\n",
            output="".join(_text_of(output) for output in nb_cell.get("outputs", [])),
            error=cell.error.model_dump() if cell.error else None, metadata=dict(nb_cell.get("metadata", {})),
            shows_warning="shows-warning" in nb_cell.get("metadata", {}).get("tags", [])))
    return shown


def example_source(data: EaseOfUseData) -> str:
    """The code cells as one program: what the counting rules count (cell markers are not counted anyway)."""
    return "\n\n".join(cell.source.rstrip() for cell in shown_cells(data)) + "\n"


def _fence(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _error_text(error: dict[str, Any]) -> str:
    message_lines = error["message"].strip().splitlines()
    left_out = len(message_lines) - ERROR_HEAD_LINES - ERROR_TAIL_LINES
    if left_out > 1:
        message_lines = (message_lines[:ERROR_HEAD_LINES] + [f"[... {left_out} lines left out here ...]"]
                         + message_lines[-ERROR_TAIL_LINES:])
    where = f"raised at line {error['line']}: {error['code']}\n" if error.get("line") else ""
    module = "" if error["module"] == "builtins" else error["module"] + "."
    return f"{where}{module}{error['type']}: " + "\n".join(message_lines)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def cell_markdown(cell: ShownCell) -> str:
    parts = [f"**{formatting.cell(cell.title)}** <small>(lines {cell.first_line}–{cell.last_line})</small>"
             if cell.title else "", _fence(cell.source, "python")]
    if cell.output.strip():
        parts.append(_fence(cell.output, "text"))
    if cell.shows_warning:
        parts.append("The warning above is part of the lesson: the cell is tagged `shows-warning`, so the run kept "
                     "what it printed on stderr.")
    if cell.error:
        parts.append('!!! failure "The error it raised, as captured"\n\n' + _indent(_fence(_error_text(cell.error), "text")))
    return "\n\n".join(part for part in parts if part)


def framework_tab(run: RunResult, framework: str, record: StudyRecord | None) -> str:
    """One tab: the example's cells as the run executed them, or why there is nothing to show."""
    if record is None:
        body = formatting.NOT_MEASURED
    elif record.status != "ok":
        body = ('!!! failure "This example failed in this run"\n\n'
                + _indent(_fence(f"{record.status}: {record.reason or 'no reason recorded'}", "text")))
    else:
        data: EaseOfUseData = payload(record)
        cells = "\n\n".join(cell_markdown(cell) for cell in shown_cells(data))
        # The article is at the docs root, so the notebook's docs path is also the link (MkDocs checks it).
        body = (f"{cells}\n\n{formatting.code_span(data.example)}, run as a notebook by `fwbench run` in run "
                f"{formatting.code_span(run.run_id)} in {formatting.significant(data.seconds, 2)} s: "
                f"[the executed notebook]({notebook_src_uri(run, record)}), with its downloads (`.ipynb` and `.py`).")
    return f'=== "{labels.framework_name(framework)}"\n\n{_indent(body)}'


def task_markdown(run: RunResult, task: str) -> str:
    """Content tabs, one per framework, each cell's source followed by what it printed."""
    records = records_of(run, task)
    if not records:
        return formatting.NOT_MEASURED
    return "\n\n".join(framework_tab(run, framework, records.get(framework)) for framework in FRAMEWORKS)


def versions_line(run: RunResult) -> str:
    """Which versions ran the examples: the kernel's environment as the run recorded it."""
    data = [payload(record) for record in run.study_records(STUDY) if record.status == "ok"]
    if not data:
        return ""
    versions: dict[str, str] = {}
    for entry in data:
        versions.update(entry.versions)
    shown = ", ".join(f"{name} {version}" for name, version in versions.items()
                      if name in ("torch", "tensorflow-cpu", "tensorflow", "keras"))
    return (f"Executed by `fwbench run` in run {formatting.code_span(run.run_id)} ({formatting.cell(provenance_text.run_caption(run))}), "
            f"with {formatting.cell(shown)} on Python {formatting.cell(data[0].python)}.")


def ok_data(run: RunResult, task: str) -> dict[str, EaseOfUseData]:
    return {framework: payload(record) for framework, record in records_of(run, task).items() if record.status == "ok"}


def metrics_table(run: RunResult) -> str:
    headers = ["Task"] + [f"{labels.framework_name(fw)} {what}" for fw in FRAMEWORKS
                          for what in ("lines", "tokens", "API names")]
    rows, details = [], []
    for task in tasks_of(run):
        data = ok_data(run, task)
        row = [formatting.cell(task.replace("_", " "))]
        for framework in FRAMEWORKS:
            if framework not in data:
                row += [formatting.MISSING] * 3
                continue
            measured = code_metrics.measure(example_source(data[framework]))
            if measured is None:
                row += ["not Python", formatting.MISSING, formatting.MISSING]
                continue
            row += [str(measured.lines_of_code), str(measured.tokens), str(len(measured.api_names))]
            names = ", ".join(formatting.code_span(name) for name in measured.api_names)
            details.append(f"- {formatting.cell(task.replace('_', ' '))}, {labels.framework_name(framework)}: {names}")
        rows.append(row)
    if not rows:
        return formatting.NOT_MEASURED
    listing = '??? note "The API names counted"\n\n' + _indent("\n".join(details))
    return "\n\n".join([formatting.table(headers, rows), listing, f"Counting rules: {code_metrics.COUNTING_RULES}"])


def code_sizes(run: RunResult | None, tasks: list[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Per task with every framework's example executed in `run`: the counts of each side's code, as run (the
    article's totals and the code-size claims read the same counts). A recorded source that is not Python leaves
    its task out rather than half-counted."""
    out = []
    for task in tasks_of(run) if run is not None else []:
        if tasks is not None and task not in tasks:
            continue
        data = ok_data(run, task)
        if set(FRAMEWORKS) <= set(data):
            measured = {fw: code_metrics.measure(example_source(data[fw])) for fw in FRAMEWORKS}
            if None not in measured.values():
                out.append((task, measured))
    return out


def metrics_conclusion(run: RunResult) -> str:
    """'Summed over the 7 tasks: PyTorch 312 lines, 2,345 tokens; TensorFlow …': the table's totals in a sentence."""
    totals: dict[str, list[int]] = {}
    sizes = code_sizes(run)
    for _, measured_by_framework in sizes:
        for framework, measured in measured_by_framework.items():
            total = totals.setdefault(framework, [0, 0])
            total[0] += measured.lines_of_code
            total[1] += measured.tokens
    tasks = len(sizes)
    if not tasks:
        return formatting.NOT_MEASURED
    parts = [f"{labels.framework_name(fw)} {lines:,} lines and {tokens:,} tokens" for fw, (lines, tokens) in totals.items()]
    return formatting.cell(f"Summed over the {tasks} tasks both frameworks ran: {'; '.join(parts)}.")


def checked_mistakes(run: RunResult) -> list[tuple[str, ShownCell, error_checklist.Checklist]]:
    """(framework, cell, its checklist) for every cell that declares a mistake and raised, in the article's order."""
    return [(framework, cell, error_checklist.check(cell.error, cell.metadata, data.example))
            for task in tasks_of(run) for framework, data in ok_data(run, task).items()
            for cell in shown_cells(data) if cell.error and "mistake" in cell.metadata]


def checklist_conclusion(run: RunResult) -> str:
    """'Of the 3 mistakes, PyTorch's error names the operation in 2 and your line in 3; TensorFlow's …'."""
    counts: dict[str, list[int]] = {}
    for framework, _, result in checked_mistakes(run):
        c = counts.setdefault(framework, [0, 0, 0, 0])
        c[0] += 1
        c[1] += bool(result.names_operation)
        c[2] += bool(result.names_offending)
        c[3] += bool(result.names_source_line)
    if not counts:
        return formatting.NOT_MEASURED
    parts = [f"{labels.framework_name(fw)}'s errors name the operation in {op} of {n}, the offending shapes or dtypes "
             f"in {off} and the source line in {line}" for fw, (n, op, off, line) in counts.items()]
    return formatting.cell("; ".join(parts) + ".")


def _mark(value: bool) -> str:
    return "yes" if value else "no"


def checklist_table(run: RunResult) -> str:
    headers = ["Framework", "Mistake", "Error", "Names the layer or operation", "Names the offending shapes or dtypes",
               "Names your source line", "Your line in the traceback"]
    rows = [[labels.framework_name(framework), formatting.cell(cell.title), formatting.code_span(cell.error["type"]),
             _mark(result.names_operation),
             f"{_mark(result.names_offending)} ({result.offending_found} of {result.offending_expected})",
             _mark(result.names_source_line), _mark(result.traceback_reaches_source_line)]
            for framework, cell, result in checked_mistakes(run)]
    if not rows:
        return "No example declares a mistake."
    return formatting.table(headers, rows)
