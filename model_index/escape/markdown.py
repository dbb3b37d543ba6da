"""Card values written into Markdown: inline text, code spans, and lines inside fenced code blocks.

A value must stay what it is: text. In Markdown that means it may open no construct (emphasis, a
link, an autolink, an attribute list, an emoji, a table cell, a list or heading when it starts a
line) and close none of the constructs it sits in (a code span, a fenced block, a table row). The
functions here write a value on one line, so it can never start a line of its own.
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")

# Characters written as HTML character references wherever they are: they are HTML (& < > " '), or
# open or close Markdown and its common extensions' inline syntax (\ ` * [ ] { } | # + ~ ^ = $ @).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ALWAYS = "&<>\"'\\`*[]{}|#+~^=$@"
# `_` between two letters or digits is never emphasis; `:` followed by a space opens no emoji,
# autolink or definition; anything else of them is written as a reference too, and so is the dot
# of `www.`, which magiclink would make a link.
_ACTIVE = re.compile("[" + re.escape(_ALWAYS) + r"]|(?<![^\W_])_|_(?![^\W_])|:(?=\S)|(?i:\bwww\d{0,3})\.")
# What acts only at the start of a line, beyond `_ALWAYS`: a list item (`- `, `1. `, `1) `), a rule
# or setext underline (`---`), a definition (`: `), an admonition or block (`!!!`, `???`, `///`),
# a snippet (`--8<--`, `;--8<--`). A negative number (`-0.5`) is left as it is.
_LINE_START = re.compile(r"[-!?/;:](?=[-!?/;:\s]|$)|\d+[.)](?=\s|$)")


def _reference(char: str) -> str:
    return _ENTITIES.get(char) or f"&#{ord(char)};"


def one_line(value: object) -> str:
    """`value` as text on one line: line breaks and tabs become spaces, other control characters
    (which Markdown processors and browsers drop or use as markers) are removed."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", str(value)))


def text(value: object) -> str:
    """`value` as inline Markdown text that shows exactly its characters.

    Safe in a paragraph, a heading, a table cell, a link's text, and in HTML text or a quoted
    attribute (references are HTML too). Leading and trailing blanks are dropped."""
    line = one_line(value).strip()
    start = _LINE_START.match(line)
    if start is None:
        head, rest = "", line
    else:  # the list marker's last character, or the punctuation itself
        head = start.group()[:-1] + _reference(start.group()[-1])
        rest = line[start.end():]
    return head + _ACTIVE.sub(lambda m: m.group()[:-1] + _reference(m.group()[-1]), rest)


def code_span(value: object) -> str:
    """`value` as a whole inline code span (backticks included), or "" for an empty value.

    The span's backtick fence is longer than any run of backticks inside the value, so nothing in
    it can close the span; a value that starts or ends with a backtick is padded with a space,
    which Markdown strips again."""
    line = one_line(value).strip()
    if not line:
        return ""
    fence = "`" * (max(map(len, re.findall("`+", line)), default=0) + 1)
    pad = " " if line[0] == "`" or line[-1] == "`" else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def code_line(value: object) -> str:
    """`value` inside a line of a fenced code block: shown verbatim by the block, so only a line
    break could harm it (a new line could close the fence, or dedent out of a tab)."""
    return one_line(value)


_RAW_HTML = re.compile(r"<(?!https?://[^\s<>]*>)", re.I)


def inert_html(prose: str) -> str:
    """Markdown prose with its raw HTML (tags, comments) shown as text: every `<` that does not open
    an autolink to a web page (`<https://...>`) is written `&lt;`. Hide the prose's code first (it
    shows `<` as it is anyway)."""
    return _RAW_HTML.sub("&lt;", prose)
