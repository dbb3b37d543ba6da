"""The built site in headless Chromium: the chart draws, tables sort, tabs switch, the model
picker swaps names, search finds a model by name. Served on 127.0.0.1, nothing from the network."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import CHROMIUM, chromium, mkdocs_build, serve  # noqa: E402

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def playwright():
    """One Playwright driver for the module (a second one cannot start while it runs)."""
    with sync_api.sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def page(tmp_path_factory, playwright):
    """A browser page on the fixture site, with every request outside 127.0.0.1 refused and counted."""
    tmp = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", tmp / "project")
    run = mkdocs_build(tmp / "project", tmp / "site")
    assert run.returncode == 0, run.stderr
    with serve(tmp / "site") as url, chromium(playwright) as context:
        outside: list[str] = []
        context.route(lambda u: not u.startswith(url), lambda route: (outside.append(route.request.url),
                                                                      route.abort()))
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.base = url
        yield tab
        assert errors == []
        assert outside == [], "the site must work offline"


def test_overview_chart_draws(page):
    page.goto(page.base + "overview/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('mi-overview-chart'))")
    series = page.evaluate("() => Chart.getChart(document.getElementById('mi-overview-chart'))"
                           ".data.datasets.map(d => [d.label, d.data.length])")
    assert series == [["MobileNetV3", 1], ["ResNet", 2], ["Vision Transformer", 1]]
    painted = page.evaluate("""() => {
        const c = document.getElementById('mi-overview-chart');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n; }""")
    assert painted > 1000


def test_overview_table_sorts(page):
    page.goto(page.base + "overview/")
    header = page.locator("article table th", has_text="Params (M)")
    first_params = "() => document.querySelector('article table tbody tr').cells[2].textContent.trim()"
    header.click()
    ascending = page.evaluate(first_params)
    header.click()
    descending = page.evaluate(first_params)
    assert (ascending, descending) in [("1.59", "21.80"), ("21.80", "1.59")]
    assert header.get_attribute("aria-sort") in ("ascending", "descending")


def test_content_tabs_switch_and_picker_swaps_model(page):
    page.goto(page.base + "models/resnet/")
    create = page.locator(".tabbed-block").nth(0)
    preprocess = page.locator(".tabbed-block").nth(1)
    assert create.is_visible() and not preprocess.is_visible()
    page.locator(".tabbed-labels label", has_text="Preprocess").click()
    assert preprocess.is_visible() and not create.is_visible()
    assert "resolve_data_config" in preprocess.inner_text()
    page.locator(".tabbed-labels label", has_text="Create").click()
    page.select_option(".mi-picker select", "resnet34.a1_in1k")
    assert 'timm.create_model("resnet34.a1_in1k", pretrained=True)' in create.inner_text()


def test_search_finds_model_by_name(page):
    page.goto(page.base)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("mobilenetv3_small_050", delay=20)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    assert "MobileNetV3" in page.locator(".md-search-result").inner_text()


def test_overview_chart_draws_without_an_article(tmp_path, playwright):
    """mkdocs' own theme has no <article>: the script falls back to the document and still draws.
    (The build warns that the theme cannot show the snippets' tabs: it is not strict.)"""
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", tmp_path / "project")
    config = tmp_path / "project" / "mkdocs.yml"
    theme = "theme:\n  name: mkdocs\n  highlightjs: false\n"  # highlight.js would come from a CDN
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("theme:")] + theme + text[text.index("markdown_extensions:"):],
                      encoding="utf-8")
    run = mkdocs_build(tmp_path / "project", tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    with serve(tmp_path / "site") as url, chromium(playwright) as context:
        context.route(lambda u: not u.startswith(url), lambda route: route.abort())
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(url + "overview/")
        assert tab.locator("article").count() == 0
        assert errors == []  # the script ran at DOMContentLoaded, before `goto` returned
        tab.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('mi-overview-chart'))",
                              timeout=10000)
        series = tab.evaluate("() => Chart.getChart(document.getElementById('mi-overview-chart'))"
                              ".data.datasets.map(d => [d.label, d.data.length])")
        assert series == [["MobileNetV3", 1], ["ResNet", 2], ["Vision Transformer", 1]]
