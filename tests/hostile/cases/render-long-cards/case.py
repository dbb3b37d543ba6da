"""Big cards are generated, never committed."""

from pathlib import Path

BLOCK = "<!--\nModels:\n- Name: m{i}\n  Metadata:\n    Image Size: 224\n-->\n"
PROSE = ["\n" * 4_000_000, "\r" * 4_000_000, "`x" * 1_500_000 + "`\n"]


def make(work: Path) -> None:
    models = work / "docs" / "models"
    models.mkdir(parents=True)
    for i, prose in enumerate(PROSE):
        with open(models / f"card{i}.md", "w", encoding="utf-8", newline="") as stream:
            stream.write(f"# Card {i}\n\n{prose}\n{BLOCK.format(i=i)}")


def check(work: Path, run) -> None:
    for i in range(len(PROSE)):
        assert "## Models" in (work / "out" / "models" / f"card{i}.md").read_text(encoding="utf-8")
