"""Keys a zoo adds on purpose (`extra-keys` of the configuration): the types they may declare, and
where they may be scoped. A JSON Schema of a zoo is the schema's models plus these declarations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .numbers import as_number


@dataclass(frozen=True)
class ValueType:
    """A type an extra key may declare: its JSON Schema and the check of a card's value."""

    json_schema: dict[str, Any]
    accepts: Callable[[Any], bool]


# The types of `extra-keys`. Numbers may be written as strings ('5.2'), as the schema reads them.
EXTRA_KEY_TYPES: dict[str, ValueType] = {
    "string": ValueType({"type": "string"}, lambda v: isinstance(v, str)),
    "number": ValueType({"type": "number"}, lambda v: as_number(v) is not None),
    "integer": ValueType({"type": "integer"}, lambda v: isinstance(as_number(v), int)),
    "boolean": ValueType({"type": "boolean"}, lambda v: isinstance(v, bool)),
    "list": ValueType({"type": "array"}, lambda v: isinstance(v, list)),
    "mapping": ValueType({"type": "object"}, lambda v: isinstance(v, dict)),
    "any": ValueType({}, lambda v: True),
}
# Where an extra key may be scoped: a model's or collection's own keys, or one of their parts.
EXTRA_KEY_SCOPES = ("Models", "Collections", "Metadata", "Results", "Paper", "Code")


def extra_key(declaration: str) -> tuple[str | None, str]:
    """(scope, key) of an `extra-keys` declaration: `Metadata.Training Memory (GB)` is the key
    `Training Memory (GB)` in any Metadata; a declaration without a known scope before its first
    dot (`Converted From`) may appear anywhere."""
    scope, dot, key = declaration.partition(".")
    known = {s.lower(): s for s in EXTRA_KEY_SCOPES}
    if dot and key and scope.lower() in known:
        return known[scope.lower()], key
    return None, declaration
