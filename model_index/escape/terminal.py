"""Card text on a terminal or in a CI log: every character that could act is made visible.

A card value (or a file name) printed raw could move the cursor or recolour the screen (ESC),
ring the bell, start a new log line that a CI runner reads as a command (``\\n::error::``), or
reorder what is shown (bidirectional overrides). `printable` writes such characters as Python
escapes, so a report line is one line of plain text whatever a card holds.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL and C1 controls, line/paragraph separators, bidirectional marks,
# embeddings, overrides and isolates, the BOM, and lone surrogates (undecodable file-name bytes).
_ACTIVE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff"
                     "\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control, separator and bidirectional characters written as escapes."""
    return _ACTIVE.sub(_escape, text)
