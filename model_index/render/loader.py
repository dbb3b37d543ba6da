"""Templates read from one folder, and only from inside it.

A template folder may arrive in a pull request like a card: a template that is a symbolic link to
`~/.ssh/id_rsa`, or a folder that is one, would publish that file on the site. Each template's real
path is resolved once and must lie inside the folder's real path; the folder itself may be a link
only to a place inside the folder that holds it. A template must be a regular file, no larger than
`MAX_TEMPLATE_BYTES`, in UTF-8. Anything else is refused with `TemplateRefused`, a template error:
the card that needed it gets a note and a problem, never the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path

MAX_TEMPLATE_BYTES = 256 * 1024


class TemplateRefused(TemplateError):
    """A template that exists but may not be read: outside its folder, not a file, or too large."""


class ConfinedLoader(BaseLoader):
    """Templates from `folder` (the project's or the shipped ones), each checked as it is loaded."""

    def __init__(self, folder: Path) -> None:
        self.folder = os.path.abspath(folder)
        self.root = os.path.realpath(self.folder)
        holder = os.path.realpath(os.path.dirname(self.folder))
        self.problem = None if _inside(self.root, holder) else \
            f"the templates folder {self.folder} is a link to {self.root}, outside the folder that holds it"

    def get_source(self, environment: Environment, template: str):
        path = os.path.join(self.folder, *split_template_path(template))  # no `..`, no absolute name
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        if self.problem:
            raise TemplateRefused(f"template {template!r} not read: {self.problem}")
        real = os.path.realpath(path)
        if not _inside(real, self.root):
            raise TemplateRefused(f"template {template!r} not read: it is a link to {real}, outside {self.folder}")
        try:
            info = os.stat(real)
            if not stat.S_ISREG(info.st_mode):
                raise TemplateRefused(f"template {template!r} not read: it is not a regular file")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(f"template {template!r} not read: larger than {MAX_TEMPLATE_BYTES:,} bytes")
            with open(real, "rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as error:
            raise TemplateRefused(f"template {template!r} not read: {error.strerror}") from error
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(f"template {template!r} not read: larger than {MAX_TEMPLATE_BYTES:,} bytes")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TemplateRefused(f"template {template!r} not read: not UTF-8 ({error.reason})") from error
        return source, path, lambda: _unchanged(real, info.st_mtime_ns)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _unchanged(path: str, mtime_ns: int) -> bool:
    try:
        return os.stat(path).st_mtime_ns == mtime_ns
    except OSError:
        return False
