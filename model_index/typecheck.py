"""Whether a card's raw data surely validates against the schema, checked without pydantic.

Loading validates every model and collection, yet nearly all of them are valid, and the static rules
read the raw data rather than the validated nodes. So a mapping that this check vouches for is not
given to pydantic while loading: pydantic would report nothing, and the validated node is made when
something first reads it (`index.Entity.data`: the site, exports).

The check is conservative: it vouches for a value only when pydantic surely accepts it as it is
(a string for a string; an int, a finite float or a number written as a string for a number; a
string or a list of strings for a list of words; ...). Anything else, a boolean, a float where an
int is expected (`224.0`, `224.5`), a mapping for a string, an int too large for a machine word,
or a key the node needs missing (a `Code` mapping without its `URL`) makes the whole mapping go to
pydantic, which reports the exact wrong-type errors (MI002). The
kinds are those of `schema_table.py`; keys the schema does not know are accepted, as the schema
keeps them (the unknown-key rule reports them).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from .numbers import parse_number
from .schema_table import NEEDS, NODES

Check = Callable[[Any], bool]
_WORD = 2 ** 63  # ints within a signed machine word: every numeric type takes them as they are


def fits(node: str, raw: Any) -> bool:
    """Whether `raw` surely validates as the schema node `node` without an error."""
    if type(raw) is not dict or any(raw.get(key) is None for key in NEEDS.get(node, ())):
        return False
    checks = _checks(node)
    for key, value in raw.items():
        check = checks.get(key)
        if check is not None and value is not None and not check(value):
            return False
    return True


@functools.cache
def _checks(node: str) -> dict[str, Check]:
    return {alias: _check(kind) for alias, kind in NODES[node].items()}


def _plain_number(value: Any) -> bool:
    """An int within a machine word or a finite float (not a boolean, not a string)."""
    kind = type(value)
    return (kind is int and -_WORD <= value < _WORD) or (kind is float and value - value == 0)


def _is_str(value: Any) -> bool:
    return type(value) is str


def _number(value: Any) -> bool:
    return _plain_number(parse_number(value) if type(value) is str else value)


def _integer(value: Any) -> bool:
    value = parse_number(value) if type(value) is str else value
    return type(value) is int and -_WORD <= value < _WORD


def _words(value: Any) -> bool:
    return type(value) is str or type(value) is list and _STRINGS.issuperset(map(type, value))


_STRINGS = frozenset({str})


def _metric(value: Any) -> bool:
    if type(value) is str:
        value = parse_number(value)
        return type(value) is str or _plain_number(value)
    return value is None or _plain_number(value)


_NAMED: dict[str, Check] = {
    "str": _is_str,
    "int": lambda value: type(value) is int and -_WORD <= value < _WORD,
    "float": lambda value: type(value) is float and value - value == 0,
    "any": lambda value: True,
    "number": _number,
    "integer": _integer,
    "words": _words,
    "metric": _metric,
}


def _check(kind: Any) -> Check:
    """The check of one kind (see scripts/schema_table.py); an unknown kind vouches for nothing."""
    if isinstance(kind, str):
        return _NAMED.get(kind, lambda value: False)
    shape, *args = kind
    if shape == "node":
        return lambda value: fits(args[0], value)
    if shape == "list":
        item = _check(args[0])
        return lambda value: type(value) is list and all(map(item, value))
    if shape == "dict":
        entry = _check(args[0])
        return lambda value: type(value) is dict and all(type(k) is str and entry(v) for k, v in value.items())
    if shape == "union":
        members = [_check(member) for member in args]
        return lambda value: any(member(value) for member in members)
    return lambda value: False
