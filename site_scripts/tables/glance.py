"""The Home page's one-glance matrix: workload × configuration, each cell coloured by its verdict and linking to
the row of Performance's verdict table that holds its evidence (the style of a CI dashboard's summary grid).

Cells are HTML table cells whose content is Markdown (md_in_html), so their links are page links MkDocs
resolves and the build rewrites to the same run's pages; every text in them is escaped like any cell.
"""

from __future__ import annotations

import html

from contract.schema import FrameworkComparison, RunResult
from site_scripts.analysis import headlines
from site_scripts.text import formatting, labels, quantities

CELL_CLASS = "fwbench-glance-cell"


def cell_text(comparison: FrameworkComparison) -> tuple[str, str, str]:
    """(short words, side key for the colour, the title with the interval)."""
    reason = headlines.excluded_reason(comparison)
    words, interval = labels.speed_words(comparison.numerator, comparison.denominator, comparison.ratio_median,
                                         comparison.ci_low, comparison.ci_high, comparison.verdict,
                                         comparison.equivalence_margin)
    if reason is not None:
        detail = labels.verdict_words(comparison) if comparison.verdict != "not_measured" else reason
        short = {"mixed precision without native kernels": "emulated bf16"}.get(reason, reason)
        return short, "excluded", f"{reason}: {detail}"
    if comparison.verdict not in headlines.DECIDED:
        return "no verdict", "none", labels.verdict_words(comparison)
    short = (words.replace(" faster", "") if comparison.verdict in ("numerator_faster", "denominator_faster")
             else "unresolved" if comparison.verdict == "tie" else words)
    side = labels.verdict_side(comparison.verdict, comparison.numerator, comparison.denominator)
    path = "each side's fastest mode" if comparison.path != "default" else "default modes"
    title = f"{words}; {interval}; {comparison.n_pairs} pairs; {path}"
    return short, side, title


def matrix_html(run: RunResult) -> str:
    columns = headlines.matrix_columns(run)
    cells = headlines.matrix_cells(run)
    workloads = [w for w in labels.workloads(run) if any((w, col.key) in cells for col in columns)]
    if not columns or not workloads:
        return "No framework comparison in this run."
    memory = headlines.memory_figure(run)
    header = "".join(f"<th>{html.escape(col.title)}</th>" for col in columns)
    header += "<th>peak memory</th>" if memory else ""
    rows = []
    for workload in workloads:
        title = formatting.cell(labels.workload_title(run, workload))
        row = [f'<th scope="row" markdown>[{title}](performance.md#{labels.workload_anchor(workload)})</th>']
        for col in columns:
            comparison = cells.get((workload, col.key))
            if comparison is None:
                row.append(f'<td class="{CELL_CLASS} fwbench-glance-none">{formatting.MISSING}</td>')
                continue
            short, side, tooltip = cell_text(comparison)
            link = f'[{formatting.cell(short)}](performance.md#{labels.comparison_anchor(comparison)} "{_title(tooltip)}")'
            row.append(f'<td class="{CELL_CLASS} fwbench-glance-{side}" markdown>{link}</td>')
        if memory:
            row.append(_memory_cell(run, workload, memory))
        rows.append("<tr markdown>" + "".join(row) + "</tr>")
    shows_latency = any(col.title == quantities.label("latency_verdict") for col in columns)
    definitions = f"\n\n{quantities.definitions('latency_verdict')}" if shows_latency else ""
    legend = ("Each cell: the verdict for that workload and configuration, in the winner's colour (PyTorch "
              "vermillion, TensorFlow blue; grey: within the equivalence margin or no difference resolved; "
              "hatched: no verdict or left out of the headlines). Hover for the ratio, its interval and the pairs; "
              "click for the row with its evidence.")
    return (f'<div class="fwbench-glance" markdown>\n<table class="fwbench-glance-table" markdown>\n<thead><tr><th>workload</th>{header}</tr></thead>\n'
            f"<tbody markdown>\n" + "\n".join(rows) + f"\n</tbody>\n</table>\n</div>\n\n{legend}" + definitions)


def _memory_cell(run: RunResult, workload: str, memory: headlines.MemoryFigure) -> str:
    ratio = memory.per_workload.get(workload)
    if ratio is None:
        return f'<td class="{CELL_CLASS} fwbench-glance-none">{formatting.MISSING}</td>'
    numerator, denominator = next(((c.numerator, c.denominator) for c in run.comparisons), ("torch", "tensorflow"))
    leaner, factor = (numerator, 1 / ratio) if ratio < 1 else (denominator, ratio)
    heavier = denominator if leaner == numerator else numerator
    margin = run.rules.equivalence_margin or 0.0
    if abs(factor - 1) <= margin:
        text, side = f"within {margin:.0%}", "equal"
    else:
        text, side = f"{labels.framework_name(heavier)} {labels.times(factor)} more", labels.workload_slug(leaner)
    tooltip = (f"median over process pairs of peak host RSS {labels.framework_name(numerator)} / "
               f"{labels.framework_name(denominator)}: {ratio:.3f} (fp32 training at the reference batch)")
    return (f'<td class="{CELL_CLASS} fwbench-glance-{side}" markdown>'
            f'[{formatting.cell(text)}](memory.md "{_title(tooltip)}")</td>')


def _title(text: str) -> str:
    """A Markdown link title: one line, no double quote or backslash (Markdown escapes the rest of a title)."""
    return " ".join(str(text).split()).replace('"', "'").replace("\\", "/")
