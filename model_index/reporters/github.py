"""GitHub Actions: workflow-command annotations and the Markdown job summary."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Result, Severity
from ..escape.terminal import printable
from .machine import statistics
from .style import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE rule::message`, one a line.

    File names and messages are made inert first (`printable`: no escape sequence can act, no
    control character passes), then escaped as GitHub reads them (a newline becomes %0A, so it
    cannot start a command of its own)."""
    return "".join(_annotation(d) + "\n" for d in result.diagnostics)


def _annotation(d: Diagnostic) -> str:
    span = d.span
    properties = [("file", printable(d.path)), ("line", span.line)]
    if span.end_line == span.line:  # GitHub reads columns only within one line
        properties += [("col", span.column), ("endLine", span.end_line),
                       ("endColumn", max(span.end_column, span.column))]
    else:
        properties.append(("endLine", span.end_line))
    properties.append(("title", f"{d.code} {d.rule}"))
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    message = "\n".join(map(printable, d.message.split("\n")))  # a line break is GitHub's to escape
    return f"::{COMMANDS[d.severity]} {fields}::{escape_data(message)}"


def job_summary(result: Result) -> str:
    """A short Markdown summary for `$GITHUB_STEP_SUMMARY`: the counts, then a table per rule."""
    lines = ["## model-index", "", summary_line(result), ""]
    rows = statistics(result)
    if rows:
        lines += ["| Code | Rule | Count | Fixable |", "| --- | --- | ---: | ---: |"]
        lines += [f"| {r['code']} | {r['rule']} | {r['count']} | {r['fixable']} |" for r in rows]
        lines.append("")
    return "\n".join(lines) + "\n"
