"""Static validation of real cards: the seed card's known problems, the timm corpus, start-up cost."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

SEED_CARD = Path(__file__).parent / "fixtures" / "seed" / "big-transfer.md"
HEAVY_MODULES = ("torch", "timm", "jinja2")

# The seed metadata's problems, line by line: six models share the same ones.
TRAINING_TIME = [34, 67, 102, 141, 180, 219]  # Training Time: ''
CONFIG = [40, 73, 112, 151, 190, 229]  # Config: ''
CROP_PCT = [36, 69, 106, 145, 184, 223]  # Crop Pct: '1.0'
IMAGE_SIZE = [37, 70, 108, 147, 186, 225]  # Image Size: '480'
EXPECTED_SEED = Counter(
    [("MI205", line) for line in TRAINING_TIME + CONFIG]
    + [("MI205", 51)]  # Training Resources: '' (second model)
    + [("MI201", line) for line in CROP_PCT + IMAGE_SIZE]
    + [("MI207", 235)]  # url: https://papperswithcode.com//paper/...
    + [("MI209", 235)]  # ... and its host is misspelt
    + [("MI008", 236)]  # `type: model-index` inside the collection
)


def test_seed_card_static_findings(run_static, lines_of):
    index, result = run_static([SEED_CARD])
    assert Counter(lines_of(result)) == EXPECTED_SEED
    assert (result.summary.models, result.summary.collections) == (6, 1)
    assert result.summary.errors == 0 and result.summary.warnings == sum(EXPECTED_SEED.values())


def test_seed_fixes_write_numbers_and_the_collapsed_url(run_static):
    _, result = run_static([SEED_CARD])
    fixes = {(d.code, d.span.line): d.fix.replacement for d in result.diagnostics if d.fix}
    assert fixes[("MI201", 36)] == "1.0" and fixes[("MI201", 37)] == "480"
    assert fixes[("MI207", 235)] == "https://papperswithcode.com/paper/large-scale-learning-of-general-visual"
    assert fixes[("MI209", 235)] == "https://paperswithcode.com//paper/large-scale-learning-of-general-visual"
    assert len(fixes) == 14


def test_seed_as_given_matches_the_fixture(shared, run_static, lines_of, write_file):
    """The original seed text (a .txt) holds the same metadata, further down its file."""
    original = next((shared / "seed").glob("*.txt")).read_text(encoding="utf-8")
    offset = original.splitlines().index("<!--") - SEED_CARD.read_text(encoding="utf-8").splitlines().index("<!--")
    _, result = run_static([write_file("big-transfer.md", original)])
    assert Counter(lines_of(result)) == Counter({(code, line + offset): n for (code, line), n in EXPECTED_SEED.items()})


def test_corpus_validates_without_a_crash(shared, run_static):
    models = shared / "corpus" / "timm-docs-2021" / "models"
    index, result = run_static([models])
    assert result.summary.files == 50 and result.summary.models >= 50
    assert not [d for d in result.diagnostics if d.code.startswith("MI0")]
    lengths = {path: len(text.splitlines()) for path, text in index.texts.items()}
    assert all(1 <= d.span.line <= lengths[d.path] for d in result.diagnostics)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_static_validation_imports_no_heavy_module():
    loaded = _run(
        "import sys\n"
        "from model_index.lint import Options, validate\n"
        f"validate([{str(SEED_CARD)!r}], options=Options(cross_check='never'))\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n")
    assert loaded.strip() == "[]"


def test_cli_static_validate_imports_no_heavy_module():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "model_index", "validate", str(SEED_CARD),
                           "--no-cross-check", "--output-format", "json"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "yaml" in imported and not imported & set(HEAVY_MODULES)
