"""What a template that failed reports: where, in the card and in the template files, and why.

A card's template may fail in any way Python can: a Jinja error, a bound reached (`BoundExceeded`),
a template refused (`TemplateRefused`), or a plain Python error (`1/0`, a string too long to
convert, recursion). Each becomes a `Problem` at the card's line, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Iterator

from jinja2 import TemplateError, TemplateSyntaxError

from ..escape.terminal import printable
from ..index import display_path

CARD = "<template>"  # the file name Jinja gives a template made from a string: the card's own text
MAX_MESSAGE = 300  # characters of an error message kept (a message may quote the card)


@dataclass(frozen=True)
class Problem:
    """A card (or generated page) that could not be rendered as written; the page still builds,
    with a note."""

    path: str
    line: int
    message: str
    kind: str  # the error's class: TemplateSyntaxError, BoundExceeded, TemplateRefused, ZeroDivisionError, ...

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.message}")


@dataclass(frozen=True)
class Failure:
    """Why a render failed and where: `card_line` is the line of the card's own template (None when
    the failure is not in it), `template` the innermost template file and its line, if any."""

    message: str
    kind: str  # the error's class name
    card_line: int | None
    template: tuple[str, int] | None

    def describe(self) -> str:
        where = f" (in {self.template[0]}:{self.template[1]})" if self.template else ""
        return self.message + where


def failure(error: BaseException) -> Failure:
    """Read `error`, raised by a render, into a `Failure`.

    Syntax errors carry their line; runtime errors have it in the traceback frames Jinja rewrites
    to point into the templates (the card's own is named `<template>`)."""
    card_line, template = None, None
    if isinstance(error, TemplateSyntaxError):
        if error.filename in (None, CARD):
            card_line = error.lineno
        else:
            template = (display_path(Path(error.filename)), error.lineno)
    for filename, line in _template_lines(error.__traceback__):
        if filename == CARD:
            card_line, template = line, None
        else:
            template = (display_path(Path(filename)), line)
    message = str(error) if isinstance(error, TemplateError) else f"{type(error).__name__}: {error}"
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…"
    return Failure(message, type(error).__name__, card_line, template)


def _template_lines(traceback: TracebackType | None) -> Iterator[tuple[str, int]]:
    """(file name, line) of each template frame of a traceback Jinja rewrote, outermost first
    (the frame it makes for a syntax error, "<unknown>", is read from the error itself)."""
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if "__jinja_exception__" in traceback.tb_frame.f_globals and filename != "<unknown>":
            yield filename, traceback.tb_lineno
        traceback = traceback.tb_next
