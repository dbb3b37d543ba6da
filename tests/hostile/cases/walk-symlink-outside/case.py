"""The link is made here: a committed link would point somewhere else on every machine."""

from pathlib import Path


def make(work: Path) -> None:
    (work / "secret.md").write_text("<!--\nModels:\n- Name: secret_model\n  Metadata:\n    Epochs: 0\n-->\n",
                                    encoding="utf-8")
    (work / "docs" / "link.md").symlink_to(work / "secret.md")
