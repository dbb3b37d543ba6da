"""`Import:` globs, expanded inside the importing file's folder with bounded work.

A glob comes from a card, so it is treated as hostile. `confine` decides from the text alone,
before anything is read from disk, whether it could leave the folder (absolute, or `..` leading
out). `expand` then walks the folder itself: it never follows a link to a directory (a link loop
cannot make it go round), visits every directory at most once whatever the glob (`**/*/**/*/…`
cannot multiply the work), and stops after a budget of directory entries shared by the whole run.

The glob language is Python's `glob` with `recursive=True`: `*`, `?` and `[...]` within one name,
`**` as a whole segment for any number of folders, and names starting with `.` matched only by a
segment that starts with `.` too.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache

MAX_IMPORT_ENTRIES = 100_000  # directory entries the Import globs of one run may look at
_MAGIC = frozenset("*?[")


@dataclass
class Budget:
    """How many more directory entries the run's globs may look at."""

    remaining: int = field(default_factory=lambda: MAX_IMPORT_ENTRIES)

    def spend(self) -> bool:
        """Take one entry; False when the budget is gone."""
        if self.remaining <= 0:
            return False
        self.remaining -= 1
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
    gives it) matches, and whether the budget ran out before the walk was done."""
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
    out = []
    if any(part == "**" or _MAGIC.intersection(part) for part in wanted):
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if not budget.spend():
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
    """Whether one file name matches one glob segment (fnmatch's language, case-sensitive), in
    at most len(name) × len(pattern) steps: a single star is backtracked to, never a tree of them."""
    if name.startswith(".") and not pattern.startswith("."):
        return False
    tokens = _tokens(pattern)
    t = n = 0
    star_t, star_n = -1, 0
    while n < len(name):
        if t < len(tokens) and tokens[t] != "*" and _matches(tokens[t], name[n]):
            t, n = t + 1, n + 1
        elif t < len(tokens) and tokens[t] == "*":
            star_t, star_n = t, n
            t += 1
        elif star_t >= 0:
            star_n += 1
            t, n = star_t + 1, star_n
        else:
            return False
    return all(token == "*" for token in tokens[t:])


@lru_cache(maxsize=256)
def _tokens(pattern: str) -> tuple:
    """A segment as tokens: "*", "?", a literal character, or (negated, characters, ranges) for [...]."""
    tokens: list = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            if not tokens or tokens[-1] != "*":
                tokens.append("*")
        elif char == "[":
            parsed = _bracket(pattern, i)
            if parsed is None:
                tokens.append(("[",))
            else:
                token, i = parsed
                tokens.append(token)
                continue
        else:
            tokens.append("?" if char == "?" else (char,))
        i += 1
    return tuple(tokens)


def _bracket(pattern: str, start: int):
    """A `[...]` set starting at `start`: (token, index after it), or None when it is not closed."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] == "!"
    i += negated
    first = i
    while i < len(pattern) and (pattern[i] != "]" or i == first):
        i += 1
    if i >= len(pattern):
        return None
    body = pattern[first:i]
    singles, ranges = set(), []
    j = 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-":
            ranges.append((body[j], body[j + 2]))
            j += 3
        else:
            singles.add(body[j])
            j += 1
    return (negated, frozenset(singles), tuple(ranges)), i + 1


def _matches(token, char: str) -> bool:
    if token == "?":
        return True
    if len(token) == 1:
        return token[0] == char
    negated, singles, ranges = token
    inside = char in singles or any(low <= char <= high for low, high in ranges)
    return inside != negated
