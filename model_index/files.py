"""Path confinement: every file model-index reads or writes goes through here.

Cards, their imports and their names come from strangers' pull requests, so a path is resolved
once, and refused (`Refused`) when its real path leaves the folder being checked (its `Root`).
Only regular files are read (a FIFO would block, `/dev/zero` never ends), and at most a cap of
bytes. A write never goes through a symbolic link, and replaces a file atomically: a temporary
file in the same folder, synced, renamed over the old one with its mode and owner, so that a full
disk or a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 4 * 1024 * 1024  # a card, an imported file, a results CSV (real cards: < 20 KB)
CHUNK = 1 << 20
_NEWLINE = re.compile(r"\r\n|\r")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """A path that is not read or written, by policy: it leaves the root, is a link to write
    through, is not a regular file, or is too large. The message says which."""


@dataclass(frozen=True)
class Root:
    """A folder whose files may be read: its real path, resolved once."""

    real: str
    shown: str

    @classmethod
    def of(cls, folder: str | Path) -> "Root":
        return cls(os.path.realpath(folder), display(folder))

    def contains(self, real: str) -> bool:
        """Whether the real path `real` is this folder or below it."""
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)

    def resolve(self, path: str | Path) -> str:
        """The real path of `path`; Refused when it leads out of this folder."""
        real = os.path.realpath(path)
        if not self.contains(real):
            raise Refused(f"not read: it links outside {self.shown or '.'}")
        return real


def leaves_working_directory(path: str | Path) -> bool:
    """Whether a path written relative to the working directory, without `..`, leads out of it
    through a link (a path named absolutely or with `..` is meant to go where it goes)."""
    path = Path(path)
    if path.is_absolute() or os.pardir in path.parts:
        return False
    return not Root.of(os.curdir).contains(os.path.realpath(path))


def display(path: str | Path) -> str:
    """A path as reports show it: relative to the working directory where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def read_bytes(path: str | Path, root: Root | None = None, cap: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path` (inside `root`, when given), at most `cap` of them.

    Opened without blocking (a FIFO swapped in after a check cannot hang the read), checked with
    fstat on the open file, and read up to cap + 1 bytes, so that a file growing while it is read
    is still refused."""
    descriptor = _open_regular(path, root, cap)
    try:
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(descriptor, min(cap + 1 - total, CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(descriptor)
    if total > cap:
        raise Refused(f"not read: larger than {_size(cap)}")
    return b"".join(chunks)


def read_text(path: str | Path, root: Root | None = None, cap: int = MAX_FILE_BYTES) -> str:
    """`read_bytes` as UTF-8 text (a BOM is dropped), newlines read as '\\n' as Python's text files
    read them. UnicodeDecodeError propagates."""
    return _NEWLINE.sub("\n", read_bytes(path, root, cap).decode("utf-8-sig"))


def replace(path: str | Path, data: bytes, create: bool = False) -> None:
    """Write `data` as the file at `path`, atomically, never through a link.

    An existing file must be a regular file we may write; it keeps its mode and owner. Without
    `create`, a missing file is an error. Raises Refused or OSError; the old file is then intact."""
    _atomically(path, create, lambda descriptor: _write_all(descriptor, data))


def copy_tree(source: str | Path, out: Root) -> list[str]:
    """Copy every regular file below `source` into the output folder `out`, each as `write_under`
    writes; what is not copied (a link that leads out of `source`, a link to a folder, a special
    file, a failed write) is left out and named in the list returned."""
    root = Root.of(source)
    skipped = []
    for folder, dirs, names in os.walk(source):  # links to folders are listed, never followed
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)):
                skipped.append(f"{display(os.path.join(folder, name))}: not copied: a link to a folder")
        for name in sorted(names):
            path = os.path.join(folder, name)
            relative = os.path.normpath(os.path.relpath(path, source))
            try:
                source_descriptor = _open_regular(path, root, None)
                try:
                    _atomically(_target_under(out, relative), True, functools.partial(_copy_all, source_descriptor))
                finally:
                    os.close(source_descriptor)
            except (Refused, OSError) as error:
                reason = str(error) if isinstance(error, Refused) else error.strerror or str(error)
                skipped.append(f"{display(path)}: {reason.replace('not read', 'not copied')}")
    return skipped


def write_under(out: Root, relative: str, data: bytes) -> Path:
    """Write `data` at `relative` below the output folder `out` (`replace`), creating folders, and
    refusing when a folder on the way or the file itself is a link (it would lead the write elsewhere)."""
    target = _target_under(out, relative)
    replace(target, data, create=True)
    return target


def _target_under(out: Root, relative: str) -> Path:
    """The path of `relative` below `out`, its folders created; Refused when one is a link."""
    target = Path(out.real)
    parts = Path(relative).parts
    if not parts or Path(relative).is_absolute() or ".." in parts:
        raise Refused(f"not written: {relative} is not a path inside the output folder")
    for part in parts[:-1]:
        target = target / part
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            os.mkdir(target)
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise Refused(f"not written: {display(target)} is a link or not a folder")
    return target / parts[-1]


def _open_regular(path: str | Path, root: Root | None, cap: int | None) -> int:
    """A descriptor of the regular file at `path`, resolved inside `root` when given, no larger than
    `cap` when given; Refused otherwise."""
    real = root.resolve(path) if root is not None else os.fspath(path)
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY | (_NOFOLLOW if root is not None else 0)
    descriptor = os.open(real, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not read: not a regular file (a directory, FIFO, socket or device)")
        if cap is not None and info.st_size > cap:
            raise Refused(f"not read: larger than {_size(cap)}")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _atomically(path: str | Path, create: bool, fill) -> None:
    """Replace the file at `path` by a temporary file of its folder that `fill(descriptor)` writes."""
    path = os.fspath(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create:
            raise
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise Refused("not written: it is a symbolic link")
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not written: not a regular file")
        if not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied (the file is read-only)", path)
    folder = os.path.dirname(path) or "."
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY, 0o666)
    try:
        try:
            if info is not None:
                _keep_owner_and_mode(descriptor, info)
            fill(descriptor)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise
    _sync_folder(folder)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _copy_all(source: int, descriptor: int) -> None:
    while chunk := os.read(source, CHUNK):
        _write_all(descriptor, chunk)


def _keep_owner_and_mode(descriptor: int, info: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        current = os.fstat(descriptor)
        if (current.st_uid, current.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.fchown(descriptor, info.st_uid, info.st_gid)
            except PermissionError as error:
                raise PermissionError(error.errno, "cannot keep the file's owner", error.filename) from error
    if os.chmod in os.supports_fd:
        os.chmod(descriptor, stat.S_IMODE(info.st_mode))


def _sync_folder(folder: str) -> None:
    """Make the rename durable (POSIX); a file system that cannot sync a folder is left as it is."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(descriptor)
    os.close(descriptor)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count} bytes"
