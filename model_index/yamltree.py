"""Safe YAML loading that remembers where every node sits in the file.

One pass over PyYAML's parser events (libyaml's when PyYAML has it) builds plain Python data, so
that no tag is ever constructed, aliases are bounded, duplicate keys are seen, and every value keeps
its place in the *file* (block offset added). Places are kept as character offsets; a `Span` is
made only when one is read.

The result is what composing the document into a node graph and walking it gives (the way this
module worked before, kept in tests/reference_yamltree.py): the same data, positions, problems
and errors, in the same order. Depth and size are checked as the events arrive; a text with an
alias (`*`) is read once more before anything is built, so that an alias bomb is refused without
being expanded. An alias is expanded by replaying the events recorded under its anchor; unlike
the graph walk, an expansion that nests deeper than `MAX_DEPTH` levels is refused too.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import yaml
from yaml.composer import ComposerError
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from .diagnostics import Span

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events.
    from yaml.cyaml import CParser as _Parser  # the parser alone: no constructor or resolver to set up
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser

Path = tuple  # a key path: str keys and int indices

MAX_NODES = 200_000
MAX_DEPTH = 100

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    _TIMESTAMP,
}
_MAP_TAGS = {"tag:yaml.org,2002:map"}
_SEQ_TAGS = {"tag:yaml.org,2002:seq"}
_resolver = yaml.resolver.Resolver()  # SafeLoader's implicit tags
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class Problem:
    """Something wrong with the YAML itself, found while loading."""

    code: str
    span: Span
    message: str


class Positions:
    """Character offsets of one block turned into 1-based places in its file.

    Lines are counted on "\\n" only, as editors do (PyYAML's marks also break lines at U+0085,
    U+2028 and U+2029); the block's first line starts at `column_offset` of file line
    `line_offset + 1`."""

    def __init__(self, text: str, line_offset: int, column_offset: int):
        self.text = text
        self.line_offset = line_offset
        self.column_offset = column_offset

    @functools.cached_property
    def line_starts(self) -> list[int]:
        """The offset where each line of the block starts."""
        lengths = (len(line) + 1 for line in self.text.split("\n"))
        return list(itertools.accumulate(lengths, initial=0))[:-1]

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column in the file of the character at `index` of the block."""
        line = bisect.bisect_right(self.line_starts, index) - 1
        column = index - self.line_starts[line] + (self.column_offset if line == 0 else 0)
        return line + 1 + self.line_offset, column + 1

    def point(self, index: int) -> Span:
        line, column = self.position(index)
        return Span(line, column, line, column)

    def span(self, start: int, end: int, scalar: bool) -> Span:
        """The span of a node from `start` to `end`; a block scalar ends where its last line does."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        if scalar and end_column == 1 and end_line > line:
            end_line, end_column = line, column  # a block scalar ends on the next line
        return Span(line, column, end_line, end_column)


# A node's record: (start, end, is a scalar) of its value, and for a mapping's value also
# (key start, key end, key as written).
Record = tuple


class _RecordView(Mapping):
    """One field of a tree's node records, read as a mapping from key path to value; what is read
    is made once (a Span costs more than a lookup, and a finding reads the same few several times)."""

    def __init__(self, records: dict[Path, Record], read: Callable[[Record], Any], keyed: bool):
        self._records = records
        self._read = read
        self._keyed = keyed  # only records of mapping values (which have a key) are in the view
        self._made: dict[Path, Any] = {}

    def __getitem__(self, path: Path) -> Any:
        found = self.get(path, _MISSING)
        if found is _MISSING:
            raise KeyError(path)
        return found

    def get(self, path: Path, default: Any = None) -> Any:
        found = self._made.get(path)
        if found is None:
            record = self._records.get(path)
            if record is None or self._keyed and len(record) == 3:
                return default
            found = self._made[path] = self._read(record)
        return found

    def __contains__(self, path: object) -> bool:
        record = self._records.get(path)  # type: ignore[call-overload]
        return record is not None and not (self._keyed and len(record) == 3)

    def __iter__(self) -> Iterator[Path]:
        return (path for path, record in self._records.items() if not self._keyed or len(record) > 3)

    def __len__(self) -> int:
        return sum(1 for _ in self)


_MISSING = object()


@dataclass
class Tree:
    """Plain data loaded from one YAML document, with the file span of every node."""

    data: Any = None
    spans: Mapping[Path, Span] = field(default_factory=dict)
    key_spans: Mapping[Path, Span] = field(default_factory=dict)
    written: Mapping[Path, str] = field(default_factory=dict)
    styles: dict[Path, str] = field(default_factory=dict)  # scalars written ' " | or >, by path
    rejected: set[Path] = field(default_factory=set)  # values of disallowed tags, loaded as null

    @classmethod
    def from_records(cls, data: Any, records: dict[Path, Record], positions: Positions, styles: dict[Path, str],
                 rejected: set[Path]) -> "Tree":
        """A tree whose spans, key spans and written keys are read from node records on access."""
        return cls(data,
                   _RecordView(records, lambda r: positions.span(r[0], r[1], r[2]), keyed=False),
                   _RecordView(records, lambda r: positions.span(r[3], r[4], True), keyed=True),
                   _RecordView(records, lambda r: r[5], keyed=True),
                   styles, rejected)

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
    canon: Callable[[Path, str], str] = lambda path, key: key,
) -> tuple[Tree | None, list[Problem]]:
    """Load `text` safely. Offsets place it in its file: 0-based line of its first line, and the
    column where its first line starts. `canon(path, key)` spells a key written in the mapping at
    `path` (a key path of canonical keys) canonically."""
    positions = Positions(text, line_offset, column_offset)
    # Without a `*` there is no alias, and building checks the bounds as it goes. With one, the
    # events are read once without building anything first: an alias bomb costs no expansion.
    passes = [_Builder(canon, positions, building=False)] if "*" in text else []
    builder = _Builder(canon, positions)
    try:
        for builder in [*passes, builder]:
            parser = _Parser(text)
            try:
                builder.feed(parser)
            finally:
                parser.dispose()
            if builder.failure is not None:
                break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = positions.point(mark.index) if mark else Span.point(line_offset + 1)
        problem = error.problem or error.context or "invalid YAML"
        return None, [Problem("MI001", span, f"YAML syntax error: {problem}")]
    except yaml.reader.ReaderError as error:  # a control character, or bytes that are not text
        code = ord(error.character) if isinstance(error.character, str) else error.character
        return None, [Problem("MI001", positions.point(error.position),
                              f"YAML error: character U+{code:04X} is not allowed ({error.reason})")]
    except yaml.YAMLError as error:
        return None, [Problem("MI001", Span.point(line_offset + 1), f"YAML error: {error}")]
    if builder.failure is not None:
        return None, [_problem(builder.failure, positions)]
    problems = [_problem(found, positions) for found in builder.problems]
    if not builder.documents:
        return Tree(), problems
    return Tree.from_records(builder.data, builder.records, positions, builder.styles, builder.rejected), problems


def _problem(found: list, positions: Positions) -> Problem:
    code, start, end, scalar, message = found
    return Problem(code, positions.span(start, end, scalar), message)


def _scalar(tag: str | None, implicit: tuple[bool, bool], value: str) -> tuple[str, bool, Any]:
    """A scalar's tag (resolved as PyYAML's composer does), whether the tag is allowed, and its data.

    Only the plain-data tags are constructed, each by SafeConstructor's own function; a value
    that does not fit its tag (`!!int abc`) stays the string it is."""
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, value, implicit)
    if tag not in _SCALAR_TAGS:
        return tag, False, None
    if tag in (_STR, _TIMESTAMP):
        return tag, True, value
    try:  # construct_object would keep every node it saw
        return tag, True, _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, LookupError):
        return tag, True, value


# The first characters of a plain scalar for which SafeLoader's resolver tries an implicit tag
# (null, bool, int, float, timestamp, merge, value); it has no path resolvers and no resolver for
# every character, so a quoted scalar, or a plain one starting with any other character, is a string.
_IMPLICIT_FIRST = frozenset(_resolver.yaml_implicit_resolvers)
# `_scalar` of the other untagged scalars, by text: cards repeat the same values.
_UNTAGGED: dict[str, tuple] = {}
_REMEMBERED = 4096


def _untagged(implicit: tuple[bool, bool], value: str) -> tuple[str, bool, Any]:
    if not implicit[0] or value and value[0] not in _IMPLICIT_FIRST:
        return _STR, True, value
    found = _UNTAGGED.get(value)
    if found is None:
        if len(_UNTAGGED) >= _REMEMBERED:
            _UNTAGGED.clear()
        found = _UNTAGGED[value] = _scalar(None, implicit, value)
    return found


@functools.lru_cache(maxsize=4096)
def _canonical(canon: Callable[[Path, str], str], steps: tuple, written: str) -> str:
    """`canon(steps, written)`, remembered: cards repeat the same few keys in the same places
    (`steps` is a mapping's path with its list indices made 0)."""
    return canon(steps, written)


def _collection_tag(event) -> str:
    """The tag of a sequence or mapping start event, resolved as PyYAML's composer does."""
    kind = yaml.MappingNode if type(event) is MappingStartEvent else yaml.SequenceNode
    tag = event.tag
    return _resolver.resolve(kind, None, event.implicit) if tag is None or tag == "!" else tag


class _Anchor:
    """A node that carries an anchor: what an alias to it needs without expanding it again."""

    __slots__ = ("scalar", "tag", "value", "start", "end", "size", "events", "begin", "frame")

    def __init__(self, scalar: bool, tag: str, start: int):
        self.scalar = scalar
        self.tag = tag  # resolved, as an alias used as a key needs it
        self.start = start
        self.value: str | None = None  # a scalar's text
        self.end = start
        self.size = 1  # the nodes it expands to
        self.events: list = []  # its events, replayed where an alias names it
        self.begin = 0  # where its events begin in the builder's recording
        self.frame: _Frame | None = None  # its collection while it is open


class _Frame:
    """A sequence or mapping whose end has not come yet."""

    __slots__ = ("data", "path", "start", "first", "anchor", "is_map", "key", "keyed", "record", "waiting", "steps")

    def __init__(self, start: int, first: int, is_map: bool):
        self.data: list | dict | None = None  # what is being filled; None when its content is not built
        self.path: Path = ()
        self.start = start
        self.first = first  # the node count when it started: its expanded size is counted from here
        self.anchor: _Anchor | None = None
        self.is_map = is_map
        self.key: Any = None  # a mapping's key waiting for its value: (key, path, keyed) or _SKIP
        self.keyed: tuple = ()  # (key start, key end, key as written) when it is a mapping's value
        self.record = False  # whether its place is recorded (built, or a disallowed tag's value)
        self.waiting: list[list] | None = None  # problems about it whose span ends where it ends
        self.steps: tuple | None = None  # a mapping's path with list indices made 0, once a key needs it


_END = StreamEndEvent()  # ends a replay
_SKIP = object()  # a pending mapping key whose value is not built (a merge key, a non-scalar key)
_ROOT, _KEY, _VALUE, _ITEM, _SKIPPED = range(5)  # what the next node is, see _Builder.place


class _Builder:
    """Plain data and node records from parser events, in one pass.

    Bounds are checked as the events arrive, in the order a depth-first walk of the composed graph
    meets them: a node deeper than MAX_DEPTH where it starts, an alias to an anchor whose node is
    still open (a recursion), a node that expands to more than MAX_NODES where it ends. The first
    one is the `failure`: building stops there, but the events are still read to the end, because
    a syntax error anywhere in the text is reported instead (a composer finds it first)."""

    def __init__(self, canon: Callable[[Path, str], str], positions: Positions, building: bool = True):
        self.canon = canon
        self.positions = positions
        self.documents = 0
        self.data: Any = None
        self.records: dict[Path, Record] = {}
        self.styles: dict[Path, str] = {}
        self.rejected: set[Path] = set()
        self.problems: list[list] = []  # [code, start, end, is a scalar, message]
        self.failure: list | None = None  # the first bound exceeded, as a problem
        self.building = building  # False: only check the bounds (and the syntax)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.count = 0  # nodes met so far, an alias counted as the nodes it expands to
        self.recording = 0  # anchored collections open: their events are kept for aliases
        self.recorded: list = []
        self.replaying: AliasEvent | None = None  # the alias being expanded (the outermost)

    def feed(self, parser) -> None:
        """Build from the events of `parser` (a PyYAML parser or loader), to the end of the stream."""
        self.run(parser.get_event, replay=False)

    def replay(self, anchor: _Anchor, alias: AliasEvent) -> None:
        """Build the anchored node again at the alias's place, from its recorded events."""
        outermost = self.replaying is None
        if outermost:
            self.replaying = alias
        base = len(self.stack)
        self.run(iter(anchor.events + [_END]).__next__, replay=True)
        if not self.building:  # the expansion went too deep: abandon it
            del self.stack[base:]
        if outermost:
            self.replaying = None

    def run(self, next_event: Callable[[], Any], replay: bool) -> None:
        """Handle events up to the end of the stream (or, replaying, until building stops)."""
        event = next_event()
        kind = type(event)
        while kind is not StreamEndEvent:
            if self.recording and not replay:
                self.recorded.append(event)
            if kind is ScalarEvent:
                self.scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.start(event)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.end(event)
            elif kind is AliasEvent:
                self.alias(event)
            elif kind is DocumentStartEvent:
                if self.documents:
                    raise ComposerError("expected a single document in the stream", None,
                                        "but found another document", event.start_mark)
                self.documents = 1
            if replay and not self.building:
                return
            event = next_event()
            kind = type(event)

    # -- bounds

    def meet(self, event, scalar: bool, frame: _Frame | None) -> None:
        """Check a node read from the text (already counted) and register its anchor."""
        if self.count > MAX_NODES:
            self.building = False  # some node is bound to expand too far: no need to build more
        start = event.start_mark.index
        if len(self.stack) > MAX_DEPTH:
            end = event.end_mark.index if scalar else None
            self.fail(start, end, scalar, f"YAML nested deeper than {MAX_DEPTH} levels", frame)
        name = event.anchor
        if name is not None:
            if name in self.anchors:
                raise ComposerError("found duplicate anchor; first occurrence", None, "second occurrence",
                                    event.start_mark)
            tag = _scalar(event.tag, event.implicit, event.value)[0] if scalar else _collection_tag(event)
            anchor = self.anchors[name] = _Anchor(scalar, tag, start)
            if scalar:
                anchor.value, anchor.end, anchor.events = event.value, event.end_mark.index, [event]
            else:
                anchor.frame = frame
                if not self.recording:
                    self.recorded.append(event)
                anchor.begin = len(self.recorded) - 1
                self.recording += 1
                frame.anchor = anchor

    def fail(self, start: int, end: int | None, scalar: bool, message: str, frame: _Frame | None = None) -> None:
        """Stop building at a bound exceeded; the first one is reported (at `frame`'s end when `end`
        is not known yet)."""
        self.building = False
        if self.failure is None:
            self.failure = ["MI004", start, end, scalar, message]
            if end is None:
                self.wait(frame, self.failure)

    def too_deep_expansion(self) -> None:
        """An alias whose expansion nests deeper than MAX_DEPTH, reported at the alias."""
        alias = self.replaying
        self.fail(alias.start_mark.index, alias.end_mark.index, False,
                  f"YAML nested deeper than {MAX_DEPTH} levels (expanding an alias)")

    # -- where the next node goes

    def place(self) -> tuple[int, _Frame | None, Any, Path, tuple]:
        """(what the next node is, its parent, its key, its path, its key's record) — taking the
        parent's pending key."""
        if not self.stack:
            return _ROOT, None, None, (), ()
        parent = self.stack[-1]
        if parent.data is None:
            return _SKIPPED, parent, None, (), ()
        if parent.is_map:
            pending = parent.key
            if pending is None:
                return _KEY, parent, None, (), ()
            parent.key = None
            if pending is _SKIP:
                return _SKIPPED, parent, None, (), ()
            return _VALUE, parent, pending[0], pending[1], pending[2]
        return _ITEM, parent, None, parent.path + (len(parent.data),), ()

    def put(self, role: int, parent: _Frame | None, key: Any, value: Any) -> None:
        if role == _VALUE:
            parent.data[key] = value
        elif role == _ITEM:
            parent.data.append(value)
        else:
            self.data = value

    def key(self, parent: _Frame, tag: str, scalar: bool, value: str | None, start: int,
            end: int | None) -> list | None:
        """Take the next key of `parent`. Returns the problem with it, if any."""
        if tag == _MERGE:
            parent.key = _SKIP
            return self.problem("MI003", start, end, scalar, "YAML merge keys (<<) are not supported; key ignored")
        if not scalar:
            parent.key = _SKIP
            return self.problem("MI002", start, end, False, "a mapping key must be a plain string; entry ignored")
        written = str(value)
        if parent.steps is None:
            parent.steps = tuple(0 if isinstance(step, int) else step for step in parent.path)
        key = _canonical(self.canon, parent.steps, written)
        path = parent.path + (key,)
        if key in parent.data:
            first, _ = self.positions.position(self.records[path][3])
            self.problem("MI005", start, end, True,
                         f"duplicate key '{written}' (first at line {first}); the later value wins")
        parent.key = (key, path, (start, end, written))
        return None

    def problem(self, code: str, start: int, end: int | None, scalar: bool, message: str) -> list:
        found = [code, start, end, scalar, message]
        self.problems.append(found)
        return found

    def wait(self, frame: _Frame, problem: list) -> None:
        """Give `problem` the end of `frame` when it ends."""
        if frame.waiting is None:
            frame.waiting = []
        frame.waiting.append(problem)

    def reject(self, path: Path, tag: str, start: int, end: int | None, scalar: bool) -> list:
        self.rejected.add(path)
        return self.problem("MI003", start, end, scalar,
                            f"YAML tag {tag} is not allowed (loaded as null, never constructed)")

    # -- events

    def scalar(self, event) -> None:
        stack = self.stack
        if self.replaying is None:
            self.count += 1
            if event.anchor is not None or self.count > MAX_NODES or len(stack) > MAX_DEPTH:
                self.meet(event, True, None)
        elif len(stack) > MAX_DEPTH:
            self.too_deep_expansion()
        if not self.building:
            return
        role, parent, key, path, keyed = self.place()
        if role == _SKIPPED:
            return
        value, tag = event.value, event.tag
        tag, allowed, data = _untagged(event.implicit, value) if tag is None else _scalar(tag, event.implicit, value)
        start, end = event.start_mark.index, event.end_mark.index
        if role == _KEY:
            self.key(parent, tag, True, value, start, end)
            return
        self.records[path] = (start, end, True) + keyed
        if not allowed:
            self.reject(path, tag, start, end, True)
        elif event.style:
            self.styles[path] = event.style
        self.put(role, parent, key, data)

    def start(self, event) -> None:
        is_map = type(event) is MappingStartEvent
        frame = _Frame(event.start_mark.index, self.count + 1, is_map)
        if self.replaying is None:
            self.count += 1
            self.meet(event, False, frame)
        elif len(self.stack) > MAX_DEPTH:
            self.too_deep_expansion()
            return
        if self.building:
            role, parent, key, path, keyed = self.place()
            if role == _KEY:
                problem = self.key(parent, _collection_tag(event), False, None, frame.start, None)
                self.wait(frame, problem)
            elif role != _SKIPPED:
                frame.path, frame.keyed, frame.record = path, keyed, True
                tag = _collection_tag(event)
                if tag in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    frame.data = {} if is_map else []
                else:
                    self.wait(frame, self.reject(path, tag, frame.start, None, False))
                self.put(role, parent, key, frame.data)
        self.stack.append(frame)

    def end(self, event) -> None:
        frame = self.stack.pop()
        end = event.end_mark.index
        if frame.waiting is not None:
            for problem in frame.waiting:
                problem[2] = end
        if self.replaying is None:
            size = self.count - frame.first + 1
            if size > MAX_NODES:
                self.fail(frame.start, end, False,
                          f"expands to more than {MAX_NODES} YAML nodes (an alias bomb?); not expanded")
            anchor = frame.anchor
            if anchor is not None:
                anchor.end, anchor.size, anchor.frame = end, size, None
                anchor.events = self.recorded[anchor.begin:]
                self.recording -= 1
        if frame.record and self.building:
            self.records[frame.path] = (frame.start, end, False) + frame.keyed

    def alias(self, event) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        if self.replaying is None:
            if anchor.frame is not None:  # its node has not ended: the alias is inside it
                self.fail(anchor.start, None, False, "recursive YAML alias", anchor.frame)
                return
            self.count += anchor.size
            if self.count > MAX_NODES:
                self.building = False
        if not self.building:
            return
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.data is None:
            return  # inside a node that is not built
        if parent is not None and parent.is_map and parent.key is None:
            self.key(parent, anchor.tag, anchor.scalar, anchor.value, anchor.start, anchor.end)
        elif parent is not None and parent.key is _SKIP:
            parent.key = None  # the value of an ignored key
        else:
            self.replay(anchor, event)
