"""Walking an entity's data the way the schema types it; shared by the rules.

Rules read the raw data (what the card says) rather than the validated nodes: validation drops
invalid values, and a rule about a value must still see it where the card wrote it. Schema nodes
are named as in `model_index.shape` (`Metadata`, `Result`, ...), which needs no pydantic.
"""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from ..index import Entity

# Keys whose absence or emptiness the structure rules report (missing-name, incomplete-result).
REQUIRED_KEYS = frozenset({"Name", "Task", "Dataset", "Metrics"})


def mappings(entity: Entity) -> list[tuple[tuple, str, dict]]:
    """Every mapping of `entity` that the schema types: (key path, node name, raw mapping); walked
    once per entity, however many rules read it."""
    return entity.mappings


def typed(entity: Entity, node: str) -> Iterator[tuple[tuple, dict]]:
    """The raw mappings of `entity` typed as `node` (e.g. every Metadata), with their key paths."""
    for at, found, mapping in entity.mappings:
        if found == node:
            yield at, mapping


def metadata_values(entity: Entity, keys: Iterable[str]) -> Iterator[tuple[tuple, str, Any]]:
    """(key path, key, raw value) of the entries of `entity`'s Metadata
    whose key is one of `keys`."""
    wanted = set(keys)
    for at, mapping in typed(entity, "Metadata"):
        for key, value in mapping.items():
            if key in wanted:
                yield at + (key,), key, value


def leaves(value: Any, at: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every scalar below `value`, with its key path, in the order the card writes them."""
    found: list[tuple[tuple, Any]] = []
    _leaves(value, at, found, lambda leaf: True)
    return found


def blank_leaves(value: Any) -> list[tuple[tuple, Any]]:
    """The scalars below `value` that are null or blank strings, with their key paths."""
    found: list[tuple[tuple, Any]] = []
    _leaves(value, (), found, is_blank)
    return found


def _leaves(value: Any, at: tuple, found: list, wanted: Callable[[Any], bool]) -> None:
    if isinstance(value, (dict, list)):
        for step, child in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(child, (dict, list)):
                _leaves(child, at + (step,), found, wanted)
            elif wanted(child):
                found.append((at + (step,), child))
    elif wanted(value):
        found.append((at, value))


def is_blank(value: Any) -> bool:
    """Null, an empty or blank string, or an empty list or mapping."""
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def closest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The choice closest to `word` (case-insensitively), when one is close enough to suggest.

    `cutoff` is difflib's similarity ratio a suggestion needs (0 to 1). Remembered: a zoo repeats
    the same slips (`Bicubic` in a thousand models)."""
    return _closest(word, tuple(choices), cutoff)


@functools.lru_cache(maxsize=1024)
def _closest(word: str, choices: tuple[str, ...], cutoff: float) -> str | None:
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
