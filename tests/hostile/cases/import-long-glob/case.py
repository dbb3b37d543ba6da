"""A 60 KB glob: `**/*/` repeated, over a small tree."""

from pathlib import Path


def make(work: Path) -> None:
    (work / "zoo" / "a" / "b").mkdir(parents=True)
    (work / "zoo" / "a" / "b" / "card.md").write_text("<!--\nModels:\n- Name: m\n-->\n", encoding="utf-8")
    (work / "zoo" / "model-index.yml").write_text("Import:\n- '" + "**/*/" * 12_000 + "*.md'\n", encoding="utf-8")
