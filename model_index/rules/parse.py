"""MI0xx: the file and its YAML could not be read as model-index metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from .. import shape
from ..diagnostics import Finding
from ..extra_keys import EXTRA_KEY_TYPES, extra_key
from . import declare, walk

if TYPE_CHECKING:
    from ..index import Index

declare("MI000", "unreadable-file", "error", """
    The file cannot be read (it does not exist, is not UTF-8 text, or is binary), or is not read.

    A card may come from a stranger's pull request, so a file is not read when it is a link whose
    real path leaves the folder being checked (see the command line guide), a special file (a
    FIFO, a device), or larger than 4 MiB.

    Every file given on the command line is counted, also when it cannot be read, and the rest
    of the batch is still checked.
    """)

declare("MI001", "yaml-syntax", "error", """
    The metadata block is not valid YAML (tabs, bad indentation, unclosed brackets).

    Reported once, at the line and column where the YAML parser gave up. Other blocks of the
    same file are still checked.
    """)

declare("MI002", "wrong-type", "error", """
    A value has the wrong type for its key, e.g. `Image Size: large` or `Training Data: 3`.

    The schema reads numbers written as strings (`'224'`) and percentages (`80.05%`); anything
    that still does not fit is reported at the line of the value, and the value is dropped.
    """)

declare("MI003", "unsafe-tag", "error", """
    A YAML tag such as `!!python/object` or any custom `!tag`.

    Card content is never executed: the value is not constructed, it is read as null.
    """)

declare("MI004", "yaml-too-complex", "error", """
    The YAML expands to too many nodes or nests too deep, as an alias bomb (`&a`/`*a` nested
    lists) does, or one metadata block is longer than 1 MiB of text.

    The expansion is stopped early, and a block that long is not parsed at all, so a hostile card
    costs milliseconds, not memory.
    """)

declare("MI005", "duplicate-key", "error", """
    A key appears twice in one mapping; the later value silently wins in most YAML tools.

    Reported at the second occurrence. Keys are compared as the format does, case-insensitively.
    """)

declare("MI006", "unterminated-comment", "error", """
    An HTML comment that holds model-index keys is opened with `<!--` but never closed.

    Markdown renderers hide the rest of the page, and metadata tools skip the block.
    """)

declare("MI007", "no-metadata", "warning", """
    A YAML or JSON file given explicitly (or imported) holds no model-index metadata.
    """)



declare("MI008", "unknown-key", "warning", """
    A key the schema does not know, e.g. `Trainig Data`; the message suggests the closest known key.

    Keys are matched as the format does: case, spaces, `_` and `-` do not matter (`in_collection`
    is `In Collection`). The value is kept, so nothing is lost, but tools that read the schema
    ignore it. Reported at the key, in models, collections, metadata, results, papers, `Code`
    mappings and at the top level of a block.

    Keys a zoo adds on purpose are declared with their type in `extra-keys` of the configuration
    (e.g. `"Converted From" = "mapping"`); they are not reported, and a value of another type than
    the declared one is a wrong-type error (MI002) at the value.

    Example: `Trainig Data: [ImageNet]` inside `Metadata` (did you mean `Training Data`?).
    """)

declare("MI009", "unused-suppression", "warning", """
    A `# model-index: ignore[...]` comment that silences nothing, or a rule selector in it that
    silences nothing (as ruff's RUF100 reports unused `noqa`).

    A selector counts as unused only when every rule it names ran in this run: a comment for a
    cross-check rule is not reported by a run without the cross-check, nor one for a rule that the
    configuration turns off. A selector that names no rule is always reported. The fix removes
    the comment, or the unused selectors from it.

    Example: `Parameters: 25557032  # model-index: ignore[MI302]` when the parameters agree.
    """, fixable=True)


def unknown_keys(index: Index, extra_keys: dict[str, str]) -> Iterator[Finding]:
    """MI008 for each key that neither the schema nor `extra_keys` (declaration → type, see
    `extra_keys.extra_key`) knows; MI002 for a declared key whose value is not of its declared type."""
    declared = {(scope, shape.comparable_key(key)): kind
                for (scope, key), kind in ((extra_key(d), kind) for d, kind in extra_keys.items())}
    top_level = shape.aliases("ModelIndex")
    for block in index.blocks:
        data = block.tree.data if block.tree else None
        if isinstance(data, dict) and "model-index" not in data:  # Hugging Face front matter has more
            for key in data:
                if key in top_level:
                    continue
                kind = declared.get((None, shape.comparable_key(key)))
                if kind is None:
                    yield Finding("MI008", f"unknown key '{key}' at the top level", file=block.path,
                                  span=block.tree.key_spans.get((key,)), actual=key,
                                  suggestion=walk.closest(key, top_level))
                elif not _has_type(data[key], kind):
                    yield Finding("MI002", _type_message(key, kind, data[key]), file=block.path,
                                  span=block.tree.span((key,)), actual=data[key])
    for entity in index.entities:
        for at, node, mapping in walk.mappings(entity):
            for key, value in mapping.items():
                if shape.knows(node, key):
                    continue
                written = entity.tree.written.get(entity.base + at + (key,), key)
                comparable = shape.comparable_key(key)
                kind = declared.get((_scope(entity, at), comparable)) or declared.get((None, comparable))
                if kind is None:
                    yield Finding("MI008", f"unknown key '{written}'", entity=entity, at=at + (key,),
                                  actual=written, suggestion=walk.closest(written, shape.aliases(node)), on_key=True)
                elif not _has_type(value, kind):
                    yield Finding("MI002", _type_message(written, kind, value), entity=entity, at=at + (key,),
                                  actual=value)


def _scope(entity, at: tuple) -> str:
    """The extra-keys scope of a mapping of `entity` at `at`: its nearest key, else the entity's list."""
    return next((step for step in reversed(at) if isinstance(step, str)),
                "Models" if entity.kind == "model" else "Collections")


def _has_type(value: Any, kind: str) -> bool:
    """Whether a declared key's value is of its type; an empty value is empty-value's (MI205)."""
    return value is None or EXTRA_KEY_TYPES[kind].accepts(value)


def _type_message(key: str, kind: str, value: Any) -> str:
    shown = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
    return f"{key}: declared in extra-keys as {kind}, but the value is {shown}"
