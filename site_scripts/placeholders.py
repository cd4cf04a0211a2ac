"""The `{{ fwbench.NAME }}` placeholders: one small function per name, run in, Markdown out.

Pages are prose plus these placeholders, so no measured number is ever typed into a
page. A name nobody registered fails the build, naming the page: a typo must not
publish a page with a hole in it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable

from mkdocs.exceptions import PluginError

from contract.schema import RunResult
from site_scripts import charts, figures, formatting, methodology_tables, naming, sections, tables

PLACEHOLDER = re.compile(r"\{\{\s*fwbench\.([^\s}]*)\s*\}\}")

Render = Callable[[RunResult], str]
Needs = Callable[[RunResult], bool]
PLACEHOLDERS: dict[str, Render] = {}
# What a placeholder needs from a run (memory phases, a study's records): it is filled from the
# newest run that has it, so a quick run of one study does not blank the other articles.
NEEDS: dict[str, Needs] = {}
# Placeholders that draw on several runs at once (the claims page): given every run, oldest first.
ALL_RUNS: set[str] = set()


def placeholder(name: str, needs: Needs | None = None, all_runs: bool = False) -> Callable[[Render], Render]:
    def register(render: Render) -> Render:
        if name in PLACEHOLDERS:
            raise ValueError(f"placeholder {name!r} registered twice")
        PLACEHOLDERS[name] = render
        if needs is not None:
            NEEDS[name] = needs
        if all_runs:
            ALL_RUNS.add(name)
        return render

    return register


def run_for(name: str, runs: list[RunResult]) -> RunResult:
    """The newest run that has what this placeholder needs; the newest run if none has it."""
    needs = NEEDS.get(name)
    if needs is not None:
        for run in reversed(runs):
            if needs(run):
                return run
    return runs[-1]


def load_articles() -> None:
    """Import every module of site_scripts.articles, each of which registers its placeholders."""
    from site_scripts import articles

    for info in pkgutil.iter_modules(articles.__path__):
        importlib.import_module(f"{articles.__name__}.{info.name}")


def fill_placeholders(markdown: str, runs: RunResult | list[RunResult], *, page: str) -> str:
    """Replace every placeholder; multi-line output keeps the indentation of the line it replaces.

    `runs` are the finished runs, oldest first (or a single run).
    """
    load_articles()
    runs = [runs] if isinstance(runs, RunResult) else list(runs)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        render = PLACEHOLDERS.get(name)
        if render is None:
            raise PluginError(
                f"{page}: unknown placeholder {match.group(0)!r}; known: {', '.join(sorted(PLACEHOLDERS))}"
            )
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        before = markdown[line_start : match.start()]
        indent = before if before.isspace() else ""
        rendered = render(runs) if name in ALL_RUNS else render(run_for(name, runs))
        return rendered.replace("\n", "\n" + indent)

    return PLACEHOLDER.sub(replace, markdown)


@placeholder("run_overview")
def run_overview(run: RunResult) -> str:
    """Home page block: which run the site shows, when, on what hardware, with which versions."""
    parts = [tables.run_overview_table(run)]
    if run.status != "complete":
        parts.insert(0, f'!!! warning "Run {run.run_id} is {run.status}"\n\n    Some cases may be missing from every page.')
    return "\n\n".join(parts)


@placeholder("throughput_chart")
def throughput_chart(run: RunResult) -> str:
    """The overview chart (each framework's fastest mode per training configuration), its data, command, caption."""
    data_table = "\n".join(f"    {line}" for line in tables.chart_data_table(run).splitlines())
    return "\n\n".join([
        charts.embed_figure(figures.throughput_figure(run), "chart-throughput"),
        f'??? note "Data behind this chart"\n\n{data_table}',
        f"Reproduce: {formatting.code_span(naming.reproduce_command(run))}",
        formatting.cell(naming.run_caption(run)),
    ])


@placeholder("who_is_faster")
def who_is_faster(run: RunResult) -> str:
    """Every comparison in one table, each row linking to its workload's section."""
    return tables.who_is_faster_table(run)


@placeholder("performance_by_workload")
def performance_by_workload(run: RunResult) -> str:
    """A section per workload of the run: throughput against batch, speed-up, compile time, latency, peak."""
    return sections.performance_by_workload(run)


@placeholder("run_caption")
def run_caption(run: RunResult) -> str:
    return formatting.cell(naming.run_caption(run))


@placeholder("throughput_table")
def throughput_table(run: RunResult) -> str:
    return tables.throughput_table(run)




@placeholder("failures")
def failures(run: RunResult) -> str:
    return tables.failures_table(run)


@placeholder("workloads")
def workloads(run: RunResult) -> str:
    return tables.configurations_table(run)


@placeholder("provenance")
def provenance(run: RunResult) -> str:
    return tables.provenance_table(run)


@placeholder("equivalence")
def equivalence(run: RunResult) -> str:
    return methodology_tables.equivalence_table(run)


@placeholder("peak_matmul")
def peak_matmul(run: RunResult) -> str:
    return methodology_tables.peak_matmul_table(run)


@placeholder("mode_details")
def mode_details(run: RunResult) -> str:
    return methodology_tables.mode_details_table(run)


@placeholder("comparison_rules")
def comparison_rules(run: RunResult) -> str:
    return methodology_tables.comparison_rules(run)


def is_timing_run(run: RunResult) -> bool:
    """Runs of the memory preset measure memory only (one process per case), and a studies-only run
    (--tasks none) has no cases: neither is for the speed pages."""
    return run.is_timing_run


# Every placeholder above is about speed and the run behind it; articles register their own needs.
for _name in PLACEHOLDERS:
    NEEDS.setdefault(_name, is_timing_run)
