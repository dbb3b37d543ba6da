"""The Markdown extensions the rendered pages are written for, and which of them a site lacks.

The mkdocs plugin adds the missing ones to the site's configuration; a site built from the
pages of `model-index render` lists them itself (see the MkDocs guide).
"""

from __future__ import annotations

from typing import Any, Iterable

# Name → the settings the pages need, with what uses it.
REQUIRED: dict[str, dict[str, Any]] = {
    "tables": {},  # the models, results, overview and rules tables
    "admonition": {},  # the notes on a card page: its findings, a template that failed
    "md_in_html": {},  # the <div class="mi-table" markdown> around each generated table
    "pymdownx.superfences": {},  # the code blocks inside the snippet tabs
    "pymdownx.tabbed": {"alternate_style": True},  # the snippet tabs: the style Material styles
}


def canonical(name: str) -> str:
    """An extension's name as this module writes it: `markdown.extensions.tables` and
    `tables:TableExtension` are `tables`."""
    name = name.split(":", 1)[0]
    return name.removeprefix("markdown.extensions.")


def _bundles() -> dict[str, list[str]]:
    """The extensions that load others (Python-Markdown's and PyMdown's `extra`), read from the
    extensions themselves."""
    from markdown.extensions import extra
    from pymdownx import extra as pymdownx_extra

    return {"extra": extra.extensions, "pymdownx.extra": pymdownx_extra.extra_extensions}


def loaded(configured: Iterable[str]) -> set[str]:
    """The extensions that `configured` (names as a site lists them) loads, by canonical name."""
    bundles = _bundles()
    names = set()
    for name in map(canonical, configured):
        names.add(name)
        names.update(map(canonical, bundles.get(name, ())))
    return names


def missing(configured: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The required extensions that `configured` does not load, with the settings they need."""
    present = loaded(configured)
    return {name: settings for name, settings in REQUIRED.items() if name not in present}


def misconfigured(configured: Iterable[str], settings: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The required extensions that `configured` loads with other values for the settings the
    pages need (`settings`: the site's settings by extension name as it lists it); for each, the
    values needed."""
    wrong = {}
    for name in configured:
        needed = REQUIRED.get(canonical(name), {})
        given = settings.get(name) or {}
        if any(given.get(key) != value for key, value in needed.items()):
            wrong[canonical(name)] = needed
    return wrong
