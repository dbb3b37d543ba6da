"""Human-readable reports: `concise` (one line per problem) and `full` (with the source excerpt)."""

from __future__ import annotations

import json

from ..diagnostics import Applicability, Diagnostic, Result
from ..escape.terminal import printable
from .style import Styler, applicable, fixable_line, summary_line

MAX_EXCERPT_LINES = 6


def concise(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """`path:line:col: CODE [*] [severity] message`, one problem a line (`[*]` when `--fix` repairs
    it, as in ruff's concise format), then the summary line."""
    style = Styler(color)
    lines = [f"{style(_at_line_start(printable(d.location)), bold=True)}: {style(d.code, bold=True)}"
             f"{_marker(d, result)} [{style.severity(d.severity)}] {printable(d.message)}"
             for d in result.diagnostics]
    lines += [summary_line(result), *fixable_line(result)]
    return "\n".join(lines) + "\n"


def _at_line_start(location: str) -> str:
    """A location that begins a line: a file named `::error::x.md` is written `./::error::x.md`, so
    that a CI runner does not read the line as a workflow command."""
    return "./" + location if location.lstrip().startswith("::") else location


def full(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """Each problem with its source lines, a caret under the span, expected/actual and the fix."""
    style = Styler(color)
    blocks = [_full_one(d, texts.get(d.path), style, result) for d in result.diagnostics]
    return "".join(block + "\n" for block in blocks) + "\n".join([summary_line(result), *fixable_line(result)]) + "\n"


def _marker(d: Diagnostic, result: Result) -> str:
    """` [*]` after the code of a problem that `--fix` repairs in this run."""
    return " [*]" if applicable(d, result) else ""


def _full_one(d: Diagnostic, text: str | None, style: Styler, result: Result) -> str:
    out = [f"{style(d.code, bold=True)}{_marker(d, result)} [{style.severity(d.severity)}] {printable(d.message)}"]
    excerpt = _excerpt(d, text)
    gutter = " " * len(str(excerpt[-1][0])) if excerpt else " "
    out.append(f"{gutter}{style('-->', fg='blue')} {printable(d.location)}")
    if excerpt:
        bar = style("|", fg="blue")
        out.append(f"{gutter} {bar}")
        for number, source, start, end in excerpt:
            out.append(f"{style(str(number).rjust(len(gutter)), fg='blue')} {bar} {printable(source)}")
            if end > start:
                # carets under the escaped text: an escape is wider than the character it shows
                pad = "".join(c if c == "\t" else " " for c in printable(source[:start]))
                width = len(printable(source[start:end])) + max(0, end - max(len(source), start))
                out.append(f"{gutter} {bar} {pad}{style.severity(d.severity, '^' * width)}")
        out.append(f"{gutter} {bar}")
    facts = d.as_dict()
    known = [f"{side}: {_show(facts[side])}" for side in ("expected", "actual") if facts[side] is not None]
    if known:
        out.append(f"{gutter} = {', '.join(known)}")
    if d.fix:
        kind = {Applicability.UNSAFE: " (unsafe fix)", Applicability.DISPLAY_ONLY: " (display-only)"}
        out.append(f"{style('help', bold=True)}: {printable(d.fix.description)}{kind.get(d.fix.applicability, '')}")
    return "\n".join(out) + "\n"


def _show(value) -> str:
    return printable(json.dumps(value, ensure_ascii=False))


def _excerpt(d: Diagnostic, text: str | None) -> list[tuple[int, str, int, int]]:
    """(line number, source line, start, end) for each line of the span: 0-based columns to mark."""
    if text is None:
        return []
    lines = text.split("\n")  # the linter's texts use '\n'; splitlines() would split on more
    span = d.span
    if not 1 <= span.line <= len(lines):
        return []
    last = min(span.end_line, len(lines), span.line + MAX_EXCERPT_LINES - 1)
    rows = []
    for number in range(span.line, last + 1):
        source = lines[number - 1]
        start = span.column - 1 if number == span.line else len(source) - len(source.lstrip())
        end = span.end_column - 1 if number == span.end_line else len(source)
        if number == span.line == span.end_line and end <= start:
            end = start + 1  # a point: mark one character
        rows.append((number, source, start, min(max(end, start), max(len(source), start + 1))))
    return rows
