"""Placeholders of the ease-of-use article (docs/ease-of-use.md).

The side-by-side tasks are executed at build time (one placeholder per task, discovered from
docs/ease_of_use/); the graph-mode pitfalls and start-up costs come from the newest run that
measured them.

"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.charts import embed, retracing
from site_scripts.ease_of_use import examples
from site_scripts.tables import startup
from site_scripts.text import formatting, provenance_text


def _register_task(task: str) -> None:
    @placeholders.placeholder(f"ease_task_{task}")
    def render(run: RunResult) -> str:
        return examples.task_markdown(task)


for _task in examples.task_names():
    _register_task(_task)


@placeholders.placeholder("ease_versions")
def ease_versions(run: RunResult) -> str:
    return examples.versions_line()


@placeholders.placeholder("ease_code_metrics")
def ease_code_metrics(run: RunResult) -> str:
    return examples.metrics_table()


@placeholders.placeholder("ease_error_checklist")
def ease_error_checklist(run: RunResult) -> str:
    return examples.checklist_table()


def _provenance(run: RunResult) -> str:
    command = provenance_text.reproduce_command(run)  # names the run's studies
    return "\n\n".join([f"Reproduce: {formatting.code_span(command)}", formatting.cell(provenance_text.run_caption(run))])


@placeholders.placeholder("ease_retracing", needs=retracing.has_retracing)
def ease_retracing(run: RunResult) -> str:
    if not run.study_records("retracing"):
        return formatting.NOT_MEASURED
    return "\n\n".join([
        retracing.retracing_table(run),
        embed.embed_figure(retracing.retracing_figure(run), "chart-retracing-cumulative"),
        formatting.folded("What the frameworks said", retracing.retracing_warnings(run)),
        _provenance(run),
    ])


@placeholders.placeholder("ease_startup", needs=startup.has_startup)
def ease_startup(run: RunResult) -> str:
    table = startup.startup_table(run)
    if table == formatting.NOT_MEASURED:
        return table
    return "\n\n".join([table, _provenance(run)])
