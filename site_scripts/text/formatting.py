"""Values to Markdown text: escaped table cells, code spans, numbers with their units.

The one escaping rule: every string from a result file reaches a page through `cell` (text, anywhere Markdown
is read: table cells, headings, paragraphs), `code_span` (code) or `html_text` (inside raw HTML we write). Result
files arrive by pull request, so their free text (failure reasons, stderr, commands, titles, versions) may hold
pipes, newlines, backticks, angle brackets, `{: attribute lists }` or fence markers; each of the three makes it
one line of inert text. The build checks the result (site_scripts/chrome/page_guard.py): a page whose HTML holds
a script, an event handler or a javascript: address is never published.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

MISSING = "—"


MIB = 2**20


GIB = 2**30


# Backslash-escaped: emphasis, code, links, table pipes, and braces (attr_list turns `{: onclick=...}` after an
# element into attributes; Python-Markdown lets a backslash escape both braces).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|{}])")


def cell(value: object) -> str:
    """Plain text safe inside a Markdown table cell: one line, no HTML, no Markdown syntax."""
    if value is None:
        return MISSING
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)) or MISSING


# Markdown's code spans, backslash escapes, links and table pipes are read before its inline-HTML pattern, so
# inside raw HTML they must not appear as themselves: character references are the same text to a browser and
# nothing to Markdown. (Emphasis comes after inline HTML is set aside, so `_` and `*` stay as they are.)
_MARKDOWN_IN_HTML = {ord(ch): f"&#{ord(ch)};" for ch in "\\`[]|{}"}


def html_text(value: object) -> str:
    """Text for raw HTML we write into a page (attribute values included): escaped, quotes too, on one line (Markdown's
    preprocessors, fences among them, read raw HTML blocks line by line) and with no character Markdown acts on."""
    return html.escape(" ".join(str(value).split()), quote=True).translate(_MARKDOWN_IN_HTML)


def code_span(value: str) -> str:
    """Inline code that survives backticks and pipes in the text (the tables extension skips code spans)."""
    text = " ".join(value.split())
    longest_run = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest_run + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


# What a section says when the run it draws on lacks its data: never a blank, never a guess.
NOT_MEASURED = "Not measured in this run."


def folded(title: str, markdown: str, kind: str = "note") -> str:
    """A collapsed pymdownx.details block around Markdown (a table, a list): readers open it when they want it."""
    body = "\n".join(f"    {line}" if line else "" for line in markdown.splitlines())
    return f'??? {kind} "{title}"\n\n{body}'


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table from cells that are already escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def number(value: float | None) -> str:
    """Three significant figures, thousands separated: enough to compare, not more than the noise supports."""
    if value is None:
        return MISSING
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def significant(value: float | None, digits: int = 4) -> str:
    """A number to `digits` significant figures (what the chart hovers show), thousands separated when large."""
    if value is None:
        return MISSING
    if abs(value) >= 10**digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def round_significant(value: float, digits: int = 4) -> float:
    """For figure JSON: a value rounded where the extra digits are below what any chart or hover can show."""
    return float(f"{value:.{digits}g}")


def scientific(value: float | None) -> str:
    """Small differences (equivalence proof, fingerprints): three significant figures in e-notation."""
    return MISSING if value is None else f"{value:.2e}"


def percent(fraction: float | None) -> str:
    return MISSING if fraction is None else f"{fraction * 100:.3g} %"


def loss(value: float | None) -> str:
    """Losses get six significant figures: they are a fingerprint compared across frameworks."""
    return MISSING if value is None else f"{value:.6g}"


def mebibytes(value_bytes: int | float | None) -> str:
    return MISSING if value_bytes is None else f"{value_bytes / MIB:,.0f}"


def gibibytes(value_bytes: int | float | None) -> str:
    return MISSING if value_bytes is None else f"{value_bytes / GIB:,.1f}"


def utc(moment: datetime | None) -> str:
    if moment is None:
        return MISSING
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def utc_date(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def duration(span: timedelta | None) -> str:
    if span is None:
        return MISSING
    seconds = span.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min {secs:02d} s" if hours else f"{minutes} min {secs:02d} s"


def css_span(css_class: str, text: str) -> str:
    """A coloured table cell: the text escaped like any cell, inside a span the stylesheet colours."""
    return f'<span class="{css_class}">{cell(text)}</span>'


# Code-like tokens inside recorded free text: calls (`tf.function(jit_compile=True)`), dotted names
# (`torch.utils.tensorboard.SummaryWriter`), snake_case ids (`function_default`) and Python literals.
_CODE_TOKEN = re.compile(
    r"(?<![\w`.])(?:"
    r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*\((?:[^()]|\([^()]*\))*\)"  # a call, one level of nested parentheses
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+"  # a dotted name
    r"|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+"  # snake_case
    r"|_+[A-Za-z]\w*"  # _private, __dunder__
    r"|None|True|False|nan|NaN"
    r")(?![\w`])")


# What the code-aware cells look for, in order: an address (left as text), text the message itself quoted in
# backticks (shown as code, without them), a code-like token.
# Only plain names are taken from backticks: quoted markup (`</code><script>` in a hostile file) stays escaped prose.
_CODE_OR_PROSE = re.compile(rf"(?P<url>https?://\S+)|`(?P<quoted>[\w.,:()=/ -]{{1,80}})`|(?P<token>{_CODE_TOKEN.pattern})")


def _escaped(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _code_aware(value: object, prose, code) -> str:
    """The text with each code-like token (identifier, call, Python literal) passed to `code` and the prose
    between them to `prose`."""
    text = " ".join(str(value).split())
    parts, last = [], 0
    for match in _CODE_OR_PROSE.finditer(text):
        if match.group("url"):
            continue  # an address stays text: its host is not a dotted name
        token = match.group("quoted") or match.group("token")
        if not match.group("quoted") and "(" not in token and "_" not in token and all(
                len(part) <= 2 for part in token.split(".")):
            continue  # e.g., i.e
        parts += [prose(text[last:match.start()]), code(token)]
        last = match.end()
    parts.append(prose(text[last:]))
    return "".join(parts)


def code_aware_cell(value: object) -> str:
    """Like `cell`, but identifiers, calls and Python literals in the text become code spans: a reader sees
    `function_default` as a name, not as words, and no internal id or repr passes for prose."""
    if value is None:
        return MISSING
    return _code_aware(value, _escaped, code_span) or MISSING


def code_aware_html(value: object) -> str:
    """`code_aware_cell` for HTML written after Markdown has run (the tables under charts): text escaped, code-like
    tokens in <code>."""
    if value is None:
        return MISSING
    return _code_aware(value, html.escape, lambda token: f"<code>{html.escape(token)}</code>")


def conclusion(sentence: str) -> str:
    """A section's opening conclusion, generated from the data: one paragraph the tables below then support."""
    return f"{sentence}\n{{: .fwbench-conclusion }}"
