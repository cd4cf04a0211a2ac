"""No Python repr (None, True, False, nan) and no internal snake_case id reaches a page's prose.

The scan reads every built page of the committed results (article text only: code spans, code blocks,
scripts, styles and icons are skipped, since a name shown as code is shown as a name). What it finds is
compared with tests/golden/label_leaks.txt, the leaks known today with the module that should fix them:
a new leak fails, and so does a listed one that is gone (delete its line, the list only shrinks;
FWBENCH_UPDATE_LABEL_LEAKS=1 rewrites it from the build).
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

KNOWN = REPO_ROOT / "tests" / "golden" / "label_leaks.txt"
KNOWN_HEADER = ("# Python reprs and internal ids still in page prose (tests/test_page_labels.py): `page kind token  # where`.\n"
                "# Each goes once the text that prints it shows the value as words or as code "
                "(formatting.code_aware_cell, a code span).\n")
SKIPPED = {"pre", "code", "script", "style", "svg", "kbd", "samp", "textarea"}
BREAKS = {"p", "td", "th", "li", "div", "h1", "h2", "h3", "h4", "h5", "br", "tr", "summary", "option", "label", "dt",
          "dd", "caption", "figcaption"}
# "None of the articles", "None defines ...": a capitalised word that opens a clause is English, not a repr.
REPR = re.compile(r"(?<![\w.-])(None|True|False|nan|NaN)(?![\w(-])(?! [a-z])")
SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-]|\.\w)")


# A notebook page's code also sits in a hidden copy of each cell (mkdocs-jupyter's clipboard text), and its output
# tables are pandas DataFrames whose headers are the notebook's own column names: code, not prose.
SKIPPED_CLASSES = {"clipboard-copy-txt", "dataframe"}


class _ArticleText(HTMLParser):
    """The text of a page's <article>, line by line, outside every skipped element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article = self.skipped = 0
        self.parts: list[str] = []
        self.skipped_by_class: list[str | int] | None = None  # [tag, open elements of that tag]

    def handle_starttag(self, tag, attrs):
        self.article += tag == "article"
        self.skipped += tag in SKIPPED
        if self.skipped_by_class is not None:
            self.skipped_by_class[1] += tag == self.skipped_by_class[0]
        elif SKIPPED_CLASSES & set((dict(attrs).get("class") or "").split()):
            self.skipped_by_class = [tag, 1]
        if tag in BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.article -= tag == "article" and self.article > 0
        self.skipped -= tag in SKIPPED and self.skipped > 0
        if self.skipped_by_class is not None and tag == self.skipped_by_class[0]:
            self.skipped_by_class[1] -= 1
            if self.skipped_by_class[1] == 0:
                self.skipped_by_class = None

    def handle_data(self, data):
        if self.article and not self.skipped and self.skipped_by_class is None:
            self.parts.append(data)


def leaks(page_html: str) -> list[tuple[str, str, str]]:
    """(kind, token, the line it is on) for every repr or snake_case id in the page's prose."""
    parser = _ArticleText()
    parser.feed(page_html)
    found = []
    for line in "".join(parser.parts).splitlines():
        for pattern, kind in ((REPR, "repr"), (SNAKE, "id")):
            found += [(kind, match.group(0), line.strip()) for match in pattern.finditer(line)]
    return found


def page_name(site: Path, path: Path) -> str:
    """A page's name without its run variant: every run's copy of a page is one page here."""
    name = str(path.parent.relative_to(site)).split("--")[0]
    return "home" if name in (".", "index") else name


def site_leaks(site: Path) -> dict[str, str]:
    """'page kind token' -> the first line it was seen on."""
    found: dict[str, str] = {}
    for path in sorted(site.rglob("index.html")):
        for kind, token, line in leaks(path.read_text(encoding="utf-8")):
            found.setdefault(f"{page_name(site, path)} {kind} {token}", line[:200])
    return found


def known_leaks() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines()
    return {" ".join(line.split("#", 1)[0].split()) for line in lines if line.split("#", 1)[0].strip()}


def test_the_scan_finds_reprs_and_ids_in_prose_and_not_in_code():
    page = ("<html><body><nav>shard None</nav><article><p>shard None, calibrate True, ratio nan</p>"
            "<p>mode <code>function_default</code> and function_default</p><pre>x_y = None</pre>"
            "<p>Nonetheless a None-free sentence, e.g. torch.compile and 2.5 nanoseconds</p>"
            '<div class="clipboard-copy-txt">x = a_b</div><table class="dataframe"><tr><th>c_d</th></tr></table>'
            "<div><p>after the copy text, e_f</p></div></article></body></html>")
    assert [(kind, token) for kind, token, _ in leaks(page)] == [
        ("repr", "None"), ("repr", "True"), ("repr", "nan"), ("id", "function_default"), ("id", "e_f")]


@pytest.mark.e2e
def test_no_repr_or_internal_id_reaches_a_page_beyond_the_known_list(committed_site):
    found = site_leaks(committed_site)
    if os.environ.get("FWBENCH_UPDATE_LABEL_LEAKS"):
        KNOWN.write_text(KNOWN_HEADER + "".join(f"{key}  # {line}\n" for key, line in sorted(found.items())),
                         encoding="utf-8")
    known = known_leaks()
    new = {key: line for key, line in found.items() if key not in known}
    gone = sorted(known - found.keys())
    report = "\n".join(f"  {key}: {line}" for key, line in sorted(new.items()))
    assert not new, f"{len(new)} Python reprs or internal ids in page text (show them as words or code):\n{report}"
    assert not gone, f"fixed, so delete these lines from {KNOWN.relative_to(REPO_ROOT)}: {gone}"


def test_code_aware_cells_show_identifiers_as_code_and_keep_prose_and_addresses_as_text():
    from site_scripts.text import formatting

    text = ("mode function_default via tf.function(jit_compile=True), e.g. torch.compile; use the `register_buffer` "
            "API (https://pytorch.org/docs/a_b.html) when x is None")
    assert formatting.code_aware_cell(text) == (
        "mode `function_default` via `tf.function(jit_compile=True)`, e.g. `torch.compile`; use the "
        "`register_buffer` API (https://pytorch.org/docs/a\\_b.html) when x is `None`")  # Markdown escape of _
    # A plain name in backticks becomes code; quoted markup stays escaped text (a hostile file quotes `<script>`).
    assert formatting.code_aware_html("a `b c` and `<b>` c_d") == "a <code>b c</code> and `&lt;b&gt;` <code>c_d</code>"
