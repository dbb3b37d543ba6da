"""The schema's shape as plain data: the keys of each node, their canonical spelling, which of them
hold numbers and which hold nodes.

It is read from `schema_table.py`, which a script generates from the pydantic models of
`schema.py` (the source of truth), so that loading cards and the static rules need no pydantic.
Nodes are named as the models are: `Model`, `Metadata`, `Result`, ...
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .schema_table import NODES

Kind = Any  # see scripts/schema_table.py
NUMBER_KINDS = frozenset({"number", "integer", "metric"})  # the kinds read by `numbers.parse_number`


def aliases(node: str) -> tuple[str, ...]:
    """The keys a card may write for `node`, in the schema's order."""
    return tuple(NODES[node])


def knows(node: str, key: str) -> bool:
    """Whether `key` (canonical) is a key of `node`."""
    return key in NODES[node]


def comparable_key(key: str) -> str:
    """The form in which the format compares keys: case, spaces, `_` and `-` do not matter."""
    return re.sub(r"[\s_-]+", "", key).lower()


_CANONICAL = {comparable_key(alias): alias for fields in NODES.values() for alias in fields}


def canonical_key(key: str) -> str:
    """``in collection`` → ``In Collection``; unknown keys stay as written."""
    return _CANONICAL.get(comparable_key(key), key)


def canonical_key_in(path: tuple, key: str) -> str:
    """`key`, written in the mapping at key path `path` of a model-index document (canonical keys
    and list indices), in its canonical spelling where the schema defines that mapping; in any
    other mapping (a zoo's own `Converted From: {...}`, a result's `Metrics`, Hugging Face's
    `model-index` entries) keys are data and stay as written."""
    if _node_at(tuple(None if isinstance(step, int) else step for step in path)) is None:
        return key
    return canonical_key(key)


_ENTITY_LISTS = {"Models": "Model", "Collections": "Collection"}  # what a document's lists hold


@functools.lru_cache(maxsize=1024)
def _node_at(steps: tuple) -> str | None:
    """The node of the mapping at `steps` (a key path, list indices as None) of a model-index
    document, a mapping or a bare list of models; None where the schema defines no mapping."""
    node, rest = ("Model", steps[1:]) if steps[:1] == (None,) else ("ModelIndex", steps)
    i = 0
    while i < len(rest):
        if node == "ModelIndex" and rest[i] in _ENTITY_LISTS:
            child, many = _ENTITY_LISTS[rest[i]], True
        else:
            child, many = next(((c, m) for alias, c, m in children(node) if alias == rest[i]), (None, False))
        if child is None or many and rest[i + 1:i + 2] != (None,):
            return None
        node, i = child, i + (2 if many else 1)
    return node


def _is_numeric(kind: Kind) -> bool:
    return kind in NUMBER_KINDS if isinstance(kind, str) else \
        kind[0] == "union" and any(_is_numeric(member) for member in kind[1:])


@functools.cache
def numeric_keys(node: str) -> frozenset[str]:
    """Keys of `node` whose values are numbers."""
    return frozenset(alias for alias, kind in NODES[node].items() if _is_numeric(kind))


@functools.cache
def children(node: str) -> tuple[tuple[str, str, bool], ...]:
    """(key, node, whether a list of them) of the keys of `node` that hold nodes."""
    found = ((alias, *_node_in(kind)) for alias, kind in NODES[node].items())
    return tuple(child for child in found if child[1] is not None)


def _node_in(kind: Kind) -> tuple[str | None, bool]:
    """The node a kind holds, and whether it holds a list of them (the first node of a union)."""
    if isinstance(kind, str):
        return None, False
    if kind[0] == "node":
        return kind[1], False
    if kind[0] == "list":
        return _node_in(kind[1])[0], True
    if kind[0] == "union":
        return next((found for found in map(_node_in, kind[1:]) if found[0] is not None), (None, False))
    return None, False


def mappings(node: str, raw: Any, at: tuple = ()) -> list[tuple[tuple, str, dict]]:
    """Every mapping of `raw` that the schema types, read as `node`: (key path, node, mapping)."""
    found: list[tuple[tuple, str, dict]] = []
    _collect(node, raw, at, found)
    return found


def _collect(node: str, raw: Any, at: tuple, found: list) -> None:
    if not isinstance(raw, dict):
        return
    found.append((at, node, raw))
    for alias, child, many in children(node):
        value = raw.get(alias)
        if value is None:
            continue
        if many and isinstance(value, list):
            for i, item in enumerate(value):
                _collect(child, item, at + (alias, i), found)
        elif not many:
            _collect(child, value, at + (alias,), found)
