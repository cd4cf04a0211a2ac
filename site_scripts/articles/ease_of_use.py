"""Placeholders of the ease-of-use article (docs/ease-of-use.md).

The side-by-side tasks are executed at build time (one placeholder per task, discovered from
docs/ease_of_use/); the graph-mode pitfalls and start-up costs come from the newest run that
measured them.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import charts, ease_of_use_examples, formatting, naming, retracing_tables
from site_scripts.placeholders import placeholder


def _register_task(task: str) -> None:
    @placeholder(f"ease_task_{task}")
    def render(run: RunResult) -> str:
        return ease_of_use_examples.task_markdown(task)


for _task in ease_of_use_examples.task_names():
    _register_task(_task)


@placeholder("ease_versions")
def ease_versions(run: RunResult) -> str:
    return ease_of_use_examples.versions_line()


@placeholder("ease_code_metrics")
def ease_code_metrics(run: RunResult) -> str:
    return ease_of_use_examples.metrics_table()


@placeholder("ease_error_checklist")
def ease_error_checklist(run: RunResult) -> str:
    return ease_of_use_examples.checklist_table()


def _provenance(run: RunResult) -> str:
    command = naming.reproduce_command(run)  # names the run's studies
    return "\n\n".join([f"Reproduce: {formatting.code_span(command)}", formatting.cell(naming.run_caption(run))])


@placeholder("ease_retracing", needs=retracing_tables.has_retracing)
def ease_retracing(run: RunResult) -> str:
    if not run.study_records("retracing"):
        return retracing_tables.NOT_MEASURED
    return "\n\n".join([
        retracing_tables.retracing_table(run),
        charts.embed_figure(retracing_tables.retracing_figure(run), "chart-retracing-cumulative"),
        formatting.folded("What the frameworks said", retracing_tables.retracing_warnings(run)),
        _provenance(run),
    ])


@placeholder("ease_startup", needs=retracing_tables.has_startup)
def ease_startup(run: RunResult) -> str:
    table = retracing_tables.startup_table(run)
    if table == retracing_tables.NOT_MEASURED:
        return table
    return "\n\n".join([table, _provenance(run)])
