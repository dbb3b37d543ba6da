"""Measured facts on disk, one small JSON file per key, written atomically.

Keys live under a directory named after the installed model-index, torch and timm versions, so
an upgrade of any starts a fresh cache. Nothing cached depends on where they are installed (the
registry snapshot stores source files relative to timm's package), so virtualenvs of the same
versions share it. The default directory follows platform conventions (platformdirs)."""

from __future__ import annotations

import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__, files

FORMAT = 4  # bump when what is cached changes while the version does not
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # the largest entry, timm's registry snapshot, is about 1 MB


def versions() -> dict[str, str]:
    """model-index's version and the installed torch and timm versions (nothing is imported)."""
    return {"model-index": __version__, **{name: metadata.version(name) for name in ("torch", "timm")}}


def default_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("model-index", appauthor=False))


class Cache:
    """Get and put JSON values by key; `enabled=False` makes every get miss and every put a no-op.

    The cache is a convenience, never a reason to fail: an entry that cannot be read is a miss
    (what it holds is checked by its reader, as any input is), and when an entry cannot be written
    (a read-only or full disk), writing stops for the run and `notice` says why, once."""

    def __init__(self, directory: str | Path | None = None, enabled: bool = True):
        self.enabled = enabled
        self.writable = enabled
        self.notice: str | None = None
        tag = "_".join(f"{name}-{version}" for name, version in versions().items())
        self.root = Path(directory) if directory else default_directory()
        self.directory = self.root / f"v{FORMAT}" / _safe(tag)

    def path(self, key: str) -> Path:
        return self.directory / f"{_safe(key)}.json"

    def get(self, key: str) -> Any | None:
        if not self.enabled:
            return None
        try:
            return json.loads(files.read_bytes(self.path(key), files.Root.of(self.directory), MAX_ENTRY_BYTES))
        except (OSError, files.Refused, ValueError, RecursionError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Write atomically (`files.write_under`): a reader sees the old file, the new one, or none,
        never half of one; and never through a link inside the cache folder."""
        if not self.writable:
            return
        data = json.dumps(value, separators=(",", ":")).encode("utf-8")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            files.write_under(files.Root.of(self.root), os.path.relpath(self.path(key), self.root), data)
        except (OSError, files.Refused) as error:
            self.writable = False
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.notice = (f"the measurement cache {self.root} cannot be written ({reason}); "
                           "nothing is cached in this run")


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", key)
