"""The YAML-with-positions builder as it was before the one-pass event builder (commit 7af6df1).

Kept only as the reference that `tests/test_yamltree_equivalence.py` compares
`model_index.yamltree` with, over real cards and fuzzed mutants; remove both once the new
builder has been trusted for a release. Not used by the package.

Original docstring: safe YAML loading that remembers where every node sits in the file.
PyYAML's composer gives a node graph with marks; we build plain Python data from it ourselves,
so that no tag is ever constructed, aliases are bounded, duplicate keys are seen, and every value
keeps its span in the *file* (block offset added).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from model_index.diagnostics import Span

try:  # libyaml's composer is several times faster; the pure-Python one gives the same marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

Path = tuple  # a key path: str keys and int indices

MAX_NODES = 200_000
MAX_DEPTH = 100

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAGS = {"tag:yaml.org,2002:map"}
_SEQ_TAGS = {"tag:yaml.org,2002:seq"}
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class Problem:
    """Something wrong with the YAML itself, found while loading."""

    code: str
    span: Span
    message: str


class _Abort(Exception):
    """Stop loading this block: the problem makes the rest meaningless."""

    def __init__(self, problem: Problem):
        self.problem = problem


@dataclass
class Tree:
    """Plain data loaded from one YAML document, with the file span of every node."""

    data: Any = None
    spans: dict[Path, Span] = field(default_factory=dict)
    key_spans: dict[Path, Span] = field(default_factory=dict)
    written: dict[Path, str] = field(default_factory=dict)
    styles: dict[Path, str] = field(default_factory=dict)  # scalars written ' " | or >, by path
    rejected: set[Path] = field(default_factory=set)  # values of disallowed tags, loaded as null

    def span(self, path: Path) -> Span | None:
        """Span of the node at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.spans and path:
            path = path[:-1]
        return self.spans.get(path)

    def field_name(self, path: Path, base: Path = ()) -> str:
        """The key path below `base`, joined with dots, spelled as in the file."""
        parts = []
        for i in range(len(base), len(path)):
            step = path[i]
            parts.append(str(step) if isinstance(step, int) else self.written.get(path[: i + 1], step))
        return ".".join(parts)


def load(
    text: str,
    line_offset: int = 0,
    column_offset: int = 0,
    canon: Callable[[tuple, str], str] = lambda path, key: key,
) -> tuple[Tree | None, list[Problem]]:
    """Load `text` safely. Offsets place it in its file: 0-based line of its first line, and the
    column where its first line starts. `canon` maps keys to their canonical spelling."""
    builder = _Builder(text, line_offset, column_offset, canon)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = builder.point(mark.index) if mark else Span.point(line_offset + 1)
        problem = error.problem or error.context or "invalid YAML"
        return None, [Problem("MI001", span, f"YAML syntax error: {problem}")]
    except yaml.reader.ReaderError as error:  # a control character, or bytes that are not text
        code = ord(error.character) if isinstance(error.character, str) else error.character
        return None, [Problem("MI001", builder.point(error.position),
                              f"YAML error: character U+{code:04X} is not allowed ({error.reason})")]
    except yaml.YAMLError as error:
        return None, [Problem("MI001", Span.point(line_offset + 1), f"YAML error: {error}")]
    except RecursionError:
        return None, [Problem("MI001", Span.point(line_offset + 1), "YAML nesting is too deep")]
    if node is None:
        return Tree(), []
    try:
        builder.measure(node)
        data = builder.build(node, ())
    except _Abort as stop:
        return None, builder.problems + [stop.problem]
    builder.tree.data = data
    return builder.tree, builder.problems


class _Builder:
    def __init__(self, text: str, line_offset: int, column_offset: int, canon: Callable[[tuple, str], str]):
        # Positions come from marks' character offsets, with lines counted on "\n" as editors do:
        # the marks' own line numbers also break at U+0085, U+2028 and U+2029.
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.line_offset = line_offset
        self.column_offset = column_offset
        self.canon = canon
        self.tree = Tree()
        self.problems: list[Problem] = []

    def point(self, index: int) -> Span:
        line, column = self._position(index)
        return Span(line, column, line, column)

    def _position(self, index: int) -> tuple[int, int]:
        """1-based line and column in the file of the character at `index` of the block."""
        line = bisect.bisect_right(self.line_starts, index) - 1
        column = index - self.line_starts[line] + (self.column_offset if line == 0 else 0)
        return line + 1 + self.line_offset, column + 1

    def span(self, node) -> Span:
        line, column = self._position(node.start_mark.index)
        end_line, end_column = self._position(node.end_mark.index)
        if isinstance(node, yaml.ScalarNode) and end_column == 1 and end_line > line:
            end_line, end_column = line, column  # a block scalar ends on the next line
        return Span(line, column, end_line, end_column)

    def measure(self, root) -> None:
        """Refuse a graph that expands to too many nodes, nests too deep or refers to itself.

        Aliases share nodes, so the expanded size is counted once per distinct node: an alias
        bomb is stopped at the anchor that blows up, before anything is expanded."""
        sizes: dict[int, int] = {}
        open_: set[int] = set()

        def size(node, depth: int) -> int:
            if id(node) in sizes:
                return sizes[id(node)]
            if id(node) in open_:
                raise _Abort(Problem("MI004", self.span(node), "recursive YAML alias"))
            if depth > MAX_DEPTH:
                raise _Abort(Problem("MI004", self.span(node), f"YAML nested deeper than {MAX_DEPTH} levels"))
            open_.add(id(node))
            total = 1 + sum(size(child, depth + 1) for child in _children(node))
            open_.discard(id(node))
            if total > MAX_NODES:
                raise _Abort(Problem("MI004", self.span(node),
                                     f"expands to more than {MAX_NODES} YAML nodes (an alias bomb?); not expanded"))
            sizes[id(node)] = total
            return total

        size(root, 0)

    def build(self, node, path: Path) -> Any:
        """Plain data for `node` (already measured), recording the span of every value."""
        self.tree.spans[path] = self.span(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag in _SEQ_TAGS:
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode) and node.tag in _MAP_TAGS:
            return self._mapping(node, path)
        return self._unknown_tag(node, path)

    def _scalar(self, node, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            return self._unknown_tag(node, path)
        if node.style:
            self.tree.styles[path] = node.style
        if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
            return node.value
        try:  # the tag's own constructor: construct_object would keep every node it saw
            return _constructor.yaml_constructors[node.tag](_constructor, node)
        except (yaml.YAMLError, ValueError):
            return node.value

    def _unknown_tag(self, node, path: Path) -> None:
        self.tree.rejected.add(path)
        self.problems.append(Problem("MI003", self.span(node),
                                     f"YAML tag {node.tag} is not allowed (loaded as null, never constructed)"))
        return None

    def _mapping(self, node, path: Path) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem("MI003", self.span(key_node),
                                             "YAML merge keys (<<) are not supported; key ignored"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("MI002", self.span(key_node),
                                             "a mapping key must be a plain string; entry ignored"))
                continue
            written = str(key_node.value)
            key = self.canon(path, written)
            child = path + (key,)
            if key in result:
                first = self.tree.key_spans[child]
                self.problems.append(Problem("MI005", self.span(key_node),
                                             f"duplicate key '{written}' (first at line {first.line}); "
                                             "the later value wins"))
            self.tree.key_spans[child] = self.span(key_node)
            self.tree.written[child] = written
            result[key] = self.build(value_node, child)
        return result


def _children(node) -> list:
    """The nodes directly below `node` (keys and values of a mapping)."""
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
