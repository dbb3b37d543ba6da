from pathlib import Path

VALUE = "bicubic\\x1b]0;title\\x07\\r\\n::error::injected\\x1b[2J"


def make(work: Path) -> None:
    (work / "cards").mkdir()
    card = f'<!--\nModels:\n- Name: m\n  Metadata:\n    Interpolation: "{VALUE}"\n-->\n'
    (work / "cards" / "plain.md").write_text(card, encoding="utf-8")
    (work / "cards" / "x\n::warning::injected\x1b[31m.md").write_text(card, encoding="utf-8")


def check(work: Path, run) -> None:
    lines = run.stdout.splitlines()
    assert all(line.startswith("::error ") for line in lines)  # every line is one of our annotations
    assert sum("title=MI204" in line for line in lines) == 2  # one per card
