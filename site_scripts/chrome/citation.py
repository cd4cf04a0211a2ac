""""Cite this page": the run(s) a page shows, date, versions, hardware, the permalink, and plain and BibTeX forms.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts.text import formatting, labels, provenance_text

PROJECT_AUTHOR = "fwbench project team"


SITE_TITLE = "PyTorch vs TensorFlow, measured"


def page_title(markdown: str, fallback: str) -> str:
    for line in markdown.split("\n"):
        if line.startswith("# "):
            return line[2:].split("{#")[0].strip()
    return fallback


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "{}&%$#_" else ch for ch in text)


def cite_markdown(title: str, shown: list[RunResult], permalink: str, permalink_is_relative: bool) -> str:
    """The 'Cite this page' section: title, run(s), date, versions, hardware, permalink, plain and BibTeX forms."""
    if not shown:
        return ""
    main = shown[0]
    rows = [[formatting.code_span(run.run_id), formatting.cell(formatting.utc_date(run.started_utc)),
             formatting.cell(run.settings.preset), formatting.cell(", ".join(provenance_text.versions(run))),
             formatting.cell(provenance_text.hardware_class(run))] for run in shown]
    where = (f"`{permalink}` (relative to the site's root: this build sets no `site_url`, so the full address "
             f"is wherever the site is served)" if permalink_is_relative else f"<{permalink}>")
    run_ids = ", ".join(run.run_id for run in shown)
    plain = (f"{PROJECT_AUTHOR}. \"{title}\". {SITE_TITLE}, run {run_ids} "
             f"({formatting.utc_date(main.started_utc)}; {', '.join(provenance_text.versions(main))}; {provenance_text.hardware_class(main)}). "
             f"{permalink}")
    key = f"fwbench-{labels.workload_slug(title)}-{main.run_id}".lower()
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  author       = {{{{{_bibtex_escape(PROJECT_AUTHOR)}}}}},",
        f"  title        = {{{_bibtex_escape(title)} ({_bibtex_escape(SITE_TITLE)})}},",
        f"  year         = {{{main.started_utc.year}}},",
        f"  note         = {{Run {_bibtex_escape(run_ids)}; {_bibtex_escape(', '.join(provenance_text.versions(main)))}; "
        f"{_bibtex_escape(provenance_text.hardware_class(main))}}},",
        f"  howpublished = {{{_bibtex_escape(permalink)}}}",
        "}",
    ])
    lead = "This page shows run" if len(shown) == 1 else "This page draws on runs"
    return "\n\n".join([
        "## Cite this page {#cite-this-page}",
        f"**{formatting.cell(title)}** — {lead} {', '.join(formatting.code_span(r.run_id) for r in shown)}. "
        f"Permalink: {where}.",
        formatting.table(["run", "date (UTC)", "preset", "versions", "hardware"], rows),
        f"```text\n{plain}\n```",
        f"```bibtex\n{bibtex}\n```",
        "Anchors of headings, results (`#<workload>`), claims (`#claim-<id>`) and charts (`#chart-<name>`) are "
        "derived from names, not positions, and stay the same across rebuilds.",
    ])
