"""The YAML builder's own behaviour where it goes beyond the builder it replaced, and the collector pause."""

from __future__ import annotations

import gc

import pytest

from model_index import lint, yamltree
from model_index.lint import Options, validate


def test_an_alias_that_expands_too_deep_is_refused_at_the_alias(lint_text):
    # each anchor nests 60 levels and ends in an alias to the previous one: 120 levels expanded
    deep = "[" * 60 + "x" + "]" * 60
    text = ("<!--\nModels:\n- Name: a\n  One: &one " + deep + "\n  Two: &two " + "[" * 60 + "*one" + "]" * 60
            + "\n-->\n")
    assert lint_text("card.md", text) == [("MI004", 5)]


@pytest.mark.parametrize("scalar", ["!!bool maybe", "!!int ''", "!!float ''", "!!int 0b"])
def test_a_value_that_does_not_fit_its_tag_stays_text(scalar):
    tree, problems = yamltree.load(f"Config: {scalar}")
    assert problems == [] and isinstance(tree.data["Config"], str)


def test_spans_are_read_from_offsets_on_the_file_lines():
    tree, _ = yamltree.load("a:\n  b: 'x'\n  c: [1, 2]\n", line_offset=9, column_offset=4)
    assert tree.spans[("a", "b")] == tree.span(("a", "b", "missing")) and tree.spans[("a", "b")].line == 11
    assert tree.key_spans[("a", "c")].column == 3 and ("a", "c", 0) not in tree.key_spans
    assert dict(tree.written) == {("a",): "a", ("a", "b"): "b", ("a", "c"): "c"}
    assert tree.styles == {("a", "b"): "'"} and len(tree.spans) == 6


def test_validate_pauses_the_collector_and_restores_it(monkeypatch, tmp_path):
    seen = []
    load = lint.index_mod.load

    def loading(paths, *args, **kwargs):
        seen.append(gc.isenabled())
        return load(paths, *args, **kwargs)

    monkeypatch.setattr(lint.index_mod, "load", loading)
    assert gc.isenabled()
    validate([tmp_path], options=Options(cross_check="never"))
    assert seen == [False] and gc.isenabled()


def test_the_collector_comes_back_after_a_failure(monkeypatch, tmp_path):
    def failing(paths, *args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(lint.index_mod, "load", failing)
    with pytest.raises(OSError):
        validate([tmp_path], options=Options(cross_check="never"))
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_keeps_it_paused(tmp_path):
    gc.disable()
    try:
        validate([tmp_path], options=Options(cross_check="never"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_writes_its_report_with_the_collector_paused(monkeypatch, write_file):
    from click.testing import CliRunner

    from model_index import cli

    seen = []
    format_report = cli.format_report

    def formatting(*args, **kwargs):
        seen.append(gc.isenabled())
        return format_report(*args, **kwargs)

    monkeypatch.setattr(cli, "format_report", formatting)
    card = write_file("card.md", "<!--\nModels:\n- Name: a\n-->\n")
    result = CliRunner().invoke(cli.main, ["validate", str(card), "--no-cross-check"])
    assert result.exit_code == 0 and seen == [False] and gc.isenabled()


def test_an_alias_bomb_is_refused_without_expanding_an_alias(monkeypatch):
    replays = []
    monkeypatch.setattr(yamltree._Builder, "replay", lambda self, *args: replays.append(args))
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefghij", "bcdefghijk"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    tree, problems = yamltree.load("\n".join(lines))
    assert tree is None and [(p.code, p.span.line) for p in problems] == [("MI004", 6)] and replays == []
