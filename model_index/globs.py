"""`Import:` globs, expanded inside the importing file's folder with bounded work.

A glob comes from a card, so it is treated as hostile. `confine` decides from the text alone,
before anything is read from disk, whether it could leave the folder (absolute, or `..` leading
out). `expand` then walks the folder itself: it never follows a link to a directory (a link loop
cannot make it go round), visits every directory at most once whatever the glob (`**/*/**/*/…`
cannot multiply the work), and stops after a budget of directory entries shared by the whole run
(an entry compared with several parts of a glob at once costs that many). A segment is matched
without backtracking (`match_name`).

The glob language is Python's `glob` with `recursive=True`: `*`, `?` and `[...]` within one name,
`**` as a whole segment for any number of folders, and names starting with `.` matched only by a
segment that starts with `.` too.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache

MAX_IMPORT_ENTRIES = 100_000  # directory entries the Import globs of one run may compare with a part of theirs
MAX_PATTERN_CHARS = 256  # real globs are short (`configs/*/metafile.yml`)
_MAGIC = frozenset("*?[")


@dataclass
class Budget:
    """How many more directory entries the run's globs may look at."""

    remaining: int = field(default_factory=lambda: MAX_IMPORT_ENTRIES)

    def spend(self, cost: int = 1) -> bool:
        """Take `cost` (an entry compared with that many parts of a glob); False when it is gone."""
        if self.remaining < cost:
            self.remaining = 0
            return False
        self.remaining -= cost
        return True


def confine(pattern: str, folder: str) -> str | None:
    """`pattern` as a relative glob without `.` or `..` segments, or None when it is absolute or its
    `..` lead out of `folder` (a real path). Decided on the text alone: nothing is read."""
    if os.path.isabs(pattern) or pattern.startswith(("/", "\\")) or os.path.splitdrive(pattern)[0]:
        return None
    joined = os.path.normpath(os.path.join(folder, *_parts(pattern)))
    relative = os.path.relpath(joined, folder)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None
    return "" if relative == os.curdir else relative


def expand(base: str, pattern: str, budget: Budget) -> tuple[list[str], bool]:
    """Paths below `base` (joined to it) of the files and file links that `pattern` (as `confine`
    gives it) matches, and whether the walk was cut short: the budget ran out (each entry costs
    the number of the glob's parts it is compared with), or the glob is longer than
    MAX_PATTERN_CHARS and is not expanded at all."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return [], True
    parts = _parts(pattern)
    if not parts:
        return [], False
    found: list[str] = []
    stack = [(base, _closure(parts, {0}))]
    while stack:
        folder, states = stack.pop()
        entries = _entries(folder, parts, states, budget)
        if entries is None:
            return sorted(found), True
        for name, path, is_dir in entries:
            following, matched = _step(parts, states, name, is_dir)
            if matched and os.path.isfile(path):
                found.append(path)
            if following and is_dir:
                stack.append((path, _closure(parts, following)))
    return sorted(found), False


def _parts(pattern: str) -> list[str]:
    return [part for part in pattern.replace("\\", "/").split("/") if part]


def _closure(parts: list[str], states: set[int]) -> frozenset[int]:
    """`states` with the state after each `**` added (a `**` may match no folder at all)."""
    closed = set(states)
    for i in sorted(states):
        while i < len(parts) and parts[i] == "**":
            i += 1
            closed.add(i)
    return frozenset(closed)


def _entries(folder: str, parts: list[str], states: frozenset[int], budget: Budget):
    """(name, path, is a directory and not a link) of what the states may match in `folder`:
    the folder's listing when a state is a wildcard, else just the literal names that exist.
    None when the budget runs out."""
    wanted = {parts[i] for i in states if i < len(parts)}
    cost = max(len(wanted), 1)
    out = []
    if any(part == "**" or _MAGIC.intersection(part) for part in wanted):
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if not budget.spend(cost):
                        return None
                    out.append((entry.name, entry.path, entry.is_dir(follow_symlinks=False)))
        except OSError:  # unreadable, or gone since its parent was listed
            return []
        return sorted(out)
    for name in sorted(wanted):
        if not budget.spend():
            return None
        path = os.path.join(folder, name)
        try:
            out.append((name, path, stat.S_ISDIR(os.lstat(path).st_mode)))
        except OSError:
            continue
    return out


def _step(parts: list[str], states: frozenset[int], name: str, is_dir: bool) -> tuple[set[int], bool]:
    """The states after matching one entry named `name`, and whether it completes the glob."""
    following: set[int] = set()
    matched = False
    for i in states:
        if i >= len(parts):
            continue
        part = parts[i]
        if part == "**":
            if name.startswith("."):
                continue
            if is_dir:
                following.add(i)
            matched |= i == len(parts) - 1
        elif match_name(part, name):
            if i == len(parts) - 1:
                matched = True
            elif is_dir:
                following.add(i + 1)
    return following, matched


def match_name(pattern: str, name: str) -> bool:
    """Whether one file name matches one glob segment (fnmatch's language, case-sensitive).

    The segment is cut at its stars into pieces of fixed length; each piece is found once, the
    leftmost place after the one before (the first at the start, the last at the end), so no star
    is ever backtracked to and a name costs at most len(name) × len(pattern) steps, in `re`."""
    if name.startswith(".") and not pattern.startswith("."):
        return False
    pieces = _pieces(pattern)
    if len(pieces) == 1:
        return pieces[0][0].fullmatch(name) is not None
    (first, first_length), *middle, (last, last_length) = pieces
    if not first.match(name):
        return False
    position = first_length
    for piece, _ in middle:
        found = piece.search(name, position)
        if found is None:
            return False
        position = found.end()
    end = len(name) - last_length
    return end >= position and last.fullmatch(name, end) is not None


@lru_cache(maxsize=256)
def _pieces(pattern: str) -> tuple[tuple[re.Pattern, int], ...]:
    """The pieces of a segment between its stars: (regular expression of fixed length, length)."""
    pieces, items, i = [], [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            pieces.append(items)
            items = []
        elif char == "?":
            items.append(".")
        elif char == "[" and (bracket := _bracket(pattern, i)) is not None:
            item, i = bracket
            items.append(item)
            continue
        else:
            items.append(re.escape(char))
        i += 1
    pieces.append(items)
    return tuple((re.compile("".join(items), re.DOTALL), len(items)) for items in pieces)


def _bracket(pattern: str, start: int) -> tuple[str, int] | None:
    """The `[...]` set starting at `start` as a regular expression for one character, and the index
    after it; None when it is not closed (then `[` is a plain character, as in fnmatch)."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] == "!"
    i += negated
    first = i
    while i < len(pattern) and (pattern[i] != "]" or i == first):
        i += 1
    if i >= len(pattern):
        return None
    body, members, j = pattern[first:i], [], 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-":
            if body[j] <= body[j + 2]:  # an empty range matches nothing
                members.append(f"{re.escape(body[j])}-{re.escape(body[j + 2])}")
            j += 3
        else:
            members.append(re.escape(body[j]))
            j += 1
    if not members:
        return ("." if negated else "(?!)"), i + 1
    return f"[{'^' if negated else ''}{''.join(members)}]", i + 1
