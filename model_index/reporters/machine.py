"""The JSON report (the contract in DESIGN.md) and per-rule statistics."""

from __future__ import annotations

import json
import re
from collections import Counter

from ..diagnostics import Result
from .style import applicable
from ..escape.terminal import printable

VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_json(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """`{"version": 1, "diagnostics": [...], "summary": {...}}`; keep the fields stable."""
    report = {"version": VERSION, "diagnostics": [d.as_dict() for d in result.diagnostics],
              "summary": result.summary.as_dict()}
    return exact_json(report)


def exact_json(value) -> str:
    """`value` as indented JSON that is UTF-8 text whatever it holds: a lone surrogate (a file name
    byte that is not UTF-8, or a YAML escape like "\\ud800") is written as JSON's `\\uXXXX`
    escape, which a reader decodes back to the same string, rather than breaking the output."""
    out: list[str] = []
    _indented(value, "\n", out)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", "".join(out)) + "\n"


def _indented(value, newline: str, out: list[str]) -> None:
    """Append `value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it at the nesting
    that `newline` (a line break and that nesting's indentation) belongs to. The same text, made
    faster: the standard library lays out indented JSON in Python, a generator per container; here
    a plain loop does, and strings are encoded by the standard library's C function."""
    kind = type(value)
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        out.append(scalar(value))
    elif kind is dict and value and all(type(key) is str for key in value):
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            scalar = _SCALARS.get(type(item))
            if scalar is not None:  # most values: written at once
                out.append(separator + _string(key) + ": " + scalar(item))
            else:
                out.append(separator + _string(key) + ": ")
                _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif (kind is list or kind is tuple) and value:
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:  # empty containers, keys that JSON writes as strings, subclasses: the standard library's way
        out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline))


def _float(value: float) -> str:
    """A float as the json module writes it (NaN and the infinities as JavaScript names them)."""
    if value != value:
        return "NaN"
    return "Infinity" if value == _INFINITY else "-Infinity" if value == -_INFINITY else float.__repr__(value)


_INFINITY = float("inf")
_string = json.encoder.encode_basestring  # the C function, where the interpreter has it
_SCALARS = {str: _string, int: int.__repr__, float: _float, bool: lambda v: "true" if v else "false",
            type(None): lambda v: "null"}


def statistics(result: Result) -> list[dict]:
    """How often each code fired, most frequent first, and how many of its findings `--fix` fixes."""
    counts = Counter(d.code for d in result.diagnostics)
    first = {}
    fixable = Counter()
    for d in result.diagnostics:
        first.setdefault(d.code, d)
        fixable[d.code] += applicable(d, result)
    return [{"code": code, "rule": first[code].rule, "count": count, "fixable": fixable[code]}
            for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def statistics_text(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """`count  CODE  rule-name  [*]` a line, like ruff's --statistics."""
    rows = statistics(result)
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{str(row['count']).rjust(width)}\t{row['code']}\t{'[*] ' if row['fixable'] else ''}"
                   f"{printable(row['rule'])}\n" for row in rows)


def statistics_json(result: Result, texts: dict[str, str], color: bool = False) -> str:
    return exact_json(statistics(result))
