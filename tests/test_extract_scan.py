"""Finding blocks in one linear pass, and refusing a block too long to parse, without changing
which blocks are found."""

from __future__ import annotations

import random

from model_index import extract
from model_index.extract import Fences, blocks_in_markdown, load_block, looks_like_model_index
from model_index.yamltree import Problem


def _reference_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """The scan as it was before it was made linear (it counted backticks from the line start for
    every opener): (first line, column, content) of each block it found, MI006 as content None."""
    found = []
    fences = Fences()
    i, column = 0, 0
    while i < len(lines):
        line = lines[i]
        if column == 0 and fences.feed(line):
            i += 1
            continue
        at = line.find("<!--", column)
        if at < 0:
            i, column = i + 1, 0
            continue
        if line.count("`", 0, at) % 2:
            column = at + 4
            continue
        first = i
        column = at + 4 + len(line[at + 4:]) - len(line[at + 4:].lstrip(" \t"))
        closing = line.find("-->", column)
        while closing < 0 and i + 1 < len(lines):
            i += 1
            closing = lines[i].find("-->")
        if closing < 0:
            if looks_like_model_index(lines[first][column:] + "".join(lines[first + 1:])):
                found.append((first + 1, at + 1, None))
            break
        content = line[column:closing] if i == first else \
            lines[first][column:] + "".join(lines[first + 1:i]) + lines[i][:closing]
        if looks_like_model_index(content):
            found.append((first + 1, column + 1, content))
        column = closing + 3
    return found


TOKENS = ["<!--", "-->", "`", "``", " ", "\t", "Models: []", "\nModels: []\n", "\n", "\n```\n", "\n~~~\n", "x",
          "Import: [a]", "\n    "]


def test_the_linear_scan_finds_what_the_old_scan_found():
    rng = random.Random(8)
    for _ in range(3000):
        text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 30)))
        got = [(b.line, b.tree.data if b.tree else None, [p.code for p in b.problems])
               for b in blocks_in_markdown("card.md", text)]
        expected = []
        for line, column, content in _reference_blocks(extract.split_lines(text)):
            block = load_block("card.md", "comment", content, line - 1, column - 1) if content is not None else None
            expected.append((line, block.tree.data if block and block.tree else None,
                             [p.code for p in block.problems] if block else ["MI006"]))
        assert got == expected, text


def test_many_openers_on_one_line_are_each_looked_at_once():
    text = "`<!--` " * 50 + "<!--\nModels:\n- Name: a\n-->\n"
    [block] = blocks_in_markdown("card.md", text)
    assert block.line == 1 and block.tree.data == {"Models": [{"Name": "a"}]}


def test_a_block_over_the_cap_is_not_parsed(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(extract.yamltree, "load", parse)
    block = load_block("card.md", "comment", "Models:\n" + "x" * extract.MAX_BLOCK_CHARS, 4, 4)
    [problem] = block.problems
    assert isinstance(problem, Problem) and (problem.code, problem.span.line, problem.span.column) == ("MI004", 5, 5)
    assert block.tree is None


def test_a_long_block_is_reported_at_its_line(lint_text):
    text = "# Card\n\n<!--\nModels:\n- Name: a\n  Notes: '" + "x" * extract.MAX_BLOCK_CHARS + "'\n-->\n"
    assert lint_text("card.md", text) == [("MI004", 3)]
