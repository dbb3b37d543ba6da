"""MI0xx: the file and its YAML could not be read as model-index metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Finding
from . import declare, rule, walk

if TYPE_CHECKING:
    from ..index import Index

declare("MI000", "unreadable-file", "error", """
    The file cannot be read: it does not exist, is not UTF-8 text, or is binary.

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
    lists) does.

    The expansion is stopped early, so a hostile card costs milliseconds, not memory.
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



@rule("MI008", "unknown-key", "warning")
def unknown_key(index: Index) -> Iterator[Finding]:
    """A key the schema does not know, e.g. `Trainig Data`; the message suggests the closest known key.

    Keys are matched as the format does: case, spaces, `_` and `-` do not matter (`in_collection`
    is `In Collection`). The value is kept, so nothing is lost, but tools that read the schema
    ignore it. Reported at the key, in models, collections, metadata, results, papers and at the
    top level of a block.

    Example: `Trainig Data: [ImageNet]` inside `Metadata` (did you mean `Training Data`?).
    """
    from .. import schema

    top_level = schema.aliases(schema.ModelIndex)
    for block in index.blocks:
        data = block.tree.data if block.tree else None
        if isinstance(data, dict) and "model-index" not in data:  # Hugging Face front matter has more
            for key in data:
                if key not in top_level:
                    yield Finding("MI008", f"unknown key '{key}' at the top level", file=block.path,
                                  span=block.tree.key_spans.get((key,)), actual=key,
                                  suggestion=walk.closest(key, top_level))
    for entity in index.entities:
        for at, node, mapping in walk.mappings(entity):
            known = schema.aliases(node)
            for key in mapping:
                if key not in known:
                    written = entity.tree.written.get(entity.base + at + (key,), key)
                    yield Finding("MI008", f"unknown key '{written}'", entity=entity, at=at + (key,),
                                  actual=written, suggestion=walk.closest(written, known), on_key=True)
