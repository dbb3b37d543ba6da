"""The one-pass YAML builder against the builder it replaced (`reference_yamltree.py`).

Both load every metadata block of the shared corpus, the seed and the fixtures, and a few thousand
seeded mutants of them (flipped characters, deleted and repeated lines, quotes, anchors, aliases,
tags, merge keys and odd scalars): data, every span, key span, written key, style, rejected path
and problem must be the same. The whole JSON report must be byte-identical too. Remove this file
with the reference once the new builder has been trusted for a release.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
import reference_yamltree as reference

from model_index import yamltree
from model_index.extract import blocks_in_data_file, blocks_in_markdown
from model_index.lint import Options, validate
from model_index.report import format_report

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = ("corpus/timm-docs-2021/models", "corpus/mmpretrain-sample", "seed")
MUTANTS_PER_BLOCK = 40


def card_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".yml", ".yaml", ".txt"))


def block_inputs(paths: list[Path], monkeypatch) -> list[tuple]:
    """The (text, line offset, column offset, canon) that extraction passes to `yamltree.load`."""
    calls: list[tuple] = []
    load = yamltree.load

    def recording(*args, **kwargs):
        calls.append(args + (kwargs["canon"],))
        return load(*args, **kwargs)

    monkeypatch.setattr(yamltree, "load", recording)
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix in (".yml", ".yaml"):
            blocks_in_data_file(str(path), text)
        else:
            blocks_in_markdown(str(path), text)
    monkeypatch.setattr(yamltree, "load", load)
    return calls


def outcome(load, args: tuple):
    """Everything a loader gives for `args`, as comparable plain data."""
    text, line_offset, column_offset, canon = args
    tree, problems = load(text, line_offset, column_offset, canon)
    found = [(p.code, p.span, p.message) for p in problems]
    if tree is None:
        return None, found
    # repr tells 1 from 1.0 and True, and equals itself for nan
    return (repr(tree.data), dict(tree.spans), dict(tree.key_spans), dict(tree.written), dict(tree.styles),
            set(tree.rejected)), found


def assert_same(args: tuple) -> bool:
    """Assert both builders agree on `args`; False when the reference cannot load it at all."""
    try:
        expected = outcome(reference.load, args)
    except (RecursionError, KeyError):  # the reference crashed (`!!bool maybe`, deep aliases)
        outcome(yamltree.load, args)  # the new builder must not
        return False
    assert outcome(yamltree.load, args) == expected, args[0]
    return True


@pytest.fixture
def corpus_blocks(shared, monkeypatch) -> list[tuple]:
    paths = [p for folder in CORPUS for p in card_files(shared / folder)] + card_files(FIXTURES)
    blocks = block_inputs(paths, monkeypatch)
    assert len(blocks) >= 60
    return blocks


def test_real_blocks_load_the_same(corpus_blocks):
    for args in corpus_blocks:
        assert assert_same(args)


ODD_SCALARS = ("~", "null", "", "''", '""', "yes", "No", "on", "0x1F", "0o17", "017", "1_000", "1e3", "1.5e-3",
               ".inf", "-.Inf", ".nan", "+12", "2002-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=", "!", "&",
               "'it''s'", '"tab\\there"', '"x\\u2028y"', "x\u2028y", "a\u0085b", "Zürich 🙂", "[a, b]",
               "{a: 1, A: 2}", "|\n  block", ">-\n  folded\n  text", "|+\n\n", "? x", "- item", "@at", "`tick`",
               "%pct", "#hash", "a #comment")
TAGS = ("!!python/object/apply:os.system", "!foo", "!!str", "!!int", "!!float", "!!bool", "!!null",
        "!!timestamp", "!!binary", "!!set", "!!omap", "!!map", "!!seq", "!!merge", "!", "!<tag:yaml.org,2002:str>",
        "!<!bar>")
CHARACTERS = " :-[]{},&*!|>'\"#?%@\t\n\\\u2028\x85a1é中🙂"


def mutate(text: str, rng: random.Random) -> str:
    """`text` with one or two random edits of the kinds that break or bend YAML."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(lines))
        line = lines[i]
        key, colon, value = line.partition(": ")
        kind = rng.randrange(10)
        if kind == 0 and line:  # flip a character
            j = rng.randrange(len(line))
            lines[i] = line[:j] + rng.choice(CHARACTERS) + line[j + 1:]
        elif kind == 1 and len(lines) > 1:
            del lines[i]
        elif kind == 2:  # a repeated line: duplicate keys, repeated items
            lines.insert(rng.randrange(len(lines) + 1), line)
        elif kind == 3:
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + rng.choice("'\"") + line[j:]
        elif kind == 4 and colon:  # an anchor, and aliases to it further down
            name = rng.choice("abc")
            lines[i] = f"{key}: &{name} {value}"
            for k in rng.sample(range(len(lines)), min(2, len(lines))):
                other, other_colon, _ = lines[k].partition(": ")
                if other_colon:
                    lines[k] = f"{other}: *{rng.choice((name, name, 'undefined'))}"
        elif kind == 5 and colon:
            lines[i] = f"{key}: {rng.choice(TAGS)} {value}"
        elif kind == 6 and colon:
            lines[i] = f"{key}: {rng.choice(ODD_SCALARS)}"
        elif kind == 7 and colon:  # a merge key, or an alias or a flow collection as a key
            indent = key[: len(key) - len(key.lstrip(' -'))].replace("-", " ")
            lines.insert(i + 1, indent + rng.choice(("<<: *a", "<<: {x: 1}", "*a : v", "[k]: v", "{k: 1}: v")))
        elif kind == 8:  # indentation
            lines[i] = line[1:] if line.startswith(" ") and rng.random() < 0.5 else " " + line
        elif kind == 9 and colon:  # an anchored collection aliased below, sometimes inside itself
            lines[i] = f"{key}: &c [{value}, {rng.choice(('*c', 'x', '{y: *c}'))}]"
            lines.append("Again: *c")
    return "\n".join(lines)


def window(lines: list[str], rng: random.Random) -> str:
    """Up to 40 lines of a block from a random line, within its indentation level and dedented:
    valid YAML as a rule, and small, which keeps the test fast."""
    start = rng.randrange(len(lines))
    indent = _indent(lines[start])
    item = lines[start].lstrip().startswith("- ")
    end = start + 1
    while end < min(len(lines), start + 40):
        line = lines[end]
        if line.strip() and (_indent(line) < indent or _indent(line) == indent and
                             line.lstrip().startswith("- ") != item):
            break
        end += 1
    return textwrap.dedent("\n".join(lines[start:end]))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def test_fuzzed_blocks_load_the_same(corpus_blocks):
    rng = random.Random(20240610)
    compared = crashed = 0
    for args in corpus_blocks:
        lines = args[0].split("\n")
        for _ in range(MUTANTS_PER_BLOCK):
            mutant = (mutate(window(lines, rng), rng),) + args[1:]
            if assert_same(mutant):
                compared += 1
            else:
                crashed += 1
    assert compared >= 2000 and crashed < compared // 100, (compared, crashed)


class Document:
    """A random flow-style YAML document full of anchors and aliases (to finished nodes, to open
    ones, to undefined ones), alias and collection keys, merge keys, tags and repeated keys."""

    def __init__(self, rng: random.Random, max_depth: int):
        self.rng, self.max_depth = rng, max_depth
        self.finished: list[str] = []  # anchors whose node has ended
        self.open: list[str] = []  # anchors of the nodes being written

    def node(self, depth: int = 0) -> str:
        rng = self.rng
        if depth and rng.random() < 0.35:
            if self.finished and rng.random() < 0.97:
                return "*" + (rng.choice(self.finished) if rng.random() < 0.98 else "nowhere")
            if self.open and rng.random() < 0.05:  # a recursion
                return "*" + rng.choice(self.open)
        anchor = f"n{len(self.finished) + len(self.open)}" if rng.random() < 0.3 else None
        prefix = (f"&{anchor} " if anchor else "") + (rng.choice(TAGS) + " " if rng.random() < 0.05 else "")
        kind = rng.random() if depth < self.max_depth + 2 else 0
        if anchor:
            self.open.append(anchor)
        if kind < 0.4:
            text = rng.choice(("x", "1", "'q'", "~", "1.5", "true", '"s"', "2001-01-01", "="))
        elif kind < 0.7:
            text = "[" + ", ".join(self.node(depth + 1) for _ in range(rng.randint(0, 5))) + "]"
        else:
            text = "{" + ", ".join(f"{self.key(depth)}: {self.node(depth + 1)}" for _ in range(rng.randint(0, 4))) + "}"
        if anchor:
            self.open.remove(anchor)
            self.finished.append(anchor)
        return prefix + text

    def key(self, depth: int) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return "<<"
        if roll < 0.1 and self.finished:
            return f"*{self.rng.choice(self.finished)} "
        if roll < 0.15:
            return "? " + self.node(depth + 1)
        return self.rng.choice(("a", "b", "B", "c"))


def test_bounds_stop_at_the_same_node(monkeypatch):
    """With small bounds, random documents reach them often: both builders must stop at the same
    node. One difference is by design: an alias whose expansion nests deeper than MAX_DEPTH is
    refused by the new builder, where the old one built it (or hit Python's recursion limit)."""
    for module in (yamltree, reference):
        monkeypatch.setattr(module, "MAX_NODES", 25)
        monkeypatch.setattr(module, "MAX_DEPTH", 6)
    rng = random.Random(7)
    outcomes = set()
    for _ in range(3000):
        text = Document(rng, max_depth=6).node()
        args = (text, 3, 2, lambda path, key: key.lower())
        new = outcome(yamltree.load, args)
        refused = [p for p in new[1] if "expanding an alias" in p[2]]
        if refused:
            old_tree, old_problems = reference.load(*args)  # it refused something else, or built it
            assert [p.code for p in old_problems] == ["MI004"] if old_tree is None else \
                max(map(len, old_tree.spans)) > 6  # a path (even a replaced one) deeper than allowed
        else:
            assert_same(args)
        outcomes.update(code for code, _, message in new[1])
    assert {"MI001", "MI002", "MI003", "MI004", "MI005"} <= outcomes


def report(paths: list[Path], fmt: str = "json") -> str:
    index, result = validate([str(p) for p in paths], options=Options(cross_check="never"))
    return format_report(result, fmt, index.texts)


@pytest.mark.parametrize("fmt", ["json", "full"])
def test_reports_are_byte_identical(shared, monkeypatch, fmt):
    runs = [[shared / "corpus/timm-docs-2021/models"], [shared / "corpus/mmpretrain-sample/model-index.yml"],
            list((shared / "seed").glob("*.txt")), [FIXTURES / "seed", FIXTURES / "site/docs"],
            [Path(__file__).parents[1] / "docs/models"]]
    new = [report(paths, fmt) for paths in runs]
    monkeypatch.setattr(yamltree, "load", reference.load)
    old = [report(paths, fmt) for paths in runs]
    assert new == old
    assert sum(text.count('"code": "MI') if fmt == "json" else text.count("\n  --> ") for text in new) > 100
