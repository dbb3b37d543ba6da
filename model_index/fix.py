"""Apply the fixes diagnostics offer: text edits by span, written back only to unchanged files.

A fix replaces the text of a YAML value node (its span) with YAML source text. Only fixes whose
applicability allows it are taken: safe ones, and unsafe ones when the user asks for them; a
display-only fix never is. An edit overlapping one already taken is skipped and waits for the
next pass (`Passes`, in memory: nothing is written until the last pass). A file is rewritten only
where the passes changed it, so every other line keeps its own newline (CRLF, LF, even mixed) and
the BOM stays; never when it changed on disk since the linter read it, nor through a symbolic link;
and atomically (`files.replace`), so a failed write leaves it intact.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from . import files
from .diagnostics import Diagnostic, Fix
from .escape.terminal import printable
from .extract import split_lines

_NEWLINE = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


@dataclass
class Plan:
    """What fixing one file does: how many edits, and the file's text before and after."""

    path: str
    before: str
    after: str
    applied: int
    skipped: int = 0


@dataclass
class Outcome:
    """What writing the plans did across files."""

    applied: int = 0
    changed_files: list[str] = field(default_factory=list)
    stale_files: list[str] = field(default_factory=list)
    failed_files: dict[str, str] = field(default_factory=dict)  # path → why it could not be written


def plan_fixes(diagnostics: Iterable[Diagnostic], texts: dict[str, str], unsafe_fixes: bool = False) -> list[Plan]:
    """Edit each file's text (as the linter read it) with the fixes of its diagnostics that apply
    (safe ones; unsafe ones too when `unsafe_fixes`)."""
    by_path: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.fix.applicability.applies(unsafe_fixes) and d.path in texts:
            by_path.setdefault(d.path, []).append(d.fix)
    plans = []
    for path, fixes in sorted(by_path.items()):
        text = texts[path]
        edits, skipped = _edits(text, fixes)
        if edits:
            plans.append(Plan(path, text, _apply(text, edits), len(edits), skipped))
    return plans


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with sorted, disjoint edits applied, in one pass."""
    pieces, done = [], 0
    for start, end, replacement in edits:
        pieces += [text[done:start], replacement]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _edits(text: str, fixes: list[Fix]) -> tuple[list[tuple[int, int, str]], int]:
    """(start, end, replacement) offsets in `text`, sorted, without overlaps or duplicates."""
    starts = line_starts(text)
    wanted = sorted({(offset(starts, text, f.span.line, f.span.column),
                      offset(starts, text, f.span.end_line, f.span.end_column), f.replacement) for f in fixes})
    edits: list[tuple[int, int, str]] = []
    skipped = 0
    for start, end, replacement in wanted:
        if start < 0 or end < start or edits and start < edits[-1][1]:
            skipped += 1
            continue
        edits.append((start, end, replacement))
    return edits, skipped


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line of `text` (newlines read as '\\n')."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def offset(starts: list[int], text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column (at most one past the line's end), or -1 outside `text`."""
    if not 1 <= line <= len(starts) or column < 1:
        return -1
    line_end = starts[line] - 1 if line < len(starts) else len(text)
    position = starts[line - 1] + column - 1
    return position if position <= line_end else -1


class Passes:
    """Fixes applied pass after pass to texts in memory, the files untouched.

    The caller validates the current texts again after each pass that changed something (fixes
    overlapping one already taken wait for the next pass, as in ruff); `plans` then says what the
    passes did to each file as a whole, which `--fix` writes once and `--diff` shows."""

    def __init__(self, texts: dict[str, str]):
        self.original = dict(texts)
        self.current = dict(texts)
        self.applied: Counter[str] = Counter()

    def apply(self, diagnostics: Iterable[Diagnostic], unsafe_fixes: bool = False) -> bool:
        """One pass over the current texts; whether it changed any."""
        plans = plan_fixes(diagnostics, self.current, unsafe_fixes)
        for plan in plans:
            self.current[plan.path] = plan.after
            self.applied[plan.path] += plan.applied
        return bool(plans)

    def plans(self) -> list[Plan]:
        """Each changed file: its text as read and as the last pass left it."""
        return [Plan(path, self.original[path], self.current[path], self.applied[path])
                for path in sorted(self.applied) if self.current[path] != self.original[path]]


def diff(plans: list[Plan]) -> str:
    """A unified diff of every planned change, as `patch` applies it (a last line without a newline
    is marked so), each line made inert on a terminal (`printable`)."""
    lines = (line for p in plans for line in difflib.unified_diff(
        split_lines(p.before), split_lines(p.after), f"a/{p.path}", f"b/{p.path}"))
    return "".join(printable(line.removesuffix("\n")) + ("\n" if line.endswith("\n") else
                                                         "\n\\ No newline at end of file\n") for line in lines)


def apply_fixes(diagnostics: Iterable[Diagnostic], texts: dict[str, str], unsafe_fixes: bool = False) -> Outcome:
    """Write every file's fixes (one pass)."""
    return write_plans(plan_fixes(diagnostics, texts, unsafe_fixes))


def write_plans(plans: Iterable[Plan]) -> Outcome:
    """Write each plan's file. A file whose content changed since it was read is left alone, and one
    that cannot be written (a link, read-only, a full disk) is left intact and named."""
    outcome = Outcome()
    for plan in plans:
        try:
            written = write_plan(plan)
        except (files.Refused, OSError) as error:
            outcome.failed_files[plan.path] = str(error) if isinstance(error, files.Refused) else \
                f"not written: {error.strerror or error}"
            continue
        if written:
            outcome.applied += plan.applied
            outcome.changed_files.append(plan.path)
        else:
            outcome.stale_files.append(plan.path)
    return outcome


def write_plan(plan: Plan) -> bool:
    """Rewrite the file of `plan`, keeping every byte the fixes did not change; False when the file
    is not as it was read. Raises files.Refused (a link) or OSError (not written; the file is intact)."""
    try:
        raw = files.read_bytes(plan.path).decode("utf-8")
    except (files.Refused, OSError, UnicodeDecodeError):
        return False
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    if _NEWLINE.sub("\n", body) != plan.before:
        return False
    files.replace(plan.path, ((BOM if bom else "") + _on_original(body, plan.before, plan.after)).encode("utf-8"))
    return True


def _on_original(original: str, before: str, after: str) -> str:
    """`after` written over `original`, the file's own text, whose newlines may be CRLF or CR, mixed
    even; `before` is `original` with every newline a line feed (as the linter read it).

    Lines the fixes left alone are copied from `original`, newline included. The changed lines of
    a hunk take the newlines of the original lines they replace, counted from the hunk's end (the
    first original line's for lines a hunk gained), so a value continued over two lines and joined
    ends with the newline that ended it, and no other line is touched."""
    raw_lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", original)
    old, new = split_lines(before), split_lines(after)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(raw_lines[i1:i2])
            continue
        ends = [_NEWLINE.search(line) for line in raw_lines[i1:i2]] or \
               [_NEWLINE.search(raw_lines[i1 - 1]) if i1 else None]
        added = new[j1:j2]
        for k, line in enumerate(added):
            end = ends[max(len(ends) - len(added) + k, 0)]
            out.append(line[:-1] + (end.group() if end else "\n") if line.endswith("\n") else line)
    return "".join(out)
