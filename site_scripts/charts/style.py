"""What every chart shares: no template, the site's font, the framework colours, the marks for modes and precisions.

Figures use the empty "none" template and a few explicit styles instead of "plotly_white": the embedded
JSON stays small, and a transparent background lets the page's light or dark palette show through.
"""

from __future__ import annotations

import math
from typing import Any

from contract.schema import FrameworkComparison
from site_scripts.text import formatting

# Okabe–Ito vermillion and blue: told apart under every common colour-vision deficiency.
FRAMEWORK_COLOURS = {"torch": "#D55E00", "tensorflow": "#0072B2"}


OTHER_COLOUR = "#009E73"


def framework_colour(framework: str) -> str:
    return FRAMEWORK_COLOURS.get(framework, OTHER_COLOUR)


VERDICT_COLOURS = {"tie": "#777777", "insufficient_data": "#BBBBBB", "fingerprints_disagree": "#CC3311"}


def verdict_colour(comparison: FrameworkComparison) -> str:
    if comparison.verdict == "numerator_faster":
        return framework_colour(comparison.numerator)
    if comparison.verdict == "denominator_faster":
        return framework_colour(comparison.denominator)
    return VERDICT_COLOURS.get(comparison.verdict, OTHER_COLOUR)


FONT_FAMILY = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"


GRID_COLOUR = "rgba(128, 128, 128, 0.3)"


FAILED_COLOUR = "#CC3311"


REFERENCE_LINE_COLOUR = "rgba(128, 128, 128, 0.9)"


def base_layout(title: str, **layout: Any) -> dict[str, Any]:
    """What every fwbench figure shares: no template, transparent, the site's font, title left of the modebar."""
    return {
        "template": "none",
        "title": {"text": title, "x": 0, "xref": "paper"},
        "font": {"family": FONT_FAMILY},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"t": 60, "l": 70, "r": 20, "b": 60},
        **layout,
    }


def value_axis(title: str, **axis: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "gridcolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR, **axis}


def reference_line(axis: str, value: float) -> dict[str, Any]:
    """A dashed line across the plot at `value` on the x or y axis (a ratio of 1, the matmul peak)."""
    if axis == "x":
        return {"type": "line", "xref": "x", "yref": "paper", "x0": value, "x1": value, "y0": 0, "y1": 1,
                "line": {"color": REFERENCE_LINE_COLOUR, "dash": "dash", "width": 1}}
    return {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": value, "y1": value,
            "line": {"color": REFERENCE_LINE_COLOUR, "dash": "dash", "width": 1}}


MODE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")


PRECISION_DASH = {"fp32": "solid", "bf16": "dash", "fp16": "dot"}


ROW_HEIGHT_PX = 30  # horizontal bar and dot charts grow with their number of rows


def chart_height(rows: int) -> int:
    return max(260, 150 + ROW_HEIGHT_PX * rows)


def log_ticks(values: list[float]) -> dict:
    """Ticks for a log axis, labelled plainly (never plotly's bare '2…9'): 1-2-5 steps, finer when the values span
    less than a decade, decades only when 1-2-5 would crowd."""
    positive = [v for v in values if v is not None and v > 0]
    if not positive:
        return {}
    low, high = min(positive) / 2, max(positive) * 2
    mantissas = (1, 1.5, 2, 3, 5, 7) if max(positive) / min(positive) < 10 else (1, 2, 5)
    decade = 10.0 ** math.floor(math.log10(low))
    ticks = []
    while decade <= high:
        ticks += [float(f"{m * decade:.2g}") for m in mantissas if low <= m * decade <= high]
        decade *= 10
    if len(ticks) > 12:
        ticks = [t for t in ticks if f"{t:.0e}".startswith("1")]
    return {"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]}


def rounded(value: float | None) -> float | None:
    return None if value is None else formatting.round_significant(value)
