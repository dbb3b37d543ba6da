from pathlib import Path


def make(work: Path) -> None:
    (work / "docs" / "link.md").symlink_to(work / "docs" / "real" / "card.md")


def check(work: Path, run) -> None:
    assert (work / "docs" / "link.md").is_symlink()
