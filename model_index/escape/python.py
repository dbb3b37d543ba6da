"""Card values written into Python source: the model name in the snippets' `timm.create_model(...)`.

A reader copies those snippets into a terminal or a notebook, so a name must stay one string: it is
written as a double-quoted literal with quotes, backslashes and every character that is not
printable (line breaks, controls, bidirectional overrides that could make code read differently
from what runs) as escapes.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r'["\\]|[^ -~]')
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in '"\\':
        return "\\" + char
    if char.isprintable():
        return char
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def string_literal(value: object) -> str:
    """`value` as a Python string literal, quotes included, on one line."""
    return '"' + _SPECIAL.sub(_escape, str(value)) + '"'
