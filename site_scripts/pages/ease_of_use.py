"""Placeholders of the ease-of-use article (docs/ease-of-use.md).

The side-by-side tasks come from the executed notebooks a run stored (the `ease_of_use` study of
`fwbench run`); the page names each task it shows with a placeholder `ease_task_<task>`, so the tasks
are found on the page itself. The graph-mode pitfalls and start-up costs come from the run that
measured them.

"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.charts import embed, retracing
from site_scripts.ease_of_use import examples
from site_scripts.paths import DOCS_DIR
from site_scripts.tables import startup
from site_scripts.text import formatting, provenance_text

ARTICLE = DOCS_DIR / "ease-of-use.md"
TASK_PREFIX = "ease_task_"


def article_tasks() -> list[str]:
    """The tasks the article shows: one `{{ fwbench.ease_task_<task> }}` each, in page order."""
    names = placeholders.PLACEHOLDER.findall(ARTICLE.read_text(encoding="utf-8")) if ARTICLE.is_file() else []
    return [name.removeprefix(TASK_PREFIX) for name in dict.fromkeys(names) if name.startswith(TASK_PREFIX)]


def _register_task(task: str) -> None:
    @placeholders.placeholder(f"{TASK_PREFIX}{task}", needs=examples.has_examples)
    def render(run: RunResult) -> str:
        return examples.task_markdown(run, task)


for _task in article_tasks():
    _register_task(_task)


@placeholders.placeholder("ease_versions", needs=examples.has_examples)
def ease_versions(run: RunResult) -> str:
    return examples.versions_line(run) or formatting.NOT_MEASURED


@placeholders.placeholder("ease_code_metrics", needs=examples.has_examples)
def ease_code_metrics(run: RunResult) -> str:
    table = examples.metrics_table(run)
    if table == formatting.NOT_MEASURED:
        return table
    return "\n\n".join([formatting.conclusion(examples.metrics_conclusion(run)), table])


@placeholders.placeholder("ease_error_checklist", needs=examples.has_examples)
def ease_error_checklist(run: RunResult) -> str:
    table = examples.checklist_table(run)
    conclusion = examples.checklist_conclusion(run)
    if conclusion == formatting.NOT_MEASURED:
        return table
    return "\n\n".join([formatting.conclusion(conclusion), table])


def _provenance(run: RunResult) -> str:
    command = provenance_text.reproduce_command(run)  # names the run's studies
    return "\n\n".join([f"Reproduce: {formatting.code_span(command)}", formatting.cell(provenance_text.run_caption(run))])


@placeholders.placeholder("ease_retracing", needs=retracing.has_retracing)
def ease_retracing(run: RunResult) -> str:
    if not run.study_records("retracing"):
        return formatting.NOT_MEASURED
    return "\n\n".join([
        formatting.conclusion(retracing.conclusion(run)),
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
