"""The baseline: written from a run, matched by file, model, field and rule (not line), as a multiset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import cli

TIMM_CARDS = Path("corpus") / "timm-docs-2021" / "models"
TWO_COLLECTIONS = "# Zoo\n\n<!--\nCollections:\n- Name: A\n  Foo: 1\n- Name: B\n  Foo: 1\n-->\n"


def _run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def _reported(result) -> list[tuple[str, int, str]]:
    return [(d["code"], d["line"], d["path"]) for d in json.loads(result.stdout)["diagnostics"]]


@pytest.fixture
def zoo(shared, tmp_path, monkeypatch) -> Path:
    """A copy of the 50 real timm cards in tmp/zoo/models, run from tmp/zoo."""
    shutil.copytree(shared / TIMM_CARDS, tmp_path / "zoo" / "models")
    monkeypatch.chdir(tmp_path / "zoo")
    return tmp_path / "zoo"


def test_after_an_edit_only_the_new_problem_is_reported(zoo, monkeypatch):
    written = _run("validate", "models", "--no-cross-check", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    entries = json.loads((zoo / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert len(entries) > 100 and all(e["path"].startswith("models/") for e in entries)

    card = zoo / "models" / "resnet.md"
    lines = card.read_text(encoding="utf-8").split("\n")
    lines[:0] = ["A new paragraph", "of prose, which moves", "every line of the card."]
    interpolation = next(i for i, line in enumerate(lines) if "Interpolation:" in line)
    lines.insert(interpolation + 1, "    Trainig Data: [ImageNet]")
    card.write_text("\n".join(lines), encoding="utf-8")

    monkeypatch.chdir(zoo.parent)  # paths in the baseline do not depend on the working directory
    result = _run("validate", "zoo/models", "--no-cross-check", "--baseline", "zoo/baseline.json",
                  "--output-format", "json")
    assert _reported(result) == [("MI008", interpolation + 2, "zoo/models/resnet.md")]
    assert result.exit_code == 0


def test_repeated_identical_findings_are_counted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    card = tmp_path / "zoo.md"
    card.write_text(TWO_COLLECTIONS, encoding="utf-8")
    assert _run("validate", "zoo.md", "--write-baseline", "b.json", "--no-cross-check").exit_code == 0
    card.write_text(TWO_COLLECTIONS.replace("-->", "- Name: C\n  Foo: 1\n-->"), encoding="utf-8")
    result = _run("validate", "zoo.md", "--baseline", "b.json", "--no-cross-check", "--output-format", "json")
    assert [(code, line) for code, line, _ in _reported(result)] == [("MI008", 10)]


def test_fixed_findings_are_dropped_on_the_next_write(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    card = tmp_path / "zoo.md"
    card.write_text(TWO_COLLECTIONS, encoding="utf-8")
    _run("validate", "zoo.md", "--write-baseline", "b.json", "--no-cross-check")
    first = (tmp_path / "b.json").read_text(encoding="utf-8")
    card.write_text(TWO_COLLECTIONS.replace("  Foo: 1\n-->", "-->"), encoding="utf-8")
    again = _run("validate", "zoo.md", "--write-baseline", "b.json", "--no-cross-check")
    assert again.exit_code == 0 and "1 finding(s) of the previous baseline" in again.stderr
    assert len(json.loads(first)["findings"]) == 2
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"] == [
        {"path": "zoo.md", "model": None, "field": "Foo", "code": "MI008", "rule": "unknown-key"}]


def test_writing_twice_gives_the_same_bytes(zoo):
    _run("validate", "models", "--no-cross-check", "--write-baseline", "one.json")
    _run("validate", "models", "--no-cross-check", "--write-baseline", "two.json")
    assert (zoo / "one.json").read_bytes() == (zoo / "two.json").read_bytes()


def test_the_configured_baseline_is_relative_to_the_pyproject(tmp_path, monkeypatch):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "zoo.md").write_text(TWO_COLLECTIONS, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.model-index]\nbaseline = "ci/known.json"\n', encoding="utf-8")
    (tmp_path / "ci").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _run("validate", "cards", "--no-cross-check", "--write-baseline", "ci/known.json").exit_code == 0
    monkeypatch.chdir(tmp_path / "cards")
    result = _run("validate", ".", "--no-cross-check", "--output-format", "json")
    assert _reported(result) == [] and result.exit_code == 0


@pytest.mark.parametrize("content", ["not json", '{"version": 2, "findings": []}', '{"version": 1}',
                                     '{"version": 1, "findings": [{"path": 3, "code": "MI008"}]}'])
def test_a_broken_baseline_stops_the_run(tmp_path, monkeypatch, content):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zoo.md").write_text(TWO_COLLECTIONS, encoding="utf-8")
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    result = _run("validate", "zoo.md", "--baseline", "b.json", "--no-cross-check")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_file_that_is_not_a_baseline_is_never_overwritten(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zoo.md").write_text(TWO_COLLECTIONS, encoding="utf-8")
    result = _run("validate", "zoo.md", "--write-baseline", "zoo.md", "--no-cross-check")
    assert result.exit_code == 2
    assert (tmp_path / "zoo.md").read_text(encoding="utf-8") == TWO_COLLECTIONS
