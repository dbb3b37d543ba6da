"""A tree 60 folders deep with a card in each folder, and a few files beside each."""

from pathlib import Path


def make(work: Path) -> None:
    folder = work / "zoo"
    for depth in range(60):
        folder = folder / f"level{depth}"
        folder.mkdir()
        (folder / "card.md").write_text(f"<!--\nModels:\n- Name: m{depth}\n-->\n", encoding="utf-8")
        for extra in range(3):
            (folder / f"note{extra}.txt").write_text("x", encoding="utf-8")
