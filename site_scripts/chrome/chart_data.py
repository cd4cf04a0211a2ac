"""A chart's text alternative and downloads, generated from the figure JSON the page embeds.

Works on any figure (bar, scatter, box) without knowing which page made it: one row per
plotted point, with the trace's name and the axis titles as headers. The same rows become
the folded HTML table under the chart, the CSV download and the JSON download.

"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

from site_scripts.text import formatting

# The exact block charts.embed_figure writes.
FIGURE_SCRIPT = re.compile(
    r'<script type="application/json" class="fwbench-figure" data-for="(?P<id>[^"]+)">(?P<json>.*?)</script>',
    re.DOTALL,
)


POINT_KEYS = ("x", "y")


def _axis_title(layout: dict[str, Any], axis: str) -> str:
    title = (layout.get(axis) or {}).get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return re.sub(r"<[^>]+>", " ", str(title)).strip() if title else axis[0]


def _values(trace: dict[str, Any], key: str) -> list:
    value = trace.get(key)
    if value is None:
        return []
    if isinstance(value, dict):  # plotly's typed-array form {"dtype", "bdata"} is not written by our figures
        raise ValueError(f"trace {trace.get('name')!r}: {key} is encoded, not a list")
    return list(value) if isinstance(value, (list, tuple)) else [value]


def point_count(trace: dict[str, Any]) -> int:
    """Points a trace plots: the longer of its x and y arrays."""
    return max((len(_values(trace, key)) for key in POINT_KEYS), default=0)


def trace_columns(trace: dict[str, Any]) -> list[tuple[str, list]]:
    """(column key, values) for a trace: x, y, then the error bars when present, each padded to the point count."""
    n = point_count(trace)
    columns = []
    for key in POINT_KEYS:
        values = _values(trace, key)
        if values:
            columns.append((key, values))
    for axis in ("error_x", "error_y"):
        error = trace.get(axis) or {}
        if error.get("visible", True) is False or "array" not in error:
            continue
        columns.append((f"{axis}_plus", _values(error, "array")))
        if "arrayminus" in error:
            columns.append((f"{axis}_minus", _values(error, "arrayminus")))
    return [(key, (values + [None] * n)[:n]) for key, values in columns]


def chart_rows(figure: dict[str, Any]) -> tuple[list[str], list[list]]:
    """Header and rows: 'series', the axis titles (and error columns), one row per point of every trace."""
    layout = figure.get("layout") or {}
    names = {"x": _axis_title(layout, "xaxis"), "y": _axis_title(layout, "yaxis")}
    keys: list[str] = []
    traces = figure.get("data") or []
    per_trace = [trace_columns(trace) for trace in traces]
    for columns in per_trace:
        for key, _ in columns:
            if key not in keys:
                keys.append(key)
    header = ["series"] + [names.get(key, key.replace("_", " ")) for key in keys]
    rows = []
    for index, (trace, columns) in enumerate(zip(traces, per_trace)):
        by_key = dict(columns)
        name = trace.get("name") or f"trace {index + 1}"
        for point in range(point_count(trace)):
            rows.append([name] + [by_key[key][point] if key in by_key else None for key in keys])
    return header, rows


def chart_csv(figure: dict[str, Any]) -> str:
    header, rows = chart_rows(figure)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def chart_json(figure: dict[str, Any], chart_id: str, page_url: str, run_ids: list[str]) -> str:
    """The download: the chart's title, where it is, the runs behind it, and each trace's points."""
    layout = figure.get("layout") or {}
    title = layout.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    traces = []
    for index, trace in enumerate(figure.get("data") or []):
        entry = {"name": trace.get("name") or f"trace {index + 1}", "type": trace.get("type", "scatter"),
                 "points": point_count(trace)}
        entry.update({key: values for key, values in trace_columns(trace)})
        traces.append(entry)
    document = {"chart_id": chart_id, "title": title, "page": page_url, "runs": run_ids,
                "x_title": _axis_title(layout, "xaxis"), "y_title": _axis_title(layout, "yaxis"), "traces": traces}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return formatting.code_aware_html(value)


# Above this many points the folded table summarises each series (every call of a latency chart is 500 rows, a
# quarter of a page's weight); the downloads still hold every point.
INLINE_POINT_LIMIT = 120


def summary_rows(figure: dict[str, Any]) -> tuple[list[str], list[list]]:
    """Per trace: its points and the smallest, median and largest value on the value axis (y where it is numeric,
    else x). Returns the header, the rows and the value axis's title (for the caption: a table header naming a
    registered quantity would need that quantity's definition beside it, and these are its extremes, not it)."""
    layout = figure.get("layout") or {}
    header, rows = None, []
    for index, trace in enumerate(figure.get("data") or []):
        axis = next((key for key in ("y", "x") if _values(trace, key) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in _values(trace, key))), None)
        values = sorted(_values(trace, axis)) if axis else []
        header = header or ["series", "points", "smallest", "median", "largest",
                            _axis_title(layout, f"{axis}axis") if axis else "value"]
        middle = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2 if values else None
        rows.append([trace.get("name") or f"trace {index + 1}", point_count(trace),
                     values[0] if values else None, middle, values[-1] if values else None])
    # The last header names what the three figures are; no row fills it.
    return (header[:-1], rows, header[-1]) if header else (["series", "points"], rows, "value")


def table_html(figure: dict[str, Any], csv_href: str, json_href: str, chart_id: str) -> str:
    """The folded table under a chart plus its two download links (one line: Markdown leaves it alone)."""
    header, rows = chart_rows(figure)
    caption = f"The numbers in this chart ({len(rows)} points)"
    if len(rows) > INLINE_POINT_LIMIT:
        header, rows, value = summary_rows(figure)
        caption = (f"The numbers in this chart ({sum(r[1] for r in rows)} points of {value}, summarised per series "
                   f"here; the downloads hold every point)")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return (
        f'<details class="note fwbench-chart-data" id="{chart_id}-data"><summary>{html.escape(caption)}'
        f'</summary><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>'
        f'<p class="fwbench-downloads">Download this chart\'s data: '
        f'<a href="{html.escape(csv_href)}" download class="fwbench-download-csv">CSV</a> · '
        f'<a href="{html.escape(json_href)}" download class="fwbench-download-json">JSON</a></p>'
    )
