"""Card values in HTML: an attribute value, and the attributes of a page built from untrusted prose.

`attribute` writes a value (the picker's `data-model`, an option's value) exactly, quotes, angle
brackets and line breaks included, as character references: nothing in it can end the attribute
or the tag, and no blank line can end the raw HTML block Markdown keeps it in. The attribute must
be quoted.

`without_active_attributes` and `inert_text` are for a site that shows raw HTML in card prose as
text (`allow_html: false`): Markdown syntax can still make an attribute that acts (attr_list's
`{: onclick=... }`) or a link to `javascript:`, and a theme writes the front matter and the title
into the page unescaped.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from .url import is_linkable

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REFERENCES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                             "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def attribute(value: object) -> str:
    """`value` for a quoted HTML attribute value; control characters other than line breaks and
    tabs are removed."""
    return _CONTROLS.sub("", str(value)).translate(_REFERENCES)


def inert_text(value: object) -> str:
    """Text for a theme that writes it into HTML as it is, or that unescapes it once first
    (Material writes a page's title into <title> through `striptags`, which does): `<` and `>`
    are dropped, `&` and quotes written as references, control characters removed."""
    return attribute(str(value).replace("<", "").replace(">", ""))


def inert_data(value: Any) -> Any:
    """`value` (a page's front matter) with every string in it made `inert_text`."""
    if isinstance(value, str):
        return inert_text(value)
    if isinstance(value, dict):
        return {key: inert_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [inert_data(item) for item in value]
    return value


_TAG = re.compile(r"(<[A-Za-z][^\s<>/]*)([^<>]*>)")
_ATTRIBUTE = re.compile(r"""\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data"}
_ACTIVE_ATTRIBUTES = {"style", "srcdoc", "srcset"}


def _keep(attribute: re.Match) -> str:
    name = attribute.group(1).lower()
    value = unescape((attribute.group(2) or "").strip("\"'"))
    active = name.startswith("on") or name in _ACTIVE_ATTRIBUTES or \
        (name in _URL_ATTRIBUTES and not is_linkable(value))
    return "" if active else attribute.group()


def without_active_attributes(markup: str) -> str:
    """HTML without event handlers (`on...`), `style`, `srcdoc` or `srcset`, and without URL
    attributes (`href`, `src`, ...) whose target is not a web link or a relative one. For HTML
    that a Markdown processor wrote (its tags hold no `<` or `>` inside)."""
    return _TAG.sub(lambda tag: tag.group(1) + _ATTRIBUTE.sub(_keep, tag.group(2)), markup)
