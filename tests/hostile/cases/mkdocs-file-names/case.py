"""Hostile card file names in a real `mkdocs build`: the names are made here, not committed."""

import os
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

NAMES = ["x%0A::error title=PWNED::injected.md", "hash#tag.md", "what?.md", "scheme:x.md",
         "line\n::error::raw.md", "plain.md"]
NOT_UTF8 = b"caf\xe9.md"
CARD = "# Family {i}\n\n<!--\nModels:\n- Name: model{i}\n  Metadata:\n    Image Size: 224\n-->\n"


def make(work: Path) -> None:
    models = work / "docs" / "models"
    models.mkdir(parents=True)
    (work / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (work / "mkdocs.yml").write_text("site_name: S\ntheme:\n  name: material\n  font: false\n"
                                     "plugins:\n  - model-index\n", encoding="utf-8")
    for i, name in enumerate(NAMES):
        (models / name).write_text(CARD.format(i=i), encoding="utf-8")
    with open(os.fsencode(models) + b"/" + NOT_UTF8, "w", encoding="utf-8") as stream:
        stream.write(CARD.format(i=len(NAMES)))


def check(work: Path, run) -> None:
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "caf\\xe9" in warnings[0], warnings  # only the file left out
    assert not [line for line in run.stderr.splitlines() if line.lstrip().startswith("::")]
    site = work / "site"
    overview = (site / "overview" / "index.html").read_text(encoding="utf-8")
    links = {unescape(href) for href in re.findall(r'href="\.\./(models/[^"]*)"', overview)}
    pages = {unquote(link) for link in links}
    expected = {f"models/{name[:-3]}/" for name in NAMES}
    assert expected <= pages, (pages, expected)  # each card linked, to its own page
    for page in expected:
        assert (site / page / "index.html").is_file(), page
    assert "model6" in overview  # the card left out is still listed, unlinked
