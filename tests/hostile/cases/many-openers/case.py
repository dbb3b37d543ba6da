"""About 3.5 MB of openers on a few long lines, then one real block."""

from pathlib import Path


def make(work: Path) -> None:
    lines = ["`<!--` " * 150_000, "<!-- x --> " * 100_000, "``x`` `<!--` <!-- y --> " * 50_000]
    block = "<!--\nModels:\n- Name: real\n-->\n"
    (work / "card.md").write_text("# Openers\n\n" + "\n".join(lines) + "\n\n" + block, encoding="utf-8")
