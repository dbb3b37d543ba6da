"""MI1xx: structure and references across cards: collections, names, results, imports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Finding, Place
from ..numbers import as_number
from . import rule, walk

if TYPE_CHECKING:
    from ..index import Entity, ImportRef, Index


@rule("MI101", "unknown-collection", "error")
def unknown_collection(index: Index) -> Iterator[Finding]:
    """A model's `In Collection` names a collection that no checked file defines.

    Collections are looked up across every file of the run (imports included), by exact name.
    The message suggests the closest defined collection.

    Example: `In Collection: Big Transfr` when the collection is `Big Transfer`.
    """
    names = {entity.name.strip() for entity in index.collections if entity.name}
    for model in index.models:
        for at, name in _collection_refs(model):
            if name.strip() and name.strip() not in names:
                yield Finding("MI101", f"collection '{name}' is not defined in any checked file", entity=model,
                              at=at, actual=name, suggestion=walk.closest(name, names))


def _collection_refs(model: Entity) -> Iterator[tuple[tuple, str]]:
    """(key path, name) of every collection a model says it belongs to."""
    value = model.value(("In Collection",))
    if isinstance(value, str):
        yield ("In Collection",), value
    elif isinstance(value, list):
        yield from ((("In Collection", i), item) for i, item in enumerate(value) if isinstance(item, str))


@rule("MI102", "duplicate-name", "error")
def duplicate_name(index: Index) -> Iterator[Finding]:
    """Two models (or two collections) have the same name.

    Names identify models across the whole zoo: pages, links and the cross-check use them.
    Files are taken in the order they were loaded; every repetition is reported at the later
    entry, and the message names the first one (SARIF reports carry it as a related location). With
`--changed-since`, the repetition counts as a problem of a changed card when either entry changed.

    Example: `Name: resnet50` in `resnet.md` and again in `resnet-d.md`.
    """
    order = {path: i for i, path in enumerate(index.files)}
    for entities in (index.models, index.collections):
        first: dict[str, Entity] = {}
        for entity in sorted(entities, key=lambda e: (order.get(e.path, len(order)), e.span().line)):
            name = entity.name.strip() if entity.name else None
            if name is None:
                continue
            if name in first:
                where = first[name]
                span = where.span(("Name",))
                yield Finding("MI102", f"{entity.kind} name '{name}' is already used at {where.path}:{span.line}",
                              entity=entity, at=("Name",),
                              related=(Place(where.path, span, f"the first {entity.kind} named '{name}'"),))
            else:
                first[name] = entity


@rule("MI103", "missing-name", "error")
def missing_name(index: Index) -> Iterator[Finding]:
    """A model or collection without a `Name`, or with an empty one.

    Without a name the entry cannot be referred to, rendered or cross-checked.

    Example: a `- Metadata: ...` entry under `Models` with no `Name:` key.
    """
    for entity in index.entities:
        if walk.is_blank(entity.value(("Name",))):
            at = ("Name",) if "Name" in entity.raw else ()
            yield Finding("MI103", f"{entity.kind} has no name", entity=entity, at=at)


@rule("MI104", "incomplete-result", "error")
def incomplete_result(index: Index) -> Iterator[Finding]:
    """A `Results` entry without `Task`, `Dataset` or `Metrics`, or with no metrics in it.

    A result means nothing without what was measured, on which data, and the numbers.

    Example: `Results: [{Task: Image Classification, Metrics: {Top 1 Accuracy: 80.1%}}]` has no
    `Dataset`.
    """
    for model in index.models:
        for at, result in walk.typed(model, "Result"):
            missing = [key for key in ("Task", "Dataset", "Metrics") if walk.is_blank(result.get(key))]
            if missing:
                yield Finding("MI104", f"result without {', '.join(missing)}", entity=model, at=at,
                              expected=missing)


@rule("MI105", "non-numeric-metric", "error")
def non_numeric_metric(index: Index) -> Iterator[Finding]:
    """A metric value that is not a number.

    Numbers, and percentages written as `80.05%`, are accepted; other text cannot be
    compared, sorted or charted. (A boolean is a wrong type, MI002.)

    Example: `Top 1 Accuracy: about 80`.
    """
    for model in index.models:
        for at, result in walk.typed(model, "Result"):
            metrics = result.get("Metrics")
            for name, value in metrics.items() if isinstance(metrics, dict) else ():
                if isinstance(value, str) and as_number(value) is None and not walk.is_blank(value):
                    yield Finding("MI105", f"metric '{name}' is not a number", entity=model,
                                  at=at + ("Metrics", name), actual=value)


@rule("MI106", "import-no-match", "error")
def import_no_match(index: Index) -> Iterator[Finding]:
    """An `Import` glob that matches no file.

    Globs are resolved relative to the importing file. A glob that matches nothing is usually
    a typo or a moved directory, and its models silently vanish from the index.

    Example: `Import: [docs/model/*.md]` when the cards live in `docs/models/`.
    """
    for ref in index.imports:
        if not ref.matches and not ref.reaches_outside and not ref.truncated:
            yield _import_finding("MI106", f"Import glob '{ref.pattern}' matches no file", ref)


@rule("MI107", "import-outside", "error")
def import_outside(index: Index) -> Iterator[Finding]:
    """An `Import` glob that is absolute or reaches outside the importing file's directory.

    Imports stay inside the tree of the importing file, so that a card cannot pull in files
    from elsewhere on the machine: an absolute glob or one whose `..` leads out is not expanded at
    all, and a matched link to a file outside is not read. Links to folders are never followed.

    Example: `Import: ['../*.md']` or `Import: ['/etc/*.yml']`.
    """
    for ref in index.imports:
        if ref.reaches_outside:
            yield _import_finding("MI107", f"Import glob '{ref.pattern}' reaches outside the importing "
                                           "file's directory; not followed", ref)


@rule("MI108", "import-too-broad", "error")
def import_too_broad(index: Index) -> Iterator[Finding]:
    """An `Import` glob that was not fully expanded, so that a glob cannot hold up the run: it is
    longer than 256 characters, or the run's globs had compared 100,000 directory entries with
    their parts (`**/*.md` over a huge tree).

    What the glob had matched until then is checked; the rest is not. Narrow the glob to the
    folder that holds the cards (`cards/*.md` rather than `**/*.md`).
    """
    for ref in index.imports:
        if ref.truncated:
            yield _import_finding("MI108", f"Import glob '{ref.pattern}' is too long or looks at too many files "
                                           "and folders; not fully expanded", ref)


def _import_finding(code: str, message: str, ref: ImportRef) -> Finding:
    span = ref.block.tree.span(ref.at) if ref.block.tree else None
    return Finding(code, message, file=ref.block.path, span=span, actual=ref.pattern)
