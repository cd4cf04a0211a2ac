"""Status icons from Material Design's icon set, as inline SVG: they draw with no emoji font and fetch nothing.

The site ships no fonts, so emoji characters (✅ ❌ ＝) render as empty boxes on a machine without an emoji
font. mkdocs-material bundles the Material Design icons as SVG files; `icon(status)` returns one inline, which
works everywhere a page holds HTML (table cells, raw HTML blocks, the run note), and `shortcode(status)` returns
the `:material-…:` shortcode that pymdownx.emoji turns into the same SVG in Markdown text.

mkdocs.yml configures pymdownx.emoji with `material_icons_only`: Material's own index holds the twemoji set
too, whose entries become an <img> from a CDN; this index keeps only the Material icons, so no shortcode in
any text (an error message, a claim) can ever make a page fetch something off-site.
"""

from __future__ import annotations

import functools
import html
from importlib import resources

ICON_SET = "material"

# Status -> Material icon name (templates/.icons/material/<name>.svg in mkdocs-material).
STATUS_ICONS = {
    "ok": "check",
    "failed": "close",
    "supported": "check-circle",
    "contradicted": "close-circle",
    "mixed": "circle-half-full",
    "partly_supported": "circle-slice-3",
    "partly_contradicted": "circle-slice-5",
    "no_difference_detected": "approximately-equal",
    "tie": "equal",
    "not_testable": "cancel",
    "not_measured": "dots-horizontal",
    "warning": "alert",
    "better": "arrow-up-bold",
    "worse": "arrow-down-bold",
}
# Other names for the same status, as the pages and the claims use them.
ALIASES = {"equal": "tie", "inconclusive": "tie", "within_noise": "tie", "passed": "ok", "fail": "failed",
           "error": "failed", "loaded": "warning", "stale": "warning"}


def status_key(status: str) -> str:
    """'not testable', 'not-testable' and 'not_testable' are one status; aliases map to their icon's status."""
    key = "_".join(status.strip().lower().replace("-", " ").split())
    key = ALIASES.get(key, key)
    if key not in STATUS_ICONS:
        raise ValueError(f"no icon for status {status!r}; known: {', '.join(sorted({*STATUS_ICONS, *ALIASES}))}")
    return key


@functools.cache
def material_svg(name: str) -> str:
    """The SVG of one Material Design icon as mkdocs-material bundles it (what pymdownx.emoji's to_svg writes)."""
    path = resources.files("material") / "templates" / ".icons" / ICON_SET / f"{name}.svg"
    if not path.is_file():
        raise ValueError(f"no Material icon {name!r} in mkdocs-material's templates/.icons/{ICON_SET}/")
    return path.read_text(encoding="utf-8").strip()


def icon(status: str, label: str | None = None) -> str:
    """The status's icon as inline SVG. Beside a word that says the same, it is hidden from screen readers;
    with `label` it stands alone and reads as that label."""
    key = status_key(status)
    aria = (f'role="img" aria-label="{html.escape(label)}"' if label else 'aria-hidden="true"')
    return (f'<span class="twemoji fwbench-icon fwbench-icon-{key.replace("_", "-")}" {aria}>'
            f"{material_svg(STATUS_ICONS[key])}</span>")


def shortcode(status: str) -> str:
    """The pymdownx.emoji shortcode of the status's icon, for Markdown text: ':material-check:'."""
    return f":{ICON_SET}-{STATUS_ICONS[status_key(status)]}:"


def labelled(status: str, words: str) -> str:
    """The icon, then words that are already escaped Markdown or HTML (formatting.cell)."""
    return f"{icon(status)} {words}"


def status_span(css_class: str, status: str, text: str) -> str:
    """A coloured table cell led by the status's icon: the text escaped like any cell (formatting.css_span)."""
    from site_scripts.text import formatting

    return f'<span class="{css_class}">{icon(status)} {formatting.cell(text)}</span>'


def material_icons_only(options: dict, md) -> dict:
    """pymdownx.emoji index: mkdocs-material's, less every entry that is not a Material Design icon (the
    twemoji entries would become CDN <img> tags, and the other icon sets are not used)."""
    from material.extensions.emoji import twemoji

    index = twemoji(options, md)
    prefix = f":{ICON_SET}-"
    return {"name": index["name"],
            "emoji": {name: entry for name, entry in index["emoji"].items()
                      if name.startswith(prefix) and "path" in entry},
            "aliases": {}}
