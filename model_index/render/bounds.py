"""What a template render may cost: time, template lines, call depth, value and output sizes.

Jinja's sandbox stops a template from reaching Python's internals, but not from spending: a short
loop can write hundreds of megabytes, `**` can build a number that takes minutes to print, a macro
can call itself without end. Every render runs inside a `Budget`:

- a trace function (`sys.settrace`, restored afterwards) counts the lines the templates run (each
  loop iteration counts again), measures their call depth, and checks the clock;
- every value a template operation produces (arithmetic, `~`, a filter, a method or function call,
  a formatted string, a list or dict literal) is weighed, and so is each template's output.

A card renders in two budgets: one for its own text (when it uses Jinja), one for its page (`card.md`
and the parts it includes); the overview and the rules page have one each. A bound that is reached
raises `BoundExceeded`; the card gets a note on its page and the build goes on.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType
from time import monotonic
from typing import Any, Collection, Generator, Iterable

from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace
from markupsafe import Markup


@dataclass(frozen=True)
class Bounds:
    """The most one render may cost (the defaults are generous for a card or an overview of
    thousands of models, and stop a hostile card within seconds and a few hundred megabytes)."""

    seconds: float = 10.0  # wall-clock time
    lines: int = 1_000_000  # template lines run; a loop's lines count on every iteration
    depth: int = 50  # template calls inside each other: includes, macros, recursive loops
    value: int = 1_000_000  # weight of one value: characters of a string, items of a list (and theirs)
    output: int = 4_000_000  # characters one template, macro or block writes
    work: int = 50_000_000  # total weight of the values all operations produce
    width: int = 10_000  # a width, precision, indent or count handed to a filter, method or format
    int_bits: int = 4_096  # size of an integer (about 1,200 digits)


class BoundExceeded(SecurityError):
    """A card's template reached one of its `Bounds`."""


def weight(value: Any, limit: int) -> int:
    """About how much text or how many items `value` holds when printed: characters, items and
    digits, counting what it shares as often as it is reached (`[x, x]` weighs twice `x`).

    Each distinct container is weighed once, so a value built to be exponential (a list of
    itself, doubled in a loop) costs no more than its distinct parts; counting stops past `limit`,
    and a value that contains itself weighs more than any limit."""
    if _parts(value) is None:
        return _scalar_weight(value)
    known: dict[int, int] = {}  # id → weight of the containers weighed so far
    on_path: set[int] = set()  # containers whose parts are being weighed: the path from `value`
    stack = [value]
    while stack:
        item = stack[-1]
        parts = _parts(item)
        if id(item) in known:
            stack.pop()
            continue
        if id(item) not in on_path:
            on_path.add(id(item))
            inner = [part for part in parts if type(part) not in _SCALARS and _parts(part) is not None
                     and id(part) not in known]
            if any(id(part) in on_path for part in inner):
                return limit + 1  # it contains itself
            if inner:
                stack.extend(inner)
                continue
        stack.pop()
        on_path.discard(id(item))
        total = 1 + len(parts)
        for part in parts:
            total += known[id(part)] if id(part) in known else _scalar_weight(part)
            if total > limit:
                return total
        known[id(item)] = total
    return known[id(value)]


_SCALARS = frozenset({str, int, float, bool, type(None), bytes, Markup})


def _parts(item: Any) -> Collection[Any] | None:
    """The objects a container holds (a dict's keys and values), or None for anything else."""
    if isinstance(item, (list, tuple, set, frozenset)):
        return item
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, Namespace):
        return [object.__getattribute__(item, "_Namespace__attrs")]
    return None


def _scalar_weight(item: Any) -> int:
    if isinstance(item, (str, bytes, bytearray)):
        return 1 + len(item)
    if isinstance(item, int):
        return 1 + item.bit_length() // 8
    return 1


_ACTIVE: ContextVar[Budget | None] = ContextVar("model_index_budget", default=None)


def current() -> Budget:
    """The budget of the render in progress."""
    budget = _ACTIVE.get()
    if budget is None:
        raise RuntimeError("a template ran outside a render budget")
    return budget


class Budget:
    """One render's account against `bounds`: enter it once, around compiling and rendering.
    The template frames (the compiled templates' code, as opposed to the library code they call)
    are those whose module holds `environment` as its `environment`, as Jinja's compiled
    templates do."""

    def __init__(self, bounds: Bounds, environment: Any) -> None:
        self.bounds = bounds
        self.environment = environment
        self.lines = 0
        self.depth = 0
        self.work = 0
        self.deadline = monotonic() + bounds.seconds
        self.exceeded: BoundExceeded | None = None

    def __enter__(self) -> Budget:
        self._previous = sys.gettrace(), _ACTIVE.set(self)
        sys.settrace(self._on_call)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        trace, token = self._previous
        sys.settrace(trace)
        _ACTIVE.reset(token)
        if error is None and self.exceeded is not None:
            raise self.exceeded  # swallowed (Jinja's constant folding catches every error): still a failure

    def fail(self, message: str) -> BoundExceeded:
        """Record that a bound was reached; the error to raise."""
        self.exceeded = self.exceeded or BoundExceeded(message)
        return self.exceeded

    def require(self, within: bool, message: str, *values: Any) -> None:
        """Raise `BoundExceeded(message.format(*values))` unless `within` (the message is only
        formatted then: checks run on every operation)."""
        if not within:
            raise self.fail(message.format(*values))

    def check_clock(self) -> None:
        """Raise `BoundExceeded` once the render's time is up (also called outside templates: by
        the preparation of a card's text, which the same clock bounds)."""
        if monotonic() > self.deadline:
            raise self.fail(f"rendering took longer than {self.bounds.seconds:g} seconds")

    # The trace functions run on every call and every template line: they stay lean. They raise
    # only in template frames: raising in a trace function turns tracing off, so it must not
    # happen where library code could catch the error and go on (`except Exception` in a
    # filter). The compiled templates catch nothing of ours.
    def _on_call(self, frame: FrameType, event: str, arg: Any):
        if frame.f_globals.get("environment") is not self.environment:
            return None
        self.depth += 1
        if self.depth > self.bounds.depth:
            raise self.fail(f"templates called inside each other more than {self.bounds.depth} deep")
        self.check_clock()
        return self._on_event

    def _on_event(self, frame: FrameType, event: str, arg: Any):
        if event == "line":
            self.lines += 1
            if self.lines > self.bounds.lines:
                raise self.fail(f"the template ran more than {self.bounds.lines:,} lines")
            self.check_clock()
        elif event == "return":
            self.depth -= 1
        return self._on_event

    def checked(self, value: Any) -> Any:
        """`value`, a template operation's result, once it is within the bounds (and the clock,
        which also runs while library code works for a template: a filter over a long list)."""
        if self.exceeded is not None:
            raise self.exceeded
        self.check_clock()
        if isinstance(value, int):
            self.require(value.bit_length() <= self.bounds.int_bits, "an integer of more than {} bits",
                         self.bounds.int_bits)
        size = weight(value, self.bounds.value)
        self.require(size <= self.bounds.value, "a value larger than {:,} characters or items", self.bounds.value)
        self.work += size
        self.require(self.work <= self.bounds.work, "the template produced more than {:,} characters or items",
                     self.bounds.work)
        return value

    def joined(self, pieces: Iterable[str]) -> str:
        """`pieces` joined, as a template's output, a macro's or a block's, within the output bound.
        A template's output comes from a generator: the error is raised inside it, where the
        template's line is known."""
        parts, size = [], 0
        for piece in pieces:
            size += len(piece)
            if size > self.bounds.output:
                error = self.fail(f"a template wrote more than {self.bounds.output:,} characters")
                if isinstance(pieces, Generator):
                    pieces.throw(error)
                raise error
            parts.append(piece)
        return "".join(parts)
