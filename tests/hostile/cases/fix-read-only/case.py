from pathlib import Path


def make(work: Path) -> None:
    (work / "card.md").write_text("<!--\nModels:\n- Name: m\n  Metadata:\n    Image Size: '224'\n-->\n",
                                  encoding="utf-8")
    (work / "card.md").chmod(0o444)
