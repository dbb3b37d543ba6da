"""Shared fixtures: run the linter on files written for a test, and reach ../shared when it exists."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from model_index.config import Config
from model_index.diagnostics import Result
from model_index.index import Index
from model_index.lint import Options, validate

SHARED = Path(__file__).parents[1] / ".." / "shared"


def codes_and_lines(result: Result) -> list[tuple[str, int]]:
    """The (code, line) of every diagnostic, in report order."""
    return [(d.code, d.span.line) for d in result.diagnostics]


def static_run(paths, config: Config | None = None) -> tuple[Index, Result]:
    """Validate `paths` without the cross-check."""
    return validate([str(p) for p in paths], config=config, options=Options(cross_check="never"))


def card(yaml_text: str, before: str = "# A card\n\n") -> str:
    """A Markdown card whose metadata block is `yaml_text` (dedented) inside an HTML comment.

    The YAML starts on the line after `<!--`, i.e. on line ``before.count("\\n") + 2``."""
    return f"{before}<!--\n{textwrap.dedent(yaml_text).strip(chr(10))}\n-->\n"


@pytest.fixture
def shared() -> Path:
    """The ../shared directory (real cards and the seed); the test is skipped without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not available")
    return SHARED.resolve()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """write_file(name, text_or_bytes) -> path: a file under tmp_path (parents created)."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def lint_text(write_file) -> Callable[..., list[tuple[str, int]]]:
    """lint_text(name, text, config=None) -> [(code, line)]: write one file and validate it."""

    def lint(name: str, text: str, config: Config | None = None) -> list[tuple[str, int]]:
        return codes_and_lines(static_run([write_file(name, text)], config)[1])

    return lint


@pytest.fixture
def lint_card(lint_text) -> Callable[..., list[tuple[str, int]]]:
    """lint_card(yaml_text, select=None) -> [(code, line)] for a card made with `card()`.

    The YAML's first line is line 4 of the file. `select` limits the rules (e.g. "MI2")."""

    def lint(yaml_text: str, select: str | None = None) -> list[tuple[str, int]]:
        config = Config(select=[select]) if select else None
        return lint_text("card.md", card(yaml_text), config)

    return lint


@pytest.fixture
def make_card() -> Callable[..., str]:
    """make_card(yaml_text, before=...) -> Markdown text: see `card`."""
    return card


@pytest.fixture
def run_static() -> Callable[..., tuple[Index, Result]]:
    """run_static(paths, config=None) -> (index, result), without the cross-check."""
    return static_run


@pytest.fixture
def lines_of() -> Callable[[Result], list[tuple[str, int]]]:
    """lines_of(result) -> [(code, line)] of its diagnostics."""
    return codes_and_lines
