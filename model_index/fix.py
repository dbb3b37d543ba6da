"""Apply the fixes diagnostics offer: text edits by span, written back only to unchanged files.

A fix replaces the text of a YAML value node (its span) with YAML source text. Only fixes whose
applicability allows it are taken: safe ones, and unsafe ones when the user asks for them; a
display-only fix never is. Edits of one file are applied from its end backwards so that earlier
offsets hold; an edit overlapping one already taken is skipped and waits for the next pass
(`Passes`, in memory: nothing is written until the last pass). Files are rewritten with their own
newlines and BOM, and never when they changed on disk since the linter read them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .diagnostics import Diagnostic, Fix

_NEWLINE = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


@dataclass
class Plan:
    """What fixing one file does: the edits taken, and the file's text before and after."""

    path: str
    before: str
    after: str
    applied: int
    skipped: int = 0


@dataclass
class Outcome:
    """What `apply_fixes` did across files."""

    applied: int = 0
    changed_files: list[str] = field(default_factory=list)
    stale_files: list[str] = field(default_factory=list)


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
        after = text
        for start, end, replacement in reversed(edits):
            after = after[:start] + replacement + after[end:]
        if edits:
            plans.append(Plan(path, text, after, len(edits), skipped))
    return plans


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
    is marked so)."""
    lines = (line for p in plans for line in difflib.unified_diff(
        _lines(p.before), _lines(p.after), f"a/{p.path}", f"b/{p.path}"))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _lines(text: str) -> list[str]:
    """`text` split after each '\\n' only (the linter's texts use '\\n'; `splitlines` splits on more)."""
    *lines, last = text.split("\n")
    return [line + "\n" for line in lines] + ([last] if last else [])


def apply_fixes(diagnostics: Iterable[Diagnostic], texts: dict[str, str], unsafe_fixes: bool = False) -> Outcome:
    """Write every file's fixes (one pass); a file whose content changed since it was read is left alone."""
    return write_plans(plan_fixes(diagnostics, texts, unsafe_fixes))


def write_plans(plans: Iterable[Plan]) -> Outcome:
    """Write each plan's file; a file whose content changed since it was read is left alone."""
    outcome = Outcome()
    for plan in plans:
        if write_plan(plan):
            outcome.applied += plan.applied
            outcome.changed_files.append(plan.path)
        else:
            outcome.stale_files.append(plan.path)
    return outcome


def write_plan(plan: Plan) -> bool:
    """Rewrite the file of `plan`, keeping its newlines and BOM; False when it is not as it was read."""
    path = Path(plan.path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    if _NEWLINE.sub("\n", body) != plan.before:
        return False
    path.write_bytes(((BOM if bom else "") + _with_newlines(body, plan.after)).encode("utf-8"))
    return True


def _with_newlines(original: str, fixed: str) -> str:
    """`fixed` (written with '\\n') with each line ending as the same line of `original` did.

    Fixes never add or remove lines within a file, so lines correspond one to one; for the rare
    fix that does, the file's most common newline is used."""
    ends = [m.group() for m in _NEWLINE.finditer(original)]
    lines = fixed.split("\n")
    if len(lines) - 1 != len(ends):
        common = max(set(ends), key=ends.count) if ends else "\n"
        return common.join(lines)
    return "".join(line + end for line, end in zip(lines, ends + [""]))
