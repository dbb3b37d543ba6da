"""Big files are generated, never committed."""

from pathlib import Path

MODEL = "- Name: m{i}\n  Metadata: {{Image Size: 224, Crop Pct: 0.9, Parameters: 1000}}\n"


def make(work: Path) -> None:
    with open(work / "model-index.yml", "w", encoding="utf-8") as stream:
        stream.write("Models:\n")
        for i in range(700_000):
            stream.write(MODEL.format(i=i))
    block = "".join(MODEL.format(i=i) for i in range(28_000))
    (work / "card.md").write_text(f"# Big\n\n<!--\nModels:\n{block}-->\n", encoding="utf-8")
