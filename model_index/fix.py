"""Apply the fixes diagnostics offer: text edits by span, written back only to unchanged files.

A fix replaces the text of a YAML value node (its span) with YAML source text. An edit overlapping
one already taken is skipped (a second run picks it up). Edits are applied to the file's own text,
so every character outside them, newlines and BOM included, stays as it was. A file is never
rewritten when it changed on disk since the linter read it, nor through a symbolic link; it is
replaced atomically (`files.replace`), so a failed write leaves it intact.
"""

from __future__ import annotations

import bisect
import difflib
import re
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
    """What fixing one file does: the edits taken, and the file's text before and after."""

    path: str
    before: str
    after: str
    applied: int
    skipped: int = 0
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text) in `before`


@dataclass
class Outcome:
    """What `apply_fixes` did across files."""

    applied: int = 0
    changed_files: list[str] = field(default_factory=list)
    stale_files: list[str] = field(default_factory=list)
    failed_files: dict[str, str] = field(default_factory=dict)  # path → why it could not be written


def plan_fixes(diagnostics: Iterable[Diagnostic], texts: dict[str, str]) -> list[Plan]:
    """Edit each file's text (as the linter read it) with the fixes of its diagnostics."""
    by_path: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.path in texts:
            by_path.setdefault(d.path, []).append(d.fix)
    plans = []
    for path, fixes in sorted(by_path.items()):
        text = texts[path]
        edits, skipped = _edits(text, fixes)
        if edits:
            plans.append(Plan(path, text, _apply(text, edits), len(edits), skipped, edits))
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


def diff(plans: list[Plan]) -> str:
    """A unified diff of every planned change, each line made inert on a terminal (`printable`)."""
    lines = (line for p in plans for line in difflib.unified_diff(
        split_lines(p.before), split_lines(p.after), f"a/{p.path}", f"b/{p.path}"))
    return "".join(printable(line.removesuffix("\n")) + "\n" for line in lines)


def apply_fixes(diagnostics: Iterable[Diagnostic], texts: dict[str, str]) -> Outcome:
    """Write every file's fixes; a file whose content changed since it was read is left alone, and
    one that cannot be written (a link, read-only, a full disk) is left intact and named."""
    outcome = Outcome()
    for plan in plan_fixes(diagnostics, texts):
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
    """Rewrite the file of `plan` with its edits, keeping every other byte; False when the file is
    not as it was read. Raises files.Refused (a link) or OSError (not written; the file is intact)."""
    try:
        raw = files.read_bytes(plan.path).decode("utf-8")
    except (files.Refused, OSError, UnicodeDecodeError):
        return False
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    if _NEWLINE.sub("\n", body) != plan.before:
        return False
    files.replace(plan.path, ((BOM if bom else "") + _on_original(body, plan.edits)).encode("utf-8"))
    return True


def _on_original(original: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply edits made on the text as the linter read it (every newline a line feed) to
    `original`, whose newlines may be CRLF or CR, mixed even: offsets move line by line, and a
    newline an edit inserts is the one that ends its line in the original."""
    ends = list(_NEWLINE.finditer(original))
    raw_starts = [0] + [m.end() for m in ends]
    starts, position = [0], 0
    for m in ends:
        position += m.start() - raw_starts[len(starts) - 1] + 1
        starts.append(position)

    def moved(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset) - 1
        return raw_starts[line] + offset - starts[line], line

    edits_on_original = []
    for start, end, replacement in edits:
        raw_start, line = moved(start)
        newline = ends[line].group() if line < len(ends) else "\n"
        edits_on_original.append((raw_start, moved(end)[0], replacement.replace("\n", newline)))
    return _apply(original, edits_on_original)
