"""Suppression comments: `# model-index: ignore[MI302]` silences rules on its line; above a block's
first key, in the whole block. A suppression that silences nothing is reported (MI009).

PyYAML drops comments, so they are found in the block's text; the tree's spans say where scalars
are, so that a `#` inside a value (a quoted string, a block scalar, a URL's fragment) is never
taken for one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .config import Config, selects
from .diagnostics import Diagnostic, Fix, Span
from .extract import Block
from .index import Index
from .rules import REGISTRY, Rule, walk
from .yamltree import Tree

# `# model-index: ignore` (every rule) or `# model-index: ignore[MI302, MI2, empty-value]`.
DIRECTIVE = re.compile(r"#[ \t]*model-index[ \t]*:[ \t]*ignore(?![\w-])(?:[ \t]*\[([^\]\n]*)\]?)?", re.I)
UNUSED = "MI009"

Ran = Callable[[Rule, str], bool]  # (rule, file) → whether the rule ran on that file in this run


@dataclass
class Suppression:
    """One suppression comment, and which of its selectors silenced something."""

    path: str
    lines: range  # the lines it silences: its own, or its block's
    selectors: list[str] | None  # None: every rule
    span: Span  # the directive, from its '#'
    removal: Fix  # the edit that deletes it
    brackets: Span | None  # the selectors' [...], for removing some of them
    used: set[str | None] = field(default_factory=set)

    def silences(self, code: str) -> list[str | None]:
        """The selectors that silence `code` (`[None]` for a bare ignore)."""
        if self.selectors is None:
            return [None]
        rule = REGISTRY[code]
        return [s for s in self.selectors if selects([s], rule)]


def apply(diagnostics: Iterable[Diagnostic], index: Index, config: Config, ran: Ran) -> list[Diagnostic]:
    """The diagnostics that no suppression comment silences, and one MI009 for each unused one."""
    by_path: dict[str, list[Suppression]] = {}
    for block in index.blocks:
        for found in suppressions(block):
            by_path.setdefault(found.path, []).append(found)
    if not by_path:
        return list(diagnostics)
    kept = []
    for diagnostic in diagnostics:
        silenced = False
        for suppression in by_path.get(diagnostic.path, ()):
            if diagnostic.span.line in suppression.lines:
                used = suppression.silences(diagnostic.code)
                suppression.used.update(used)
                silenced = silenced or bool(used)
        if not silenced:
            kept.append(diagnostic)
    unused_rule = REGISTRY[UNUSED]
    for path, found in by_path.items():
        severity = config.rule_severity(unused_rule, path)
        if severity is not None:
            kept.extend(Diagnostic(path, s.span, UNUSED, unused_rule.name, severity, message, actual=text, fix=fix)
                        for s in found for message, text, fix in _unused(s, ran))
    return kept


def _unused(s: Suppression, ran: Ran) -> Iterator[tuple[str, str, Fix]]:
    """(message, selectors, fix) when `s` or some of its selectors silenced nothing that ran."""
    if s.selectors is None:
        if not s.used and all(ran(rule, s.path) for rule in REGISTRY.values() if rule.code != UNUSED):
            yield "unused suppression: nothing to silence on this line" if len(s.lines) == 1 else \
                "unused suppression: nothing to silence in this block", "ignore", s.removal
        return
    unused = [sel for sel in s.selectors if sel not in s.used and _all_ran(sel, s.path, ran)]
    if not unused:
        return
    names = ", ".join(unused)
    unknown = [sel for sel in unused if not any(selects([sel], r) for r in REGISTRY.values())]
    reason = f"unknown rule selector(s) {', '.join(unknown)}" if unknown == unused else "nothing to silence"
    message = f"unused suppression of {names}: {reason}"
    kept = [sel for sel in s.selectors if sel not in unused]
    if kept and s.brackets is not None:
        yield message, names, Fix(s.brackets, f"[{', '.join(kept)}]", f"remove {names} from the suppression")
    else:
        yield message, names, s.removal


def _all_ran(selector: str, path: str, ran: Ran) -> bool:
    """Every rule `selector` names ran on `path` (true of a selector that names none)."""
    return all(ran(rule, path) for rule in REGISTRY.values() if selects([selector], rule))


def suppressions(block: Block) -> list[Suppression]:
    """The suppression comments of a block. A block that is not valid YAML has none: without its
    tree, a comment cannot be told from a value."""
    tree = block.tree
    if tree is None or () not in tree.spans or not DIRECTIVE.search(block.text):
        return []
    inside = _Scalars(tree)
    first_content = tree.spans[()].line
    lines = block.text.split("\n")
    last_line = block.line + len(lines) - 1
    found = []
    for i, text in enumerate(lines):
        directives = list(DIRECTIVE.finditer(text))
        if not directives:
            continue
        line, offset = block.line + i, block.column if i == 0 else 0
        start = _comment_start(text, line, offset, inside)
        for match in directives:
            if start is None or match.start() < start:
                continue
            whole_block = line < first_content
            selectors = None if match.group(1) is None else [s for s in re.split(r"[\s,]+", match.group(1)) if s]
            brackets = None
            if match.group(1) is not None:
                opened = text.index("[", match.start())
                brackets = Span(line, offset + opened + 1, line, offset + match.end() + 1)
            found.append(Suppression(
                block.path, range(block.line, last_line + 1) if whole_block else range(line, line + 1),
                selectors, Span(line, offset + match.start() + 1, line, offset + match.end() + 1),
                _removal(text, line, offset, match, start, complete=offset == 0 and i < len(lines) - 1), brackets))
    return found


def _comment_start(text: str, line: int, offset: int, inside: "_Scalars") -> int | None:
    """The index in `text` of the '#' that opens a comment on this line, if any: one at the start
    or after a blank, outside every scalar."""
    for match in re.finditer("#", text):
        p = match.start()
        if (p == 0 or text[p - 1] in " \t") and not inside(line, offset + p + 1):
            return p
    return None


def _removal(text: str, line: int, offset: int, match: re.Match, comment: int, complete: bool) -> Fix:
    """The edit that deletes a directive: the whole line when it holds nothing else (and lies wholly
    in the block), else the directive with the blanks before it; text that follows it stays a comment."""
    before = len(text[:match.start()].rstrip(" \t"))
    after = text[match.end():].strip()
    description = "remove the unused suppression"
    if complete and before == 0 and not after:
        return Fix(Span(line, 1, line + 1, 1), "", description)
    if match.start() == comment and after:  # '# model-index: ignore[X] because ...' → '# because ...'
        end = len(text) - len(text[match.end():].lstrip(" \t"))
        return Fix(Span(line, offset + match.start() + 1, line, offset + end + 1), "# ", description)
    end = match.end() if after else len(text)
    return Fix(Span(line, offset + before + 1, line, offset + end + 1), "", description)


class _Scalars:
    """Whether a file position lies inside a scalar of a tree (a key or a value)."""

    def __init__(self, tree: Tree):
        spans = list(tree.key_spans.values())
        block_scalars = []
        for path, _value in walk.leaves(tree.data):
            span = tree.spans.get(path)
            if span is None:
                continue
            spans.append(span)
            if tree.styles.get(path) in ("|", ">"):
                block_scalars.append(span)
        self.spans = spans
        # A block scalar's span ends at its indicator: its text runs until the next node starts.
        starts = sorted(s.line for s in [*tree.spans.values(), *tree.key_spans.values()])
        self.block_lines = [(s.line, starts[i] if (i := bisect.bisect_right(starts, s.line)) < len(starts)
                             else float("inf")) for s in block_scalars]

    def __call__(self, line: int, column: int) -> bool:
        if any(first < line < end for first, end in self.block_lines):
            return True
        return any((s.line, s.column) <= (line, column) < (s.end_line, s.end_column) for s in self.spans)

