"""Which files changed since a git ref: the scope of `validate --changed-since REF`.

A file has changed when it differs between the merge base of REF and HEAD and the working tree
(committed on the branch, staged or not), or when it is untracked and not ignored. That is what a
pull request changes, plus what is being edited. Files are returned as real paths, so a card
matches however it was named on the command line (relative, absolute, through a symlink).
git runs in the working directory's repository; nothing of a card reaches its command line.
"""

from __future__ import annotations

import os
import subprocess


class ChangesError(Exception):
    """The changed files cannot be known: git is missing, or the ref or its history is."""


def changed_files(ref: str, cwd: str | None = None) -> frozenset[str]:
    """Real paths of the files changed since `ref` (a branch, tag or commit) in the repository of `cwd`."""
    if not ref or ref.startswith("-"):  # never let a ref be read as an option
        raise ChangesError(f"unknown git ref {ref!r}")
    top = os.fsdecode(_git(["rev-parse", "--show-toplevel"], cwd, "not inside a git repository")).strip()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top,
                  f"unknown git ref {ref!r} (not fetched? in CI, check out with fetch-depth: 0)")
    base = _git(["merge-base", os.fsdecode(commit).strip(), "HEAD"], top,
                f"{ref!r} and HEAD have no common history here; in a shallow clone, fetch more of it"
                " (actions/checkout with fetch-depth: 0)")
    names = _git(["diff", "--name-only", "--no-renames", "-z", os.fsdecode(base).strip(), "--"], top, "git diff failed")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top, "git ls-files failed")
    return frozenset(os.path.realpath(os.path.join(top, os.fsdecode(name))) for name in names.split(b"\0") if name)


def _git(args: list[str], cwd: str | None, failure: str) -> bytes:
    """git's standard output; a missing git or a failed command becomes a ChangesError."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as error:  # git is not installed (or cannot run)
        raise ChangesError(f"--changed-since needs git: {error.strerror or error}") from error
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesError(failure + (f": {detail[-1]}" if detail else ""))
    return done.stdout
