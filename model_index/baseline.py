"""The baseline: findings a zoo has accepted for now, so that a run reports only new ones.

A finding is matched by its file, model, field and rule, not by its line, so that edits elsewhere in
a card do not bring it back. The same finding may be there several times (two collections with the
same unknown key): the baseline is a multiset, and a third one is new.

The file is JSON, one finding per line, in a stable order; paths are relative to the baseline's
folder, so the file works from any working directory:

    {"version": 1,
     "findings": [
      {"path": "models/resnet.md", "model": "resnet50", "field": "Metadata.FLOPs", "code": "MI304", "rule": "flops-mismatch"}
     ]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from .config import ConfigError
from .diagnostics import Diagnostic

VERSION = 1
Key = tuple[str, str | None, str | None, str]  # path from the baseline's folder, model, field, code


def key(diagnostic: Diagnostic, folder: Path) -> Key:
    """What a finding is matched by."""
    try:
        path = os.path.relpath(os.path.abspath(diagnostic.path), os.path.abspath(folder))
    except ValueError:  # another drive on Windows
        path = os.path.abspath(diagnostic.path)
    return Path(path).as_posix(), diagnostic.model, diagnostic.field, diagnostic.code


def read(path: str | Path) -> Counter[Key]:
    """The findings of a baseline file (ConfigError when it cannot be read or has another shape)."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"baseline {path}: {getattr(error, 'strerror', None) or error}") from error
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or document.get("version") != VERSION:
        raise ConfigError(f"baseline {path}: not a model-index baseline (version {VERSION} with a list of findings)")
    entries: Counter[Key] = Counter()
    for entry in findings:
        fields = [entry.get(name) if isinstance(entry, dict) else None for name in ("path", "model", "field", "code")]
        if not (isinstance(fields[0], str) and isinstance(fields[3], str)
                and all(f is None or isinstance(f, str) for f in fields[1:3])):
            raise ConfigError(f"baseline {path}: each finding needs a path and a code (strings), "
                              f"and a model and a field (strings or null): {json.dumps(entry)[:200]}")
        entries[tuple(fields)] += 1
    return entries


def split(diagnostics: Iterable[Diagnostic], path: str | Path) -> tuple[list[Diagnostic], int]:
    """The diagnostics that the baseline at `path` does not hold, and how many it held."""
    left = read(path)
    folder = Path(path).parent
    new, known = [], 0
    for diagnostic in diagnostics:
        found = key(diagnostic, folder)
        if left[found] > 0:
            left[found] -= 1
            known += 1
        else:
            new.append(diagnostic)
    return new, known


def write(path: str | Path, diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """Write every diagnostic to the baseline at `path`; returns how many were written, and how many
    findings of the baseline that was there match none of them any more (fixed, and dropped)."""
    path = Path(path)
    folder = path.parent
    diagnostics = list(diagnostics)
    entries = sorted(((key(d, folder), d.rule) for d in diagnostics), key=lambda e: tuple(p or "" for p in e[0]))
    previous = read(path) if path.exists() else Counter()
    fixed = sum((previous - Counter(k for k, _ in entries)).values())
    lines = [json.dumps({"path": p, "model": m, "field": f, "code": c, "rule": rule}, ensure_ascii=False)
             for (p, m, f, c), rule in entries]
    body = ",\n  ".join(lines)
    text = f'{{\n "version": {VERSION},\n "findings": [\n  {body}\n ]\n}}\n' if lines else \
        f'{{\n "version": {VERSION},\n "findings": []\n}}\n'
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write the baseline {path}: {error.strerror or error}") from error
    return len(entries), fixed
