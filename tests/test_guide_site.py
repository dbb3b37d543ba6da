"""The docs' own mkdocs.yml examples, copied verbatim into a new project, build with `--strict` and
render in headless Chromium as promised: the plugin sets up what its pages need."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from guide_site import check_card_page, example, new_project  # noqa: E402
from sitetools import CHROMIUM, chromium, mkdocs_build, serve  # noqa: E402

from model_index.render.extensions import REQUIRED  # noqa: E402

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("source", ["guide", "readme"])
def test_example_lists_no_markdown_extensions(source):
    """The examples are the minimal set-up: what the pages need comes from the plugin."""
    assert "markdown_extensions" not in example(source) and "model-index" in example(source)


@pytest.mark.parametrize("source", ["guide", "readme"])
def test_example_copied_verbatim_renders_tabs(source, tmp_path):
    project = new_project(tmp_path / "project", source)
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    with sync_api.sync_playwright() as playwright, serve(tmp_path / "site") as url, \
            chromium(playwright) as context:
        context.route(lambda u: not u.startswith(url), lambda route: route.abort())  # Material's web fonts
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        check_card_page(tab, url)
    assert errors == []


def test_guide_lists_every_extension_the_plugin_adds():
    """`model-index render` users set the extensions up themselves, from the guide's table."""
    guide = (ROOT / "docs" / "guide" / "mkdocs.md").read_text(encoding="utf-8")
    table = guide[guide.index("## What the plugin sets up"):guide.index("## What a build does")]
    for name, settings in REQUIRED.items():
        assert f"| `{name}`" in table, name
        for key, value in settings.items():
            assert f"`{key}: {str(value).lower()}`" in table, (name, key)
