"""The built site in a real browser: Playwright driving Debian's chromium, headless, on 127.0.0.1.

The site is built once per session from the committed results/ (a build executes the
companion notebooks: under a minute) and served by a plain static file server, as a
reader would get it. Every page of the nav (and every run page its selector links to, and
every executed example's notebook page the Ease of use article links to) must load with no
console error, no failed request and no request off its own origin; each chart must draw
exactly the traces and points its data file holds, and each notebook figure those its page
carries; the selector must switch the run; downloads and the citation block must be there.
Page weights are printed and capped; screenshots of each article go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

from site_scripts.chrome import chart_data, vendored
from site_scripts.notebooks import site_pages

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[1]
# The chromium to drive: FWBENCH_CHROMIUM (make test sets it from tools/browser.sh), else the system's, else
# Playwright's own build (`playwright install chromium`).
CHROMIUM = os.environ.get("FWBENCH_CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(path).is_file()), None)
# Without the background-networking flags chromium phones home, and those requests fail on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
PAGE_BUDGET_BYTES = 500 * 1024
CHARTS_DRAWN = ("() => Array.from(document.querySelectorAll('div.fwbench-chart'))"
                ".every(d => d.classList.contains('js-plotly-plot') || d.textContent.length > 0)"
                " && Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                ".every(d => d.classList.contains('js-plotly-plot'))")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: its `!!python/name:` tags (the emoji index) are read as their names, never imported."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def nav_pages() -> list[tuple[str, str]]:
    """(title, URL path) of every page in mkdocs.yml's nav, sections flattened, directory URLs as MkDocs writes them."""
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    pages = []

    def walk(entries: list, section: str = "") -> None:
        for entry in entries:
            (title, source), = entry.items()
            if isinstance(source, list):
                walk(source, f"{title}: ")
                continue
            stem = source.rsplit(".", 1)[0]
            pages.append((section + title, "" if stem == "index" else f"{stem}/"))

    walk(config["nav"])
    return pages


def article_pages() -> list[tuple[str, str]]:
    """The nav's articles (Markdown pages), which carry a citation block; not its notebooks."""
    return [(title, path) for title, path in nav_pages() if not path.startswith("notebooks/")]


def example_notebook_pages(browser, site) -> list[tuple[str, str]]:
    """The executed examples' notebook pages the Ease of use article links to."""
    visit = PageVisit(browser, site, "ease-of-use/")
    try:
        hrefs = visit.page.eval_on_selector_all("article a[href*='notebooks/ease-of-use/']",
                                                "links => links.map(a => a.href)")
    finally:
        visit.close()
    paths = sorted({urlparse(href).path.lstrip("/") for href in hrefs})
    return [(f"Ease of use notebook ({path})", path) for path in paths]


@pytest.fixture(scope="session")
def site(committed_site) -> str:
    """Serve the site built from results/; yields the base URL."""
    site_dir = committed_site
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class PageVisit:
    """A page opened in a fresh context, with every console error, page error and request it made."""

    def __init__(self, browser, site: str, path: str, color_scheme: str = "light", width: int = 1280) -> None:
        self.site = site
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.bytes_by_url: dict[str, int] = {}
        self.context = browser.new_context(viewport={"width": width, "height": 1400}, color_scheme=color_scheme,
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.on("response", self._count)
        self.response = self.page.goto(urljoin(site, path), wait_until="load")
        self.page.wait_for_function(CHARTS_DRAWN, timeout=60_000)

    def _count(self, response) -> None:
        try:
            self.bytes_by_url[response.url] = len(response.body())
        except Exception:  # a redirect or an aborted response has no body; the request lists still hold it
            pass

    def off_origin(self) -> list[str]:
        origin = urlparse(self.site).netloc
        return [url for url in self.requests
                if urlparse(url).scheme not in ("data", "blob", "about") and urlparse(url).netloc != origin]

    def rendered_charts(self) -> dict[str, list[int]]:
        """Per chart div: points per trace as plotly drew them (its full data, after defaults)."""
        return self.page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll('div.fwbench-chart.js-plotly-plot'))"
            ".map(d => [d.id, d._fullData.map(t => t._length ?? Math.max((t.x||[]).length, (t.y||[]).length))]))")

    def chart_ids(self) -> list[str]:
        return self.page.eval_on_selector_all("div.fwbench-chart", "els => els.map(e => e.id)")

    def download_links(self, chart_id: str) -> tuple[str, str]:
        links = self.page.locator(f"#{chart_id}-data + p.fwbench-downloads")
        return (links.locator("a.fwbench-download-csv").get_attribute("href"),
                links.locator("a.fwbench-download-json").get_attribute("href"))

    def close(self) -> None:
        self.context.close()


def _every_page(browser, site) -> list[tuple[str, str]]:
    """Nav pages, every run page their selectors link to, and the executed examples' notebook pages."""
    pages = list(nav_pages()) + example_notebook_pages(browser, site)
    seen = {path for _, path in pages}
    for title, path in nav_pages():
        visit = PageVisit(browser, site, path)
        try:
            for value in visit.page.eval_on_selector_all("select.fwbench-run-select option", "os => os.map(o => o.value)"):
                target = urlparse(urljoin(urljoin(site, path), value)).path.lstrip("/")
                if target not in seen:
                    seen.add(target)
                    pages.append((f"{title} ({target})", target))
        finally:
            visit.close()
    return pages


def _assert_charts_match_data(visit: PageVisit, path: str) -> int:
    """Each chart drew the traces and points its JSON download holds, and the CSV has a row per point."""
    rendered = visit.rendered_charts()
    ids = visit.chart_ids()
    assert sorted(rendered) == sorted(ids), f"{path}: charts not drawn: {sorted(set(ids) - set(rendered))}"
    for chart_id, points in rendered.items():
        csv_href, json_href = visit.download_links(chart_id)
        base = urljoin(visit.site, path)
        data = visit.page.request.get(urljoin(base, json_href))
        assert data.ok, f"{path}: {json_href} -> {data.status}"
        document = json.loads(data.text())
        assert [t["points"] for t in document["traces"]] == points, f"{path}#{chart_id}: drawn {points}"
        table = visit.page.request.get(urljoin(base, csv_href))
        assert table.ok, f"{path}: {csv_href} -> {table.status}"
        rows = list(csv.reader(io.StringIO(table.text())))
        assert len(rows) - 1 == sum(points), f"{path}#{chart_id}: CSV has {len(rows) - 1} rows for {sum(points)} points"
        shown_rows = visit.page.locator(f"#{chart_id}-data tbody tr").count()
        # A table of up to INLINE_POINT_LIMIT points lists them all; a larger one has one summary row per series.
        expected = sum(points) if sum(points) <= chart_data.INLINE_POINT_LIMIT else len(points)
        assert shown_rows == expected, f"{path}#{chart_id}: table has {shown_rows} rows for {sum(points)} points"
    return len(rendered)


def test_every_page_loads_clean_draws_its_data_and_stays_light(browser, site):
    weights = []
    for title, path in _every_page(browser, site):
        visit = PageVisit(browser, site, path)
        try:
            assert visit.response is not None and visit.response.ok, f"{path}: {visit.response and visit.response.status}"
            assert visit.errors == [], f"{path}: {visit.errors}"
            assert visit.failed == [], f"{path}: failed requests {visit.failed}"
            assert visit.off_origin() == [], f"{path}: requests off the site's origin {visit.off_origin()}"
            charts = _assert_charts_match_data(visit, path)
            html_bytes = visit.bytes_by_url.get(urljoin(site, path), 0)
            total = sum(visit.bytes_by_url.values())
            weights.append((path or "/", html_bytes, charts, total))
        finally:
            visit.close()
    print("\npage weights (the page's own HTML with its embedded figure data; and everything it loaded, shared "
          "assets such as plotly.min.js included, which a browser caches across pages):")
    for path, html_bytes, charts, total in weights:
        print(f"  {path:45s} {html_bytes / 1024:8.1f} KB own, {charts:3d} charts, {total / 1024:8.1f} KB loaded")
    bundle = vendored.plotly_js_path()
    print(f"  plotly.js served: {vendored.PLOTLY_PACKAGE} {vendored.bundle_version(bundle)}, "
          f"{bundle.stat().st_size / 1024:.1f} KB (trace types: {' '.join(sorted(vendored.bundle_trace_types(bundle)))}),"
          " loaded once per visit and cached across pages")
    heavy = [(path, size) for path, size, _, _ in weights if size > PAGE_BUDGET_BYTES]
    assert not heavy, f"pages over {PAGE_BUDGET_BYTES // 1024} KB: {heavy}"
    assert any(charts for _, _, charts, _ in weights), "no page drew a chart"


def test_plotly_loads_once_from_the_site_and_is_cacheable(browser, site):
    visit = PageVisit(browser, site, "performance/")
    try:
        plotly = [url for url in visit.requests if url.endswith("plotly.min.js")]
        assert len(plotly) == 1 and plotly[0].startswith(site), plotly
        response = visit.page.request.get(plotly[0])
        assert response.headers.get("last-modified"), "plotly.min.js is served without a validator to cache by"
    finally:
        visit.close()


def test_run_selector_switches_the_run_and_the_data(browser, site):
    visit = PageVisit(browser, site, "performance/")
    try:
        select = visit.page.locator("select.fwbench-run-select")
        assert select.count() == 1, "the performance page has no run selector: results/ should hold two timing runs"
        shown = visit.page.get_attribute("div.fwbench-run-note", "data-run-id")
        options = visit.page.eval_on_selector_all(
            "select.fwbench-run-select option", "os => os.map(o => [o.dataset.runId, o.value, o.selected])")
        assert [o[0] for o in options if o[2]] == [shown]
        before = visit.rendered_charts()
        other = next(o for o in options if o[0] != shown)
        with visit.page.expect_navigation():
            select.select_option(value=other[1])
        visit.page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
        assert visit.page.get_attribute("div.fwbench-run-note", "data-run-id") == other[0]
        assert other[0] in visit.page.locator("#cite-this-page ~ div.highlight").first.inner_text()
        assert visit.rendered_charts() != before, "switching the run left every chart as it was"
        assert visit.errors == [] and visit.off_origin() == []
    finally:
        visit.close()


def test_download_link_saves_a_file_that_parses(browser, site):
    visit = PageVisit(browser, site, "performance/")
    try:
        chart_id = visit.chart_ids()[0]
        with visit.page.expect_download() as download_info:
            visit.page.locator(f"#{chart_id}-data + p.fwbench-downloads a.fwbench-download-json").click()
        document = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
        assert document["chart_id"] == chart_id and document["runs"]
    finally:
        visit.close()


# Desktop and phone widths: the screenshots were taken at these.
WIDTHS = (1400, 420)


def test_every_article_has_a_citation_block_and_a_screenshot(browser, site):
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    for title, path in article_pages():
        for width in WIDTHS:
            for scheme in ("light", "dark"):
                visit = PageVisit(browser, site, path, color_scheme=scheme, width=width)
                try:
                    if scheme == "light" and width == WIDTHS[0]:
                        cite = visit.page.locator("#cite-this-page")
                        assert cite.count() == 1, f"{path}: no 'Cite this page' section"
                        text = visit.page.locator("article").inner_text()
                        assert "@misc{" in text and "Permalink" in text, f"{path}: citation incomplete"
                    name = (path.strip("/") or "home") + f"-{width}-{scheme}.png"
                    visit.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
                finally:
                    visit.close()
    assert len(list(SCREENSHOTS.glob("*.png"))) == 2 * len(WIDTHS) * len(article_pages())


# Elements of the article wider than the article's content column, or scrolled (a clipped table): what a
# reader cannot see without scrolling sideways. Plotly's own hover layers and the code blocks (which scroll by
# design) are left out.
OVERFLOWING = """() => {
  const column = document.querySelector('article.md-content__inner');
  // Material lets a table's scroll wrapper reach 0.8rem into the column's padding on each side.
  const right = column.getBoundingClientRect().right + 0.8 * parseFloat(getComputedStyle(document.documentElement).fontSize) + 1;
  const out = [];
  column.querySelectorAll('.md-typeset__scrollwrap, .md-typeset__table, table, .fwbench-chart, .fwbench-glance').forEach(el => {
    if (el.closest('details:not([open])') || el.closest('pre')) return;
    const box = el.getBoundingClientRect();
    const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
    if (box.width > 0 && (box.right > right || scrolls)) {
      const cells = el.querySelector('th') ? Array.from(el.querySelectorAll('th')).map(th => th.textContent.trim()).slice(0, 4).join(' | ') : '';
      out.push(`${el.tagName.toLowerCase()}.${el.className || el.id} [${cells}]: right ${Math.round(box.right)} > ${Math.round(right)} or scrolls ${el.scrollWidth} > ${el.clientWidth}`);
    }
  });
  return out;
}"""

# The first column of each verdict table (it holds the verdict) stays on a phone's screen.
VERDICT_VISIBLE = """() => Array.from(document.querySelectorAll('article table'))
  .filter(t => t.tHead && t.tHead.rows[0].cells[0].textContent.trim() === 'verdict')
  .flatMap(t => Array.from(t.tBodies[0].rows).map(r => r.cells[0].getBoundingClientRect().right))
  .filter(right => right > window.innerWidth + 1).length"""


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_its_column_and_the_verdict_stays_on_screen(browser, site, width):
    problems = []
    for title, path in article_pages():
        visit = PageVisit(browser, site, path, width=width)
        try:
            if width >= 1000:
                problems += [f"{path or '/'}: {item}" for item in visit.page.evaluate(OVERFLOWING)]
            hidden = visit.page.evaluate(VERDICT_VISIBLE)
            if hidden:
                problems.append(f"{path or '/'}: {hidden} verdict cells off a {width} px screen")
            glance = visit.page.evaluate("() => Array.from(document.querySelectorAll('.fwbench-glance table'))"
                                         ".filter(t => t.getBoundingClientRect().right > window.innerWidth + 1).length")
            if glance:
                problems.append(f"{path or '/'}: the at-a-glance matrix is wider than a {width} px screen")
        finally:
            visit.close()
    assert problems == []


# Words of a table cell that the browser broke across lines ("PyTor / ch"): each word standing alone between spaces
# (letters only, up to 14, so a hash, a path or a long code token may still break) whose range spans two lines.
BROKEN_WORDS = r"""(selector) => {
  const broken = [];
  document.querySelectorAll(selector).forEach(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/(?<=^|\s)[A-Za-z]{2,14}(?=[.,;:]?(?:\s|$))/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  });
  return broken;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_table_words_stay_whole_on_a_phone_and_headers_at_every_width(browser, site, width):
    """At 420 px, breaking anywhere split "PyTorch" and "batch" letter by letter in the verdict and all-cases
    tables, and at 1400 px the header "configuratio / n"; words now stay whole (on a phone a wide table scrolls
    sideways in its wrapper; on a desktop a cell's long token may still break, which keeps tables in the column)."""
    cells = ("article table:not([class]) th, article table:not([class]) td" if width < 1000
             else "article table:not([class]) th:not(:has(code))")
    problems = []
    for title, path in article_pages():
        visit = PageVisit(browser, site, path, width=width)
        try:
            broken = visit.page.evaluate(BROKEN_WORDS, cells)
            if broken:
                problems.append(f"{path}: {len(broken)} words broken across lines, e.g. {sorted(set(broken))[:8]}")
            assert visit.page.evaluate(VERDICT_VISIBLE) == 0
        finally:
            visit.close()
    assert problems == []


def test_every_cell_of_the_matrix_links_to_its_evidence(browser, site):
    visit = PageVisit(browser, site, "")
    try:
        links = visit.page.eval_on_selector_all(".fwbench-glance td a", "as => as.map(a => a.href)")
        assert links, "the Home page has no at-a-glance matrix"
        colours = visit.page.eval_on_selector_all(".fwbench-glance td", "tds => tds.map(td => td.className)")
        assert all("fwbench-glance-" in c for c in colours)
        for href in links:
            target, _, anchor = href.partition("#")
            response = visit.page.request.get(target)
            assert response.ok, f"{href} -> {response.status}"
            if anchor:
                assert f'id="{anchor}"' in response.text(), f"{href}: no element with id {anchor}"
            assert urlparse(target).netloc == urlparse(site).netloc
    finally:
        visit.close()


CELL_TEXTS = "t => Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))"


def test_compare_draws_historys_table_for_the_release_pair_and_names_it_in_the_url(browser, site):
    visit = PageVisit(browser, site, "history/")
    try:
        pairs = visit.page.eval_on_selector_all("div.fwbench-changes",
                                                "ds => ds.map(d => [d.dataset.before, d.dataset.after])")
        assert pairs, "History shows no release pair: results/ should hold two releases on one hardware class"
        before, after = pairs[0]
        history_rows = visit.page.eval_on_selector("div.fwbench-changes table", CELL_TEXTS)
    finally:
        visit.close()
    assert history_rows
    visit = PageVisit(browser, site, f"compare/?a={before}&b={after}")
    try:
        visit.page.wait_for_selector("div.fwbench-compare-result div.fwbench-changes table", timeout=30_000)
        assert visit.page.eval_on_selector("div.fwbench-compare-result table", CELL_TEXTS) == history_rows
        assert visit.page.input_value("select.fwbench-compare-a") == before
        assert visit.page.input_value("select.fwbench-compare-b") == after
        link = visit.page.get_attribute("a.fwbench-compare-permalink", "href")
        assert f"a={before}" in link and f"b={after}" in link
        # Swapping the pair: the address follows, and the table is the reversed pair's.
        visit.page.select_option("select.fwbench-compare-a", after)
        visit.page.select_option("select.fwbench-compare-b", before)
        visit.page.wait_for_function(
            f"() => (document.querySelector('div.fwbench-compare-result div.fwbench-changes') || {{}}).dataset"
            f"?.before === '{after}'", timeout=30_000)
        assert f"a={after}" in visit.page.url and f"b={before}" in visit.page.url
        assert visit.errors == [] and visit.failed == [] and visit.off_origin() == []
    finally:
        visit.close()


def test_long_tables_sort_by_number_and_filter_by_words(browser, site):
    visit = PageVisit(browser, site, "performance/")
    try:
        filters = visit.page.locator("input.fwbench-table-filter")
        assert filters.count() > 0, "no table got a filter box"
        table = visit.page.locator("input.fwbench-table-filter ~ * table, input.fwbench-table-filter ~ table").first
        rows = table.locator("tbody tr")
        total = rows.count()
        word = rows.first.locator("td").first.inner_text().split()[0]
        filters.first.fill(word)
        shown = table.evaluate("t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).length")
        assert 0 < shown <= total
        assert all(word.lower() in text.lower() for text in table.evaluate(
            "t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).map(r => r.textContent)"))
        filters.first.fill("")
        assert table.evaluate("t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).length") == total
        header = visit.page.locator("th[data-sort-method='fwbench-number']").first
        assert header.count() == 1, "no column was recognised as numbers"
        header.click()
        assert header.get_attribute("aria-sort") == "ascending"
        column = header.evaluate("th => th.cellIndex")
        # The sort key is a cell's data-sort where it has one (the verdict column sorts by its ratio), else its text;
        # a cell such as "6.01× (5.12×–6.35×)" sorts by the number it opens with.
        values = header.evaluate(
            "(th, i) => Array.from(th.closest('table').tBodies[0].rows).map(r => "
            "(r.cells[i].getAttribute('data-sort') || r.cells[i].textContent).trim())", column)
        numbers = [float(re.match(r"-?[\d.]+", v.replace(",", "").replace("\u2212", "-")).group(0))
                   for v in values if v != "\u2014"]
        assert numbers == sorted(numbers)
        assert visit.errors == []
    finally:
        visit.close()


def _notebook_pages(browser, site) -> list[tuple[str, str]]:
    return [(title, path) for title, path in nav_pages() if path.startswith("notebooks/")] + \
        example_notebook_pages(browser, site)


def test_notebook_pages_load_clean_draw_their_figures_and_offer_both_downloads(browser, site):
    pages = _notebook_pages(browser, site)
    assert len(pages) >= 5 + 2, f"expected the companion notebooks and executed examples, found {pages}"
    figures_drawn = 0
    for title, path in pages:
        visit = PageVisit(browser, site, path)
        try:
            assert visit.response is not None and visit.response.ok, f"{path}: {visit.response and visit.response.status}"
            assert visit.errors == [], f"{path}: {visit.errors}"
            assert visit.failed == [] and visit.off_origin() == [], f"{path}: {visit.failed} {visit.off_origin()}"
            assert not visit.page.locator("script[src*='require'], script[src*='mathjax'], script[src*='mermaid']").count()
            # Every figure in the page's HTML is drawn, with the traces and points it carries.
            figures = site_pages.notebook_figures(visit.page.content())
            drawn = visit.page.evaluate(
                "() => Object.fromEntries(Array.from(document.querySelectorAll('div.plotly-graph-div.js-plotly-plot'))"
                ".map(d => [d.id, d._fullData.map(t => t._length ?? Math.max((t.x||[]).length, (t.y||[]).length))]))")
            assert set(drawn) == set(figures), f"{path}: drawn {sorted(drawn)}, in the page {sorted(figures)}"
            for div_id, figure in figures.items():
                assert drawn[div_id] == [site_pages.point_count(t) for t in figure["data"]], f"{path}#{div_id}"
                assert sum(drawn[div_id]) > 0, f"{path}#{div_id}: an empty figure"
            figures_drawn += len(figures)
            # Both downloads: the notebook (JSON a notebook reader opens) and the percent-format script.
            base = urljoin(site, path)
            ipynb = visit.page.get_attribute("a.fwbench-download-ipynb", "href")
            script = visit.page.get_attribute("a.fwbench-download-py", "href")
            notebook = visit.page.request.get(urljoin(base, ipynb))
            assert notebook.ok and json.loads(notebook.text())["nbformat"] == 4, f"{path}: {ipynb}"
            source = visit.page.request.get(urljoin(base, script))
            assert source.ok and "# %%" in source.text(), f"{path}: {script}"
        finally:
            visit.close()
    assert figures_drawn >= 5, "every companion notebook draws a chart"


def test_a_notebook_download_button_saves_the_notebook(browser, site):
    visit = PageVisit(browser, site, "notebooks/performance/")
    try:
        with visit.page.expect_download() as download_info:
            visit.page.locator("a.fwbench-download-ipynb").click()
        assert download_info.value.suggested_filename == "performance.ipynb"
        notebook = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
        assert any("contract.files" in "".join(cell["source"]) for cell in notebook["cells"])
    finally:
        visit.close()
