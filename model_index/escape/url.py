"""Card values used as a link target: only web links and relative links are links.

A URL is read as a browser reads it (tabs and line breaks inside are dropped, blanks and control
characters at either end too), its scheme is checked against an allow-list (`http`, `https`, or
none: a relative link), and it is written percent-encoded, so that the same text is a safe
Markdown link destination and a safe quoted HTML attribute value: nothing in it can end the
destination, add a title, or be decoded into a different scheme (`&#106;avascript:` is no scheme
as written, and would be one once a browser decoded the reference). An `&` is written `%26` in the
path, where it means the same, and `&amp;` in the query, where it separates parameters.

A link the site makes to one of its own pages (`page_link`) is a file path, not a URL: every
character of it that a URL gives a meaning to is percent-encoded, `%` included.
"""

from __future__ import annotations

import re
from urllib.parse import quote

ALLOWED_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_INSIDE = re.compile("[\t\n\r]")
_SAFE = "/:?#@!$*+,;=%~-._"  # kept as they are; everything else is percent-encoded
_QUERY = re.compile(r"[?#]")


def is_linkable(value: object) -> bool:
    """Whether `value` is a non-empty link with an allowed scheme or none."""
    url = _cleaned(value)
    scheme = _SCHEME.match(url)
    return bool(url) and (scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES)


def link_target(value: object) -> str:
    """`value` as a link target, or "" when it is not linkable (`javascript:`, `data:`, ...)."""
    if not is_linkable(value):
        return ""
    url = _cleaned(value)
    split = _QUERY.search(url)
    head, tail = (url[:split.start()], url[split.start():]) if split else (url, "")
    return quote(head, safe=_SAFE) + quote(tail, safe=_SAFE + "&").replace("&", "&amp;")


def page_link(path: str) -> str:
    """The relative path of a page file as a link that resolves to that file: everything but
    letters, digits, `/` and `-._~` percent-encoded, so that a `%`, `#`, `?`, `:` or a control
    character in a file name is read as part of the name, and a link checker that decodes the
    link (mkdocs) gets the name back, not a line break or a different file. A file name that is
    not UTF-8 keeps its bytes."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _cleaned(value: object) -> str:
    return _IGNORED_INSIDE.sub("", str(value)).strip("".join(map(chr, range(0x21))))
