"""Suppression comments: on a line, above a block, never inside a value; unused ones are MI009."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import cli
from model_index.config import Config
from model_index.lint import Options, validate

TIMM_CARDS = Path("corpus") / "timm-docs-2021" / "models"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _with_comment(path: Path, number: int, comment: str) -> None:
    """Append `comment` to line `number` (1-based) of the file."""
    lines = _lines(path)
    lines[number - 1] += comment
    path.write_text("\n".join(lines), encoding="utf-8")


def _inserted(path: Path, number: int, text: str) -> None:
    """Insert a line so that it becomes line `number`."""
    lines = _lines(path)
    lines.insert(number - 1, text)
    path.write_text("\n".join(lines), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(_lines(path), 1) if text in line)


@pytest.fixture
def resnet(shared, tmp_path) -> Path:
    """A copy of timm's real 2021 ResNet card."""
    copy = tmp_path / "resnet.md"
    copy.write_text((shared / TIMM_CARDS / "resnet.md").read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def test_a_line_comment_silences_exactly_that_finding_on_a_real_card(resnet, run_static, lines_of):
    before = lines_of(run_static([resnet])[1])
    crop = _line_of(resnet, "Crop Pct: '0.875'")
    assert ("MI201", crop) in before
    _with_comment(resnet, crop, "  # model-index: ignore[MI201]")
    after = lines_of(run_static([resnet])[1])
    assert Counter(after) == Counter(before) - Counter([("MI201", crop)])


def test_an_unused_suppression_on_a_real_card_is_reported_and_nothing_else_changes(resnet, run_static, lines_of):
    before = lines_of(run_static([resnet])[1])
    interpolation = _line_of(resnet, "Interpolation: bilinear")
    _with_comment(resnet, interpolation, "  # model-index: ignore[MI201]")
    after = lines_of(run_static([resnet])[1])
    assert Counter(after) - Counter(before) == Counter([("MI009", interpolation)])
    assert Counter(before) - Counter(after) == Counter()


def test_a_comment_above_the_first_key_silences_its_whole_block(resnet, run_static, lines_of):
    before = lines_of(run_static([resnet])[1])
    opening = _line_of(resnet, "<!--")
    _inserted(resnet, opening + 1, "# model-index: ignore[number-as-string]")
    after = lines_of(run_static([resnet])[1])
    assert "MI201" in {code for code, _ in before} and "MI201" not in {code for code, _ in after}
    shifted = [(code, line + (line > opening)) for code, line in before if code != "MI201"]
    assert Counter(after) == Counter(shifted)


def test_a_bare_comment_silences_every_rule_on_its_line(lint_card):
    found = lint_card("""\
        Models:
        - Name: m
          Metadata:
            Image Size: '224'  # model-index: ignore
            Crop Pct: '0.9'
        """)
    assert found == [("MI201", 8)]


def test_several_selectors_by_code_prefix_and_name(lint_card):
    found = lint_card("""\
        Models:
        - Name: m
          Metadata:
            Image Size: '224'  # model-index: ignore[MI20]
            Training Time: ''  # model-index: ignore[MI301, empty-value]
            Trainig Data: ''  # model-index: ignore[unknown-key]
        """)
    assert found == [("MI205", 9)]


@pytest.mark.parametrize("value", [
    "'a # model-index: ignore[MI201]'",  # a quoted string
    "\"a # model-index: ignore[MI201]\"",
    "[x, 'y # model-index: ignore[MI201]']",  # a quoted string in a flow sequence
])
def test_a_directive_inside_a_value_is_text(lint_card, value):
    found = lint_card(f"""\
        Models:
        - Name: m
          Metadata: {{Image Size: '224', Tasks: {value}}}
        """)
    assert found == [("MI201", 6)]


def test_a_directive_inside_a_block_scalar_is_text(lint_card):
    found = lint_card("""\
        Models:
        - Name: m
          Metadata:
            Training Resources: |
              Image Size: '224'  # model-index: ignore[MI201]
              # model-index: ignore[MI205]
            Image Size: '224'
        """)
    assert found == [("MI201", 10)]


def test_a_url_fragment_is_not_a_comment(lint_card):
    found = lint_card("""\
        Models:
        - Name: m
          Code: http://example.org/a.py#model-index:ignore[MI208]
        """)
    assert found == [("MI208", 6)]


def test_markdown_outside_the_block_is_not_a_suppression(lint_text):
    text = ("# model-index: ignore\n\nProse # model-index: ignore[MI201]\n\n<!--\nModels:\n- Name: m\n"
            "  Metadata:\n    Image Size: '224'\n-->\n")
    assert lint_text("card.md", text) == [("MI201", 9)]


def test_a_block_that_is_not_yaml_has_no_suppressions(lint_card):
    found = lint_card("""\
        # model-index: ignore
        Models: [
        """)
    assert [code for code, _ in found] == ["MI001"]


def test_an_unknown_selector_is_always_unused(lint_card):
    found = lint_card("""\
        Models:
        - Name: m  # model-index: ignore[MI999]
        """)
    assert found == [("MI009", 5)]


def test_a_suppression_of_a_rule_that_did_not_run_is_not_unused(write_file, make_card, run_static, lines_of):
    path = write_file("card.md", make_card("""\
        Models:
        - Name: m
          Metadata:
            Parameters: 100  # model-index: ignore[MI302]
            Image Size: 224  # model-index: ignore[MI201]
            Crop Pct: 0.9  # model-index: ignore
        """))
    assert lines_of(run_static([path])[1]) == [("MI009", 8)]  # MI201 ran and silenced nothing
    assert lines_of(run_static([path], Config(select=["MI0", "MI1"]))[1]) == []  # MI201 did not run
    assert lines_of(run_static([path], Config(per_file_ignores={"card.md": ["MI201"]}))[1]) == []


def test_the_unused_selectors_of_a_comment_are_reported_and_fixed(tmp_path, monkeypatch, make_card):
    monkeypatch.chdir(tmp_path)
    card = tmp_path / "card.md"
    card.write_text(make_card("""\
        # model-index: ignore[MI205]
        Models:
        - Name: m
          Metadata:
            Image Size: '224'  # model-index: ignore[MI201, insecure-url]
            Crop Pct: 0.9  # model-index: ignore[MI201] written by hand
            Tasks: [x]  # a note # model-index: ignore[MI201]
        """), encoding="utf-8")
    _, result = validate([card], options=Options(cross_check="never"))
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MI009", 4), ("MI009", 8), ("MI009", 9),
                                                                   ("MI009", 10)]
    fixed = CliRunner().invoke(cli.main, ["validate", "card.md", "--no-cross-check", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert card.read_text(encoding="utf-8") == make_card("""\
        Models:
        - Name: m
          Metadata:
            Image Size: '224'  # model-index: ignore[MI201]
            Crop Pct: 0.9  # written by hand
            Tasks: [x]  # a note
        """)


def test_unused_suppressions_can_be_turned_off(lint_card):
    found = lint_card("""\
        Models:
        - Name: m  # model-index: ignore[MI201]
        """, select="MI2")
    assert found == []


@pytest.mark.timm
def test_a_cross_check_suppression_is_unused_when_the_cross_check_agrees(write_file, make_card, tmp_path):
    pytest.importorskip("timm")
    path = write_file("card.md", make_card("""\
        Models:
        - Name: resnet18
          Metadata:
            Parameters: 11689512  # model-index: ignore[MI302]
            ID: resnet18.tv_in1k
        """))
    _, result = validate([path], options=Options(cross_check="always", cache_dir=str(tmp_path / "cache")))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.code in ("MI009", "MI302")] == [("MI009", 7)]
