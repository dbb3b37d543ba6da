"""Links that loop: cards/loop -> .. and cards/self -> ."""

from pathlib import Path


def make(work: Path) -> None:
    (work / "zoo" / "cards" / "loop").symlink_to("..")
    (work / "zoo" / "cards" / "self").symlink_to(".")
