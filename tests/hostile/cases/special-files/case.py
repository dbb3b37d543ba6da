"""FIFOs and device links cannot be committed; they are made in the work folder."""

import os
from pathlib import Path


def make(work: Path) -> None:
    os.mkfifo(work / "docs" / "pipe.md")
    (work / "docs" / "zero.md").symlink_to("/dev/zero")
