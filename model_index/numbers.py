"""Numbers as cards write them: `224`, `'0.875'`, `'25,557,032'`, `'80.05%'`.

The schema reads them this way (`schema.Number`), and so do the rules and the type check that
spares a valid card the schema's validation; none of this needs pydantic.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_NUMBER = re.compile(r"^[+-]?(\d[\d,_]*)?(\.\d+)?([eE][+-]?\d+)?$")

# What a card may write for a number, as JSON Schema sees it: the number, or a string that
# `parse_number` reads (the number-as-string rule reports it, the schema accepts it).
NUMBER_TEXT = r"^(?=[^0-9]*[0-9])\s*[+-]?([0-9][0-9,_]*)?(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*%?\s*$"
INTEGER_TEXT = r"^\s*[+-]?[0-9][0-9,_]*(\.0+)?\s*%?\s*$"


def parse_number(value: Any) -> Any:
    """Read numbers written as strings: ``'0.875'``, ``'25,557,032'``, ``'80.05%'``."""
    if type(value) is str and len(value) <= 32:
        return _parse_short(value)
    return _parse_text(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=4096)
def _parse_short(value: str) -> Any:
    """`_parse_text`, remembered: cards repeat the same few numbers ('224', '0.875')."""
    return _parse_text(value)


def _parse_text(value: str) -> Any:
    text = value.strip().rstrip("%").strip()
    if text and _NUMBER.match(text) and any(c.isdigit() for c in text):
        number = float(text.replace(",", "").replace("_", ""))
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    return value


def read_number(value: Any) -> Any:
    """`parse_number` for the schema: a boolean (YAML's `true`, `yes`) where a number belongs is a
    wrong type, as the JSON Schema has it, not the number 1 that pydantic would make of it."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    return parse_number(value)


def as_number(value: Any) -> int | float | None:
    """The number a card value means (``'0.875'``, ``'80.05%'`` included), or None; booleans are not numbers."""
    number = parse_number(value)
    return number if isinstance(number, (int, float)) and not isinstance(number, bool) else None


def as_list(value: Any) -> Any:
    """A single string where a list is expected is a list of one."""
    return [value] if isinstance(value, str) else value
