"""The front-end files the site serves from its own origin, installed by npm from pinned lock files.

- plotly.js: the cartesian partial bundle (bar, box, scatter, heatmap, ...), at exactly the plotly.js
  version the Python plotly package writes figure JSON for (tools/plotly-bundle). A figure whose trace
  type the bundle lacks would be drawn as a scatter without any error, so the build refuses it.
- tablesort (tools/tablesort) and the site's init script, which make long tables sortable and filterable.

`npm ci --prefix tools/<name>` installs them (the Makefile does, once per lock file change).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly
import plotly.offline
from mkdocs.exceptions import PluginError

from site_scripts.chrome import chart_data
from site_scripts.notebooks import site_pages
from site_scripts.paths import REPO_ROOT

TOOLS = REPO_ROOT / "tools"
PLOTLY_PACKAGE = "plotly.js-cartesian-dist-min"
PLOTLY_BUNDLE = TOOLS / "plotly-bundle" / "node_modules" / PLOTLY_PACKAGE / "plotly-cartesian.min.js"
PLOTLY_LOCK = TOOLS / "plotly-bundle" / "package-lock.json"
TABLESORT_JS = TOOLS / "tablesort" / "node_modules" / "tablesort" / "dist" / "tablesort.min.js"
ASSETS = Path(__file__).resolve().parent / "assets"
# Served name -> file: what overrides/main.html loads on every page.
SERVED_SCRIPTS = {
    "assets/javascripts/plotly.min.js": None,  # the bundle, checked first (plotly_js_path)
    "assets/javascripts/fwbench-charts.js": ASSETS / "fwbench-charts.js",
    "assets/javascripts/tablesort.min.js": TABLESORT_JS,
    "assets/javascripts/fwbench-tables.js": ASSETS / "fwbench-tables.js",
    "assets/javascripts/fwbench-compare.js": ASSETS / "fwbench-compare.js",
}

# Every plotly.js trace module is an object literal {moduleType:"trace",name:"bar",...}; the minified dist
# bundles keep these keys, so the registered trace types read off the text.
_TRACE_MODULE = re.compile(r'moduleType:"trace",name:"([a-z0-9]+)"')
_BUNDLE_HEADER = re.compile(r"\A/\*\*\s*\n\* plotly\.js(?: \((?P<kind>[^)]+)\))? v(?P<version>\d+\.\d+\.\d+)\s*\n")


def vendored(path: Path, folder: str) -> Path:
    if not path.is_file():
        raise PluginError(f"{path} not found: run `npm ci --prefix tools/{folder}` (or `make build`, which does)")
    return path


def bundle_trace_types(path: Path) -> frozenset[str]:
    """The trace types a plotly.js dist bundle registers."""
    names = frozenset(_TRACE_MODULE.findall(path.read_text(encoding="utf-8")))
    if not names:
        raise PluginError(f"{path}: no plotly.js trace module in it (not a plotly.js dist bundle?)")
    return names


def bundle_version(path: Path) -> str:
    """The plotly.js version in the bundle's licence header, e.g. '4.1.1'."""
    with path.open(encoding="utf-8") as handle:
        found = _BUNDLE_HEADER.match(handle.read(300))
    if found is None:
        raise PluginError(f"{path}: no plotly.js version header")
    return found["version"]


def locked_version(lock: Path = PLOTLY_LOCK) -> str:
    """The bundle version package-lock.json pins."""
    return json.loads(lock.read_text(encoding="utf-8"))["packages"][f"node_modules/{PLOTLY_PACKAGE}"]["version"]


def plotly_js_path() -> Path:
    """The partial bundle, refused unless it is the plotly.js version the plotly package writes figures for."""
    path = vendored(PLOTLY_BUNDLE, "plotly-bundle")
    version, expected = bundle_version(path), plotly.offline.get_plotlyjs_version()
    if version != expected:
        raise PluginError(f"{path} is plotly.js {version} but plotly {plotly.__version__} writes figures for "
                          f"{expected}: pin {PLOTLY_PACKAGE} {expected} in tools/plotly-bundle/package.json and run "
                          f"`npm install --prefix tools/plotly-bundle`")
    return path


def served_files() -> dict[str, Path]:
    """Served path -> file on disk, every one checked to exist."""
    files = {}
    for served, path in SERVED_SCRIPTS.items():
        if path is None:
            files[served] = plotly_js_path()
        elif path == TABLESORT_JS:
            files[served] = vendored(path, "tablesort")
        else:
            files[served] = path
    return files


def page_trace_types(html: str) -> set[str]:
    """Trace types of every figure a built page embeds (plotly's default type is scatter): the site's own embedded
    figures, and those plotly's HTML draws in a notebook's outputs."""
    embedded = [json.loads(block["json"]) for block in chart_data.FIGURE_SCRIPT.finditer(html)]
    figures = embedded + list(site_pages.notebook_figures(html).values())
    return {trace.get("type", "scatter") for figure in figures for trace in figure.get("data", [])}


def check_trace_types(html: str, page: str, bundle_types: frozenset[str]) -> None:
    """Fail the build, naming the page, when a figure uses a trace type the served bundle lacks."""
    missing = page_trace_types(html) - bundle_types
    if missing:
        raise PluginError(f"{page}: figures use trace type(s) {', '.join(sorted(missing))}, which the plotly.js "
                          f"bundle ({PLOTLY_PACKAGE}) lacks; it has {', '.join(sorted(bundle_types))}")
