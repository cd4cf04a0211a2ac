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


def load_pages() -> None:
    """Import every module of site_scripts.pages, each of which registers its page's placeholders."""
    from site_scripts import pages

    for info in pkgutil.iter_modules(pages.__path__):
        importlib.import_module(f"{pages.__name__}.{info.name}")


def fill_placeholders(markdown: str, runs: RunResult | list[RunResult], *, page: str) -> str:
    """Replace every placeholder; multi-line output keeps the indentation of the line it replaces.

    `runs` are the finished runs, oldest first (or a single run).
    """
    load_pages()
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


def needs_timing_run(run: RunResult) -> bool:
    """What the speed placeholders need: a run whose step times are for speed pages, as the run recorded it
    (a memory-preset run measures memory with one process per case; a studies-only run has no cases)."""
    return run.is_timing_run
