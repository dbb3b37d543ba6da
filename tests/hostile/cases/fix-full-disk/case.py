from pathlib import Path


def make(work: Path) -> None:
    prose = "A line of prose about the model family, long enough to matter.\n" * 160
    (work / "card.md").write_text("<!--\nModels:\n- Name: m\n  Metadata:\n    Image Size: '224'\n-->\n" + prose,
                                  encoding="utf-8")


def check(work: Path, run) -> None:
    assert [p.name for p in work.iterdir()] == ["card.md"]  # no temporary file left behind
