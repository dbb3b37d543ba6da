"""Card text in a cell of a GitHub-flavoured Markdown table (the job summary): shown, never read.

GitHub renders a job summary as Markdown with HTML allowed, so a card value placed there raw could
end the cell (``|``) or the row (a newline), open a code span (a backtick), emphasis or a link, or
insert HTML (``<``). `cell` first makes control and bidirectional characters visible (as the
terminal does), then writes every character Markdown or HTML would act on as an escape or entity.
"""

from __future__ import annotations

import re

from .terminal import printable

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "&#96;"}
# ASCII punctuation that acts inside a cell: a backslash escape, emphasis, strikethrough, a link or
# image, the cell's end, math (`$`) and emoji shortcodes (`:`). A backslash before any ASCII
# punctuation makes it literal (CommonMark 2.4; GFM 4.10 for `|` in a table).
_ACTIVE = re.compile(r"[\\*_\[\]~!|$:]")


def cell(text: str) -> str:
    """`text` as inert content of one table cell: one line, no markup."""
    text = _ACTIVE.sub(lambda m: "\\" + m.group(), printable(text))
    return "".join(_ENTITIES.get(char, char) for char in text)
