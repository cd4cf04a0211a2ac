"""The shape of one chart's section on the Performance page: intro, chart (or why there is none), what it does
not plot, the data behind it, the command and the caption.

Each chart family fills a ChartBlock; this module renders them all alike, so every chart carries the same
provenance. Anchors and chart ids come from the workload's name only (`perf-mlp`, `chart-mlp-speedup`), so a
link to a section keeps working across rebuilds and runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from contract.schema import CaseResult, RunResult
from site_scripts.charts import embed
from site_scripts.text import formatting as fmt
from site_scripts.text import labels, provenance_text


def processes_text(case: CaseResult) -> str:
    return f"{case.summary.processes_ok if case.summary else 0} / {len(case.samples)}"


def not_plotted_table(cases: list[CaseResult], why: dict[str, str] | None = None) -> str:
    """Cases the chart above does not draw, with their status and reason ('' when there are none)."""
    if not cases:
        return ""
    why = why or {}
    rows = [
        [fmt.code_aware_cell(labels.case_label(c)), fmt.cell(labels.task_of(c.config)), fmt.cell(labels.precision_of(c.config)),
         fmt.cell(c.config.get("batch_size")), fmt.code_aware_cell(why.get(c.case_id) or labels.case_status(c))]
        for c in cases
    ]
    return fmt.table(["not plotted", "task", "precision", "batch", "status and reason"], rows)


def chart_id(workload: str, key: str) -> str:
    return f"chart-{labels.workload_slug(workload)}-{key}"


def chart_anchor(workload: str, key: str) -> str:
    return f"{labels.workload_anchor(workload)}-{key}"


@dataclass
class ChartBlock:
    """Everything one chart of a section shows; figure None means nothing to draw, and `empty` says why."""

    intro: str
    figure: go.Figure | None
    empty: str
    not_plotted: str
    data_table: str | None
    notes: list[str]


def render_block(run: RunResult, workload: str, key: str, heading: str, block: ChartBlock) -> str:
    parts = [f"### {heading} {{#{chart_anchor(workload, key)}}}", block.intro]
    parts.append(embed.embed_figure(block.figure, chart_id(workload, key)) if block.figure is not None else block.empty)
    if block.not_plotted:
        parts.append(block.not_plotted)
    parts += block.notes
    if block.data_table:
        indented = "\n".join(f"    {line}" for line in block.data_table.splitlines())
        parts.append(f'??? note "Data behind this chart"\n\n{indented}')
    parts.append(provenance_text.provenance_line(run, workload))
    return "\n\n".join(parts)
