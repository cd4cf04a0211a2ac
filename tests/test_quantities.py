"""One quantity, one definition (issue 14): inference latency, framework import time and time to target appear on
several pages, measured differently. Every table header that names such a figure must be a label registered in
site_scripts/text/quantities.py, and every page that shows a label prints that label's one definition, so two pages
never show the same labelled quantity from different definitions, and a reader sees why two figures of a kind differ.

The fast test renders every placeholder of every page for every committed run that has what it needs (the executed
ease-of-use examples and error checklist excepted: they run code and show it and its output, not these figures); the
e2e test reads the built site, all of it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_scripts.text import quantities
from tests.conftest import REPO_ROOT

SKIPPED_PLACEHOLDERS = re.compile(r"^ease_(task_|error_checklist$)")
LABEL_DEFINITION = re.compile(r"\*\*(?P<label>[^*]+)\*\*: (?P<definition>[^\n]+)")


def kind_of(header: str) -> str | None:
    return next((name for name, kind in quantities.KINDS.items() if kind.header_pattern.search(header)), None)


def plain(text: str) -> str:
    """A definition as a built page's text has it: code spans lose their backticks."""
    return " ".join(text.replace("`", "").split())


def registered(kind: str) -> dict[str, str]:
    """label -> definition of the kind's quantities."""
    return {q.label: plain(q.definition) for q in quantities.QUANTITIES.values() if q.kind == kind}


def violations(pages: dict[str, tuple[list[str], str]]) -> list[str]:
    """pages: name -> (its table headers, its text). Every problem the rule forbids, as a sentence."""
    problems, seen = [], {}
    for page, (headers, text) in sorted(pages.items()):
        for header in headers:
            kind = kind_of(header)
            if kind is None:
                continue
            definitions = registered(kind)
            if header not in definitions:
                problems.append(f"{page}: header {header!r} shows a figure of kind {kind!r} under a label that "
                                f"site_scripts/text/quantities.py does not register ({sorted(definitions)})")
                continue
            printed = {plain(m["definition"]) for m in LABEL_DEFINITION.finditer(text) if m["label"] == header}
            if printed != {definitions[header]}:
                problems.append(f"{page}: {header!r} is shown with the definitions {sorted(printed)}, not exactly "
                                f"the registered one")
            seen.setdefault(header, {})[page] = printed
    for label, by_page in seen.items():
        if len({frozenset(d) for d in by_page.values()}) > 1:
            problems.append(f"{label!r} is defined differently on {sorted(by_page)}")
    return problems


def markdown_headers(markdown: str) -> list[str]:
    """Header cells of every Markdown table (a row followed by a |---| separator), unescaped."""
    lines = markdown.splitlines()
    headers = []
    for line, below in zip(lines, lines[1:]):
        if line.strip().startswith("|") and re.fullmatch(r"\s*\|(\s*:?-{3,}:?\s*\|)+\s*", below):
            headers += [re.sub(r"\\(.)", r"\1", cell.strip()) for cell in line.strip().strip("|").split("|")]
    # Tables written as HTML (the Home matrix) have their column headers in <thead>.
    for head in re.findall(r"<thead>(.*?)</thead>", markdown, re.S):
        headers += [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    return headers


def test_the_registry_gives_each_label_one_kind_and_each_kind_distinct_definitions():
    labels = [q.label for q in quantities.QUANTITIES.values()]
    assert len(labels) == len(set(labels))
    for q in quantities.QUANTITIES.values():
        assert kind_of(q.label) == q.kind, q.label  # a page's header of this label is recognised as its kind
        assert q.definition.endswith(".") and "\n" not in q.definition
    for kind in quantities.KINDS:
        definitions = list(registered(kind).values())
        assert len(definitions) == len(set(definitions)), kind  # one definition twice would be one quantity


def test_the_check_catches_an_unregistered_label_a_missing_definition_and_two_definitions():
    label = quantities.label("latency_p50")
    good = f"| a | {label} |\n|---|---|\n\n{quantities.definition_line('latency_p50')}"
    assert violations({"performance": (markdown_headers(good), good)}) == []
    ad_hoc = "| a | latency (median) |\n|---|---|"
    assert "does not register" in violations({"ecosystem": (markdown_headers(ad_hoc), ad_hoc)})[0]
    bare = f"| a | {label} |\n|---|---|"
    assert "not exactly the registered one" in violations({"performance": (markdown_headers(bare), bare)})[0]
    other = f"| {label} |\n|---|\n\n**{label}**: batch 8, first call included."
    found = violations({"performance": (markdown_headers(good), good), "ecosystem": (markdown_headers(other), other)})
    assert any("defined differently" in p for p in found) and any("not exactly" in p for p in found)


def rendered_pages() -> dict[str, tuple[list[str], str]]:
    """Every page's placeholders rendered for every committed run with what each needs (each page variant)."""
    from contract.files import complete_runs, load_run
    from site_scripts import placeholders

    placeholders.load_pages()
    runs = [load_run(path) for path in complete_runs(REPO_ROOT / "results")]
    pages, every_run = {}, {}
    for markdown in sorted((REPO_ROOT / "docs").glob("*.md")):
        names = [n for n in placeholders.PLACEHOLDER.findall(markdown.read_text()) if not SKIPPED_PLACEHOLDERS.match(n)]
        for run in runs:
            parts = []
            for name in names:
                render, needs = placeholders.PLACEHOLDERS[name], placeholders.NEEDS.get(name)
                if name in placeholders.ALL_RUNS:
                    parts.append(every_run.setdefault(name, render(runs)))
                elif needs is None or needs(run):
                    parts.append(render(run))
            text = "\n\n".join(parts)
            pages[f"{markdown.stem}--{run.run_id}"] = (markdown_headers(text), text)
    return pages


def test_every_rendered_page_shows_these_figures_only_under_registered_labels_with_their_one_definition():
    pages = rendered_pages()
    assert violations(pages) == []
    shown = {h for headers, _ in pages.values() for h in headers}
    # The committed runs do show each kind somewhere: the check is not vacuous.
    for key in ("latency_p50", "export_latency", "export_original_latency", "import_in_timing_process",
                "import_fresh_interpreter", "time_to_target", "time_to_target_per_seed"):
        assert quantities.label(key) in shown, key


class _PageText(HTMLParser):
    """A built page's table headers and its article text (tags dropped, code kept as text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.text: list[str] = []
        self._header: list[str] | None = None
        self._strong = False

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self._header = []
        if tag == "strong":
            self.text.append("**")
        if tag in ("p", "li", "td", "th", "div", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "th" and self._header is not None:
            self.headers.append(" ".join("".join(self._header).split()))
            self._header = None
        if tag == "strong":
            self.text.append("**")

    def handle_data(self, data):
        if self._header is not None:
            self._header.append(data)
        self.text.append(data)


@pytest.mark.e2e
def test_the_built_site_shows_these_figures_only_under_registered_labels_with_their_one_definition(committed_site):
    pages = {}
    for path in sorted(Path(committed_site).rglob("index.html")):
        parser = _PageText()
        parser.feed(path.read_text(encoding="utf-8"))
        text = "".join(parser.text)
        pages[str(path.parent.relative_to(committed_site))] = (parser.headers, text)
    assert violations(pages) == []
