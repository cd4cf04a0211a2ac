"""Every page is checked before it is published: no active content in what the Markdown made, and a page weight.

Result files reach the site by pull request, so every string in them is untrusted. Each one is escaped where
Markdown is made (site_scripts/text/formatting.py); this guard is the second line, run by the build on the HTML
each page's Markdown became (before the theme wraps it): a `<script>` that is not JSON data, an event-handler
attribute, a `javascript:` address, an `<iframe>`, `<object>` or `<base>` fails the build and names the page,
whatever let it through. The theme's own scripts and our assets (site_scripts/chrome/assets) are outside this
HTML, so the rule can be absolute. The weight check holds every page to the bound the browser tests measure, so
an oversized recorded field fails the build instead of publishing a 16 MB page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The browser tests' bound on a page's own HTML, figure data included (tests/test_browser.py measures the same).
PAGE_BUDGET_BYTES = 500 * 1024

# Elements that run code, load a document or change where relative addresses point.
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
                             "link", "portal", "noembed", "template", "style"})
# Attributes holding an address that a browser may follow or load.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                            "cite", "srcset", "ping", "codebase", "manifest", "lowsrc", "dynsrc"})
# Scripts that carry data: the figures (charts/embed.py) and the Compare page's index (chrome/compare_data.py).
DATA_SCRIPT_TYPES = frozenset({"application/json"})
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class PageGuardError(Exception):
    """A page that must not be published; the message is one line naming the page and what is wrong."""


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            if attributes.get("type", "").strip().lower() not in DATA_SCRIPT_TYPES or "src" in attributes:
                self.problems.append("a <script> element that is not JSON data")
        elif tag in ACTIVE_ELEMENTS:
            self.problems.append(f"a <{tag}> element")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"an event-handler attribute {name}= on <{tag}>")
            elif name == "srcdoc":
                self.problems.append(f"a srcdoc= attribute on <{tag}>")
            elif name in URL_ATTRIBUTES or name.endswith(":href"):
                scheme = _SCHEME.match(_INVISIBLE.sub("", value))
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.problems.append(f"a {scheme.group(1).lower()}: address in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """What in `html` would run code or load a foreign document, in words; empty when the HTML is inert."""
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.problems


def check_content(html: str, page: str) -> None:
    """The HTML a page's Markdown became holds no active content, or the build stops here."""
    problems = active_content(html)
    if problems:
        raise PageGuardError(f"{page}: the page's content holds {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
                             + "; text from a result file reached the page unescaped, so it is not published")


def check_weight(output: str, page: str, budget: int = PAGE_BUDGET_BYTES) -> None:
    """The whole page, figure data included, within the budget."""
    size = len(output.encode("utf-8"))
    if size > budget:
        raise PageGuardError(f"{page}: {size / 1024:,.0f} KB, over the {budget // 1024} KB a page may weigh; a "
                             f"result file holds more text or data than a page can carry")
