from pathlib import Path


def check(work: Path, run) -> None:
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*")) == ["docs", "docs/models", "docs/models/card.md"]
