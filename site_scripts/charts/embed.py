"""A Plotly figure as page HTML: an empty div plus the figure's JSON in a script tag.

The page carries data, not code: chrome/assets/fwbench-charts.js finds each
`script.fwbench-figure`, parses it and draws into the div its `data-for` names, with
the one local plotly.js the site ships.

"""

from __future__ import annotations

import json

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

# Valid JSON that no HTML parser can end early: `</script>`, `<!--` and `&` never appear raw.
_HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def figure_json(figure: go.Figure) -> str:
    """The figure as compact JSON, without the template (the page supplies no theme to merge)."""
    plotly_json = figure.to_plotly_json()
    plotly_json.get("layout", {}).pop("template", None)
    return json.dumps(plotly_json, cls=PlotlyJSONEncoder, separators=(",", ":"), ensure_ascii=False)


def html_safe_json(text: str) -> str:
    for raw, escaped in _HTML_SAFE.items():
        text = text.replace(raw, escaped)
    return text


def embed_figure(figure: go.Figure, chart_id: str) -> str:
    """The HTML block that fwbench-charts.js turns into a chart; one line each, so Markdown leaves it alone."""
    return (
        f'<div class="fwbench-chart" id="{chart_id}"></div>\n'
        f'<script type="application/json" class="fwbench-figure" data-for="{chart_id}">'
        f"{html_safe_json(figure_json(figure))}</script>"
    )
