"""The site a new user gets from the docs: the `mkdocs.yml` of the MkDocs guide (or of the README's
quick start) copied verbatim into a new project with one card, and what its card page must show in
a browser. Shared by the browser tests and the install tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"guide": ROOT / "docs" / "guide" / "mkdocs.md", "readme": ROOT / "README.md"}
CARD = ROOT / "tests" / "fixtures" / "site" / "docs" / "models" / "resnet.md"  # a card with code snippets
CARD_PAGE = "models/resnet/"
_YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def example(source: str) -> str:
    """The first YAML block of the document `source` ("guide" or "readme") that lists plugins."""
    text = SOURCES[source].read_text(encoding="utf-8")
    blocks = [block for block in _YAML_BLOCK.findall(text) if re.search(r"^plugins:", block, re.MULTILINE)]
    assert blocks, f"{SOURCES[source]} has no mkdocs.yml example"
    return blocks[0]


def new_project(where: Path, source: str) -> Path:
    """A new project at `where`: the example of `source` as its mkdocs.yml, a home page and a card
    in docs/models/, where the guide says to put them."""
    (where / "docs" / "models").mkdir(parents=True)
    (where / "mkdocs.yml").write_text(example(source), encoding="utf-8")
    (where / "docs" / "index.md").write_text("# My model zoo\n", encoding="utf-8")
    shutil.copy(CARD, where / "docs" / "models" / CARD.name)
    return where


def check_card_page(tab, base_url: str) -> None:
    """The card page renders as the guide promises: its code snippets are tabs that switch, and
    no Markdown syntax (`===` tab markers, ``` fences) is left on the page as text."""
    tab.goto(base_url + CARD_PAGE)
    text = tab.evaluate("() => document.querySelector('article').textContent")
    assert "===" not in text and "```" not in text
    assert "timm.create_model" in text  # the snippets are there, as code
    blocks = tab.locator(".tabbed-set .tabbed-block")
    assert blocks.count() >= 2
    first, second = blocks.nth(0), blocks.nth(1)
    assert first.is_visible() and not second.is_visible()
    tab.locator(".tabbed-labels label").nth(1).click()
    assert second.is_visible() and not first.is_visible()
    assert "resolve_data_config" in second.inner_text()
