import os
from pathlib import Path


def make(work: Path) -> None:
    (work / "secret.txt").write_text("the secret", encoding="utf-8")
    (work / "secret-card.md").write_text("<!--\nModels:\n- Name: secret_model\n-->\n", encoding="utf-8")
    (work / "docs" / "readme.md").symlink_to(work / "secret.txt")
    (work / "docs" / "models" / "secret-card.md").symlink_to(work / "secret-card.md")
    os.mkfifo(work / "docs" / "pipe.md")
    (work / "elsewhere").mkdir()
    (work / "elsewhere" / "keep.md").write_text("keep", encoding="utf-8")
    (work / "out").mkdir()
    (work / "out" / "index.md").symlink_to(work / "elsewhere" / "keep.md")


def check(work: Path, run) -> None:
    written = [p for p in (work / "out").rglob("*") if p.is_file() and not p.is_symlink()]
    assert written and all(b"secret" not in p.read_bytes() for p in written)
    assert (work / "out" / "models" / "own.md").is_file()
