"""Walking an entity's data the way the schema types it; shared by the rules.

Rules read the raw data (what the card says) rather than the validated nodes: validation drops
invalid values, and a rule about a value must still see it where the card wrote it.

The schema (pydantic) is imported when a walk first needs it, so that reading the rule registry
(`model-index rules`, `--help`) does not load it.
"""

from __future__ import annotations

import difflib
import functools
import types
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union, get_args, get_origin

if TYPE_CHECKING:
    from .. import schema
    from ..index import Entity

# Keys whose absence or emptiness the structure rules report (missing-name, incomplete-result).
REQUIRED_KEYS = frozenset({"Name", "Task", "Dataset", "Metrics"})


@functools.cache
def _schema():
    """The schema module, imported when a check first needs it (cached: checks walk every entity)."""
    from .. import schema

    return schema


def mappings(entity: Entity) -> Iterator[tuple[tuple, type[schema.Node], dict]]:
    """Every mapping of `entity` that the schema types: (key path, node type, raw mapping)."""
    schema = _schema()
    root = schema.Model if entity.kind == "model" else schema.Collection
    yield from _mappings(root, entity.raw, ())


def _mappings(node: type[schema.Node], raw: Any, at: tuple) -> Iterator[tuple[tuple, type[schema.Node], dict]]:
    if not isinstance(raw, dict):
        return
    yield at, node, raw
    for alias, child, many in _children(node):
        value = raw.get(alias)
        if value is None:
            continue
        if many and isinstance(value, list):
            for i, item in enumerate(value):
                yield from _mappings(child, item, at + (alias, i))
        elif not many:
            yield from _mappings(child, value, at + (alias,))


@functools.cache
def _children(node: type[schema.Node]) -> tuple[tuple[str, type[schema.Node], bool], ...]:
    """(key, node type, is a list) of the fields of `node` that hold schema nodes."""
    found = ((field.alias, *_node_type(field.annotation)) for field in node.model_fields.values())
    return tuple(child for child in found if child[1] is not None)


def _node_type(annotation: Any) -> tuple[type[schema.Node] | None, bool]:
    """The schema node an annotation holds, and whether it holds a list of them."""
    if isinstance(annotation, type) and issubclass(annotation, _schema().Node):
        return annotation, False
    if get_origin(annotation) is list:
        return _node_type(get_args(annotation)[0])[0], True
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = _node_type(arg)
            if found[0] is not None:
                return found
    return None, False


def typed(entity: Entity, node: type[schema.Node]) -> Iterator[tuple[tuple, dict]]:
    """The raw mappings of `entity` typed as `node` (e.g. every Metadata), with their key paths."""
    for at, found, mapping in mappings(entity):
        if found is node:
            yield at, mapping


def metadata_values(entity: Entity, keys: Iterable[str]) -> Iterator[tuple[tuple, str, Any]]:
    """(key path, key, raw value) of the entries of `entity`'s Metadata
    whose key is one of `keys`."""
    wanted = set(keys)
    for at, mapping in typed(entity, _schema().Metadata):
        for key, value in mapping.items():
            if key in wanted:
                yield at + (key,), key, value


def leaves(value: Any, at: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every scalar below `value`, with its key path."""
    if isinstance(value, dict):
        items: Iterable = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        yield at, value
        return
    for step, child in items:
        yield from leaves(child, at + (step,))


def is_blank(value: Any) -> bool:
    """Null, an empty or blank string, or an empty list or mapping."""
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def closest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The choice closest to `word` (case-insensitively), when one is close enough to suggest.

    `cutoff` is difflib's similarity ratio a suggestion needs (0 to 1)."""
    by_lower = {choice.lower(): choice for choice in choices}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[found[0]] if found else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (letters inserted, deleted or replaced to turn `a` into `b`), for short strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
