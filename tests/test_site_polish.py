"""The project's own site in headless Chromium, measured: card tables fit beside both side bars at
1280 px, the chart's tick labels keep apart, every numeric column has one precision, and at 420 px
wide tables scroll with the model names in view and a hint on the side with more."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import CHROMIUM, chromium, mkdocs_build, serve  # noqa: E402

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")

CARDS = sorted(f"models/{card.stem}/" for card in (ROOT / "docs" / "models").glob("*.md"))
CHART = "document.getElementById('mi-overview-chart')"

# Each generated table: whether it (or Material's scrolling box around it) is wider than its box,
# and whether a header or cell cuts its own text.
TABLES = """() => Array.from(document.querySelectorAll('article .mi-table table')).map(table => {
    const box = table.closest('.md-typeset__scrollwrap');
    const cut = Array.from(table.querySelectorAll('th, td')).filter(c => c.scrollWidth > c.clientWidth + 1);
    return {head: table.tHead.rows[0].textContent.trim(), overflows: box.scrollWidth > box.clientWidth,
            tableOverflows: table.scrollWidth > table.clientWidth, cut: cut.map(c => c.textContent.trim())};
})"""

# The rendered box of every tick label of an axis, from Chart.js's label items and the tick font.
LABEL_BOXES = """(axis) => {
    const chart = Chart.getChart(%s), scale = chart.scales[axis], ctx = chart.ctx;
    return scale.getLabelItems().filter(item => item.label !== '').map(item => {
        ctx.save(); ctx.font = item.font.string;
        const width = ctx.measureText(item.label).width; ctx.restore();
        const [x, y] = item.options.translation, height = item.font.lineHeight, align = item.options.textAlign;
        const left = align === 'center' ? x - width / 2 : align === 'right' ? x - width : x;
        const top = item.options.textBaseline === 'middle' ? y - height / 2 : y;
        return {label: item.label, left: left, right: left + width, top: top, bottom: top + height};
    });
}""" % CHART

# Every column's cell texts, for every table of the article.
COLUMNS = """() => Array.from(document.querySelectorAll('article table')).map(table =>
    Array.from(table.tHead.rows[0].cells).map((header, i) => ({
        header: header.textContent.trim(),
        cells: Array.from(table.tBodies[0].rows).map(row => row.cells[i] ? row.cells[i].textContent.trim() : '')
    })))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The project's own site (mkdocs.yml at the root), built once and served."""
    out = tmp_path_factory.mktemp("polish") / "site"
    run = mkdocs_build(ROOT, out)
    assert run.returncode == 0, run.stderr
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def context(site):
    with sync_api.sync_playwright() as playwright, chromium(playwright) as browser_context:
        browser_context.route(lambda u: not u.startswith(site), lambda route: route.abort())
        yield browser_context


@pytest.fixture
def tab(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


def overlaps(boxes: list[dict], start: str, end: str) -> list[tuple[str, str]]:
    """Neighbouring labels whose boxes overlap along the axis (`start`/`end`: the box's edges)."""
    ordered = sorted(boxes, key=lambda box: box[start])
    return [(a["label"], b["label"]) for a, b in zip(ordered, ordered[1:]) if a[end] > b[start]]


@pytest.mark.parametrize("card", CARDS)
def test_card_tables_fit_at_1280_px(site, tab, card):
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(site + card)
    tables = tab.evaluate(TABLES)
    assert tables and tables[0]["head"].startswith("Model")
    for table in tables:
        assert not table["overflows"] and not table["tableOverflows"] and table["cut"] == [], table


@pytest.mark.parametrize("width", [1280, 420])
def test_overview_chart_tick_labels_do_not_overlap(site, tab, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(site + "overview/")
    tab.wait_for_function(f"() => window.Chart && Chart.getChart({CHART})")
    x, y = tab.evaluate(LABEL_BOXES, "x"), tab.evaluate(LABEL_BOXES, "y")
    assert len(x) >= 3 and len(y) >= 3
    assert overlaps(x, "left", "right") == [] and overlaps(y, "top", "bottom") == []
    if width == 1280:  # the project's models span 5 M to 937 M parameters: 1-2-5 steps fit
        assert [box["label"] for box in sorted(x, key=lambda box: box["left"])] == \
            ["5", "10", "20", "50", "100", "200", "500", "1,000"]


@pytest.mark.parametrize("page", CARDS + ["overview/"])
def test_numeric_columns_have_one_precision(site, tab, page):
    tab.goto(site + page)
    checked = 0
    for table in tab.evaluate(COLUMNS):
        for column in table:
            numbers = [cell for cell in column["cells"] if cell]
            if numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", cell) for cell in numbers):
                decimals = {len(cell.partition(".")[2]) for cell in numbers}
                assert len(decimals) == 1, (column["header"], numbers)
                checked += 1
    assert checked >= 3


@pytest.mark.parametrize("page", CARDS + ["overview/"])
def test_at_420_px_wide_tables_scroll_with_names_in_view(site, tab, page):
    tab.set_viewport_size({"width": 420, "height": 900})
    tab.goto(site + page)
    assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # no page-wide scroll
    assert tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article td')).fontSize)") >= 12
    tables = tab.evaluate(TABLES)
    assert all(table["cut"] == [] for table in tables), tables
    boxes = tab.locator("article .mi-table")
    wide = 0
    for i in range(boxes.count()):
        box = boxes.nth(i)
        scroller = box.locator(".md-typeset__scrollwrap")
        if not scroller.evaluate("s => s.scrollWidth > s.clientWidth"):
            assert box.get_attribute("data-mi-more") == ""
            continue
        wide += 1
        assert scroller.evaluate("s => getComputedStyle(s).overflowX") in ("auto", "scroll")
        assert box.get_attribute("data-mi-more") == "right"
        assert box.evaluate("b => getComputedStyle(b, '::after').opacity") == "1"  # the hint is drawn
        scroller.evaluate("s => { s.scrollLeft = s.scrollWidth; s.dispatchEvent(new Event('scroll')); }")
        tab.wait_for_function("b => b.dataset.miMore === 'left'", arg=box.element_handle())
        name, edge = box.locator("tbody tr td").first.bounding_box(), scroller.bounding_box()
        assert name["x"] >= edge["x"] - 1 and name["x"] + name["width"] <= edge["x"] + edge["width"]  # still in view
        last = box.locator("tbody tr td").last.bounding_box()
        assert last["x"] + last["width"] <= edge["x"] + edge["width"] + 1  # the last column can be reached
    if page == "overview/":
        assert wide  # the overview's six columns do not fit in 420 px: the case this test is for
