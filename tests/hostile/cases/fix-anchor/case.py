from pathlib import Path


def check(work: Path, run) -> None:
    text = (work / "card.md").read_text(encoding="utf-8")
    assert "Image Size: &size 224\n" in text and "Crop Pct: &crop 0.875\n" in text
    assert "Code: &code https://example.org/a.py\n" in text and text.count("*size") == 1
