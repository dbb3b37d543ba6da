"""GitHub Actions: workflow-command annotations and the Markdown job summary.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, and 50 per job; the
rest are dropped without a word (actions/toolkit, docs/problem-matchers.md, "Limitations":
https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations). So the
annotations are ranked, those on the cards a pull request changed first (`Result.on_changed`: the
problem's file or another place it involves, like the first use of a duplicated name, changed), and
errors before warnings before infos, and capped at that many of each kind; the job summary lists
every problem. A step's summary may hold 1 MiB ("Adding a job summary":
https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary);
the table stops short of it and says how many rows it left out.
"""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Diagnostic, Result, Severity
from ..escape.gfm_table import cell
from ..escape.terminal import printable
from .machine import statistics
from .style import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
PER_STEP = 10  # annotations of each kind that GitHub shows per step
SUMMARY_BYTES = 1024 * 1024  # what one step's summary may hold
SUMMARY_TAIL = 100  # room kept for the line that says how many rows were left out


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def ranked(result: Result) -> list[Diagnostic]:
    """Every diagnostic, those on changed cards first (`Result.on_changed`), then by severity; file
    order within each."""
    return sorted(result.diagnostics, key=lambda d: (not result.on_changed(d), RANK[d.severity]))


def annotated(result: Result) -> list[Diagnostic]:
    """The diagnostics GitHub will show, in the order they are printed: `ranked`, at most PER_STEP
    of each kind. When some are left out, one notice slot is kept for the line that says so."""
    counts = Counter(COMMANDS[d.severity] for d in result.diagnostics)
    room = {kind: PER_STEP for kind in COMMANDS.values()}
    if any(count > PER_STEP for count in counts.values()):
        room["notice"] -= 1
    shown = []
    for d in ranked(result):
        kind = COMMANDS[d.severity]
        if room[kind]:
            room[kind] -= 1
            shown.append(d)
    return shown


def annotations(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE rule::message`, one a line,
    for the `annotated` diagnostics; then a notice counting the rest, if any.

    File names and messages are made inert first (`printable`: no escape sequence can act, no
    control character passes), then escaped as GitHub reads them (a newline becomes %0A, so it
    cannot start a command of its own)."""
    shown = annotated(result)
    lines = [_annotation(d) for d in shown]
    left = len(result.diagnostics) - len(shown)
    if left:
        lines.append(f"::notice title=model-index::{left} more problem(s) not annotated: GitHub shows {PER_STEP} "
                     "of each kind per step. The job summary lists every problem.")
    return "".join(line + "\n" for line in lines)


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


def job_summary(result: Result, budget: int = SUMMARY_BYTES) -> str:
    """The Markdown summary for `$GITHUB_STEP_SUMMARY`: the counts, a table per rule, then every
    problem (`ranked`) within `budget` bytes of UTF-8. Card text is escaped for the table."""
    lines = ["## model-index", "", summary_line(result), ""]
    rows = statistics(result)
    if rows:
        lines += ["| Code | Rule | Count | Fixable |", "| --- | --- | ---: | ---: |"]
        lines += [f"| {r['code']} | {r['rule']} | {r['count']} | {r['fixable']} |" for r in rows]
        lines.append("")
    if not result.diagnostics:
        return "\n".join(lines) + "\n"
    changed = result.changed
    lines += ["### Problems", ""]
    if changed is None:
        lines += ["| Severity | Location | Code | Message |", "| --- | --- | --- | --- |"]
    else:
        count = sum(map(result.on_changed, result.diagnostics))
        lines += [f"{count} problem(s) on the cards changed since the base ref, listed first.", "",
                  "| Changed | Severity | Location | Code | Message |", "| --- | --- | --- | --- | --- |"]
    out = ["\n".join(lines) + "\n"]
    size = len(out[0].encode())
    diagnostics = ranked(result)
    for i, d in enumerate(diagnostics):
        mark = "" if changed is None else ("yes | " if result.on_changed(d) else " | ")
        row = f"| {mark}{d.severity.value} | {cell(d.location)} | {d.code} {d.rule} | {cell(d.message)} |\n"
        size += len(row.encode())
        if size + SUMMARY_TAIL > budget:
            out.append(f"\n{len(diagnostics) - i} more problem(s) left out: a step's summary holds 1 MiB.\n")
            break
        out.append(row)
    return "".join(out)
