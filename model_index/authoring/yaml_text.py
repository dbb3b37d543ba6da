"""Metadata written as text: YAML for a file, for front matter, and for a card's HTML comment.

A value may hold anything (a card being imported is someone else's text), so every writer makes
sure that the text cannot end its container early: an HTML comment ends at `-->` (or `--!>`), front
matter at a line `---` or `...`."""

from __future__ import annotations

import re
from typing import Any

import yaml

# What ends an HTML comment (HTML's `--!>` included); inside a double-quoted YAML scalar, `>` may be
# written as the escape \x3e, which a YAML reader turns back into `>`.
_COMMENT_END = re.compile(r"--!?>")


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given; strings that could end a comment, or that hold a line
    break PyYAML would write raw, double-quoted."""


# Line breaks that PyYAML writes raw into a plain or single-quoted scalar (with allow_unicode),
# where a reader folds them into a space; a double-quoted scalar writes them as escapes.
_RAW_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(dumper: _Dumper, value: str):
    style = '"' if _COMMENT_END.search(value) or _RAW_BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """`data` as block-style YAML, keys in their order, long strings on one line."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=False)


def html_comment(data: Any) -> str:
    """`data` as a model-index block in an HTML comment, as Markdown cards carry it."""
    text = _COMMENT_END.sub(lambda match: match.group(0)[:-1] + "\\x3e", dump(data))
    if _COMMENT_END.search(text):  # only a double-quoted scalar can hold one, and those are escaped
        raise ValueError("the metadata would end its HTML comment early")
    return f"<!--\n{text}-->\n"


def front_matter(data: Any) -> str:
    """`data` as front matter: the YAML between two `---` lines at the top of a Markdown file."""
    text = dump(data)
    if any(line.rstrip() in ("---", "...") for line in text.splitlines()):
        raise ValueError("the metadata would end its front matter early")
    return f"---\n{text}---\n"
