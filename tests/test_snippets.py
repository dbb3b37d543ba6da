"""Every code snippet of a rendered card runs, offline: `pretrained=True` becomes False and the
example image is a generated one."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from model_index.index import load
from model_index.render import Site

pytest.importorskip("timm")
pytestmark = pytest.mark.timm

from PIL import Image  # noqa: E402  (after the skip: Pillow comes with timm's torchvision-free stack)

from model_index.lint import Options, validate  # noqa: E402

ROOT = Path(__file__).parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "timm-docs-2021"
CARDS = [ROOT / "tests" / "fixtures" / "site" / "docs" / "models" / name
         for name in ("resnet.md", "mobilenet-v3.md", "vit.md")]
CARDS += sorted((ROOT / "docs" / "models").glob("*.md"))
if CORPUS.is_dir():
    CARDS.append(CORPUS / "models" / "big-transfer.md")

_TAB_CODE = re.compile(r"^    ```python\n(.*?)^    ```$", re.S | re.M)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    """A registry cache of this module's own: never the developer's cache."""
    return tmp_path_factory.mktemp("cache")


def snippets(card: Path, cache: Path) -> list[str]:
    """The Python snippets of the card's rendered usage section, in page order."""
    index = load([card])
    resolved = validate([card], options=Options(cross_check="always", cache_dir=str(cache), jobs=1), index=index)[1].resolved
    site = Site(index, card.parent, None, resolved)
    rendered = site.card(card, card.read_text(encoding="utf-8"))
    usage = rendered.split("## How do I use this model?", 1)[1]
    return [textwrap.dedent(block) for block in _TAB_CODE.findall(usage)]


@pytest.mark.parametrize("card", CARDS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_snippets_run(card, tmp_path, monkeypatch, cache_dir):
    code = snippets(card, cache_dir)
    assert len(code) == 5, "create, preprocess, predict, features, fine-tune"
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (320, 240), (200, 120, 40)).save("dog.jpg")
    namespace: dict = {}
    for snippet in code:
        assert "pretrained=True" in snippet or "create_model" not in snippet
        exec(compile(snippet.replace("pretrained=True", "pretrained=False"), str(card), "exec"), namespace)
    assert namespace["loss"].requires_grad
    assert namespace["embedding"].ndim == 2
