""""Cite this page": the run(s) a page shows, their commit, date, versions, hardware, the permalink, the access date,
and plain and BibTeX forms that paste into a document as they are.

The permalink is a full URL once the build knows where the site lives: `site_url` in mkdocs.yml, or
$FWBENCH_SITE_URL (`fwbench build --site-url`, which the docs workflow sets). Without it the page says so and
gives the site path. Every value is one line, and each fenced block's fence is longer than any backtick run
inside it, so no recorded text can end a block early.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from contract.schema import RunResult
from site_scripts.text import formatting, labels, provenance_text

PROJECT_AUTHOR = "fwbench project team"


SITE_TITLE = "PyTorch vs TensorFlow, measured"


# `fwbench build --site-url URL` reaches the hook through this; it overrides mkdocs.yml's site_url.
SITE_URL_ENV = "FWBENCH_SITE_URL"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def page_title(markdown: str, fallback: str) -> str:
    for line in markdown.split("\n"):
        if line.startswith("# "):
            return line[2:].split("{#")[0].strip()
    return fallback


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def fenced(text: str, language: str) -> str:
    """A fenced code block that no backtick run in `text` can close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _bibtex_escape(text: str) -> str:
    """A BibTeX field value: one line, braces and LaTeX specials escaped, so the field cannot end early."""
    return "".join("\\" + ch if ch in "{}&%$#_" else ("\\textbackslash{}" if ch == "\\" else ch)
                   for ch in one_line(text))


def _url_field(url: str) -> str:
    """A URL as BibTeX's url field holds it (verbatim): whatever could end the field is percent-encoded."""
    return quote(one_line(url), safe=":/?#[]@!$&'()*+,;=-._~%")


def commit_text(run: RunResult) -> str:
    commit = run.provenance.git_commit
    if commit is None:
        return "commit unknown"
    return f"commit {commit}" + (" with uncommitted changes" if run.provenance.git_dirty else "")


def cite_title(title: str) -> str:
    """The page's own title; the site's name stands alone on the home page, whose title it already is."""
    return SITE_TITLE if one_line(title) in ("", SITE_TITLE) else one_line(title)


def cite_markdown(title: str, shown: list[RunResult], permalink: str, permalink_is_relative: bool,
                  accessed: datetime | None = None) -> str:
    """The 'Cite this page' section: title, run(s), commit, date, versions, hardware, permalink, access date,
    plain and BibTeX forms."""
    if not shown:
        return ""
    main = shown[0]
    title = cite_title(title)
    in_site = "" if title == SITE_TITLE else f" {SITE_TITLE}."
    accessed_date = formatting.utc_date(accessed) if accessed is not None else None
    rows = [[formatting.code_span(run.run_id), formatting.cell(formatting.utc_date(run.started_utc)),
             formatting.cell(run.settings.preset), formatting.cell(commit_text(run)),
             formatting.cell(", ".join(provenance_text.versions(run))),
             formatting.cell(provenance_text.hardware_label(run))] for run in shown]
    where = (f"{formatting.code_span(permalink)} (a site path: this build was given no site URL, so the full "
             f"address is wherever the site is served; `fwbench build --site-url URL` sets it)"
             if permalink_is_relative else f"<{permalink}>")
    run_ids = ", ".join(run.run_id for run in shown)
    facts = (f"Run {run_ids}, {commit_text(main)}; {', '.join(provenance_text.versions(main))}; "
             f"{provenance_text.hardware_label(main)}")
    plain = one_line(
        f"{PROJECT_AUTHOR}. “{title}”.{in_site} {facts}. {formatting.utc_date(main.started_utc)}. "
        + (f"Site path {permalink}" if permalink_is_relative else permalink)
        + (f" (accessed {accessed_date})." if accessed_date else "."))
    key = f"fwbench-{labels.workload_slug(title)}-{main.run_id}".lower()
    fields = [
        ("author", f"{{{_bibtex_escape(PROJECT_AUTHOR)}}}"),
        ("title", f"{{{_bibtex_escape(title)}}}"),
        ("year", str(main.started_utc.year)),
        ("month", _MONTHS[main.started_utc.month - 1]),
    ]
    if not permalink_is_relative:
        fields.append(("url", _url_field(permalink)))
        fields.append(("howpublished", f"\\url{{{_url_field(permalink)}}}"))
    if accessed_date:
        fields.append(("urldate", accessed_date))
    note = (f"{SITE_TITLE}. " if in_site else "") + facts + (
        f". Site path {permalink}" if permalink_is_relative else "") + (
        f". Accessed {accessed_date}" if accessed_date else "")
    fields.append(("note", _bibtex_escape(note)))
    bibtex = "\n".join([f"@misc{{{key},"]
                       + [f"  {name:<12} = {value if name == 'month' else '{' + value + '}'}"
                          + ("," if i < len(fields) - 1 else "") for i, (name, value) in enumerate(fields)]
                       + ["}"])
    lead = "This page shows run" if len(shown) == 1 else "This page draws on runs"
    accessed_line = (f" Access date: {accessed_date} (when this site was built)." if accessed_date else "")
    return "\n\n".join([
        "## Cite this page {#cite-this-page}",
        f"**{formatting.cell(title)}** — {lead} {', '.join(formatting.code_span(r.run_id) for r in shown)}. "
        f"Permalink: {where}.{accessed_line}",
        formatting.table(["run", "date (UTC)", "preset", "commit", "versions", "hardware"], rows),
        fenced(plain, "text"),
        fenced(bibtex, "bibtex"),
        "Anchors of headings, results (`#<workload>`), claims (`#claim-<id>`) and charts (`#chart-<name>`) are "
        "derived from names, not positions, and stay the same across rebuilds.",
    ])
