"""Load files into one Index: blocks extracted, imports followed, models and collections validated."""

from __future__ import annotations

import functools
import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import globs, shape, typecheck
from .diagnostics import Finding, Span
from .extract import (DATA_SUFFIXES, MARKDOWN_SUFFIXES, Block, blocks_in_data_file, blocks_in_markdown,
                      holds_hub_models, looks_like_model_index)
from .files import Refused, Root, leaves_working_directory, read_text
from .files import display as display_path  # how reports name a file (render uses it too)
from .yamltree import Tree

if TYPE_CHECKING:
    from . import schema

SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", "site", ".tox"}
# What the folder walk reads: Markdown cards (.mdx, Hugging Face's docs format, included) and data files.
WALKED_SUFFIXES = MARKDOWN_SUFFIXES | {".mdx"} | DATA_SUFFIXES

Excluded = Callable[[Path, bool], bool]  # (path, is a folder) → whether the folder walk skips it


def skipped_by_default(path: Path, is_dir: bool) -> bool:
    """Hidden folders, virtual environments, built sites and caches."""
    return is_dir and (path.name in SKIPPED_DIRS or path.name.startswith("."))


NODES = {"model": "Model", "collection": "Collection"}  # the schema node of each kind of entity


@dataclass(eq=False)
class Entity:
    """A model or a collection: its data as the card writes it, and where its YAML sits."""

    kind: str  # "model" or "collection"
    path: str
    tree: Tree
    base: tuple  # key path of the entity's mapping in `tree`
    raw: Any
    fields: dict[tuple, str] | None = None  # key paths as written, where `raw` was reshaped (HF)
    layout: Layout | None = None

    @functools.cached_property
    def data(self) -> schema.Model | schema.Collection | None:
        """The validated schema node (pydantic), invalid values dropped. Loading validates only what
        the type check cannot vouch for (`schema_errors`); the others are validated on first read."""
        from . import schema

        return schema.validate(getattr(schema, NODES[self.kind]), self.raw)[0]

    def schema_errors(self) -> list[tuple[tuple, str]]:
        """Validate the raw data now: `data` is the node, and the errors are returned as
        (key path below the entity, pydantic's message)."""
        from . import schema

        self.data, errors = schema.validate(getattr(schema, NODES[self.kind]), self.raw)
        return errors

    @functools.cached_property
    def mappings(self) -> list[tuple[tuple, str, dict]]:
        """Every mapping of the raw data that the schema types: (key path, node name, mapping)."""
        return shape.mappings(NODES[self.kind], self.raw)

    @property
    def name(self) -> str | None:
        name = self.raw.get("Name") if isinstance(self.raw, dict) else None
        return name if isinstance(name, str) and name.strip() else None

    def span(self, at: tuple = ()) -> Span:
        """Where the value at `at` is reported: the value itself, or its key when the value is not
        on the key's line (a block list or mapping below it, or an alias to a node elsewhere)."""
        path = self.base + tuple(at)
        span = self.tree.span(path) or Span.point(1)
        key = self.tree.key_spans.get(path)
        return key if key is not None and key.line != span.line else span

    def editable_span(self, at: tuple, shared: bool = False) -> Span | None:
        """The text of the value at `at` (after its anchor or tag, which a rewrite keeps), when
        rewriting it changes that value: it exists, sits on its key's line (an alias's text is its
        anchor's, elsewhere), and is not shared with other keys through an alias, unless `shared`
        (a fix of how a value is written is right for every key that shares it)."""
        path = self.base + tuple(at)
        span, key = self.tree.spans.get(path), self.tree.key_spans.get(path)
        if span is None or self.tree.styles.get(path) in ("|", ">"):  # a block scalar spans lines
            return None
        if key is not None and key.line != span.line:
            return None
        if self.layout is None:
            return span
        if span in self.layout.shared and not shared:
            return None
        return self.layout.bare.get(span, span)

    def key_span(self, at: tuple) -> Span:
        """Where the key of the value at `at` is written (the value's span when it has no key)."""
        return self.tree.key_spans.get(self.base + tuple(at)) or self.span(at)

    def field_name(self, at: tuple) -> str | None:
        """The key path of `at` as the card writes it, joined with dots."""
        if self.fields is not None:
            known = max((p for p in self.fields if tuple(at)[:len(p)] == p), key=len, default=())
            return ".".join([self.fields.get(known, ""), *map(str, tuple(at)[len(known):])]).strip(".") or None
        return self.tree.field_name(self.base + tuple(at), self.base) or None

    def value(self, at: tuple) -> Any:
        """The raw value at `at` below the entity, or None."""
        value = self.raw
        for step in at:
            if isinstance(value, dict) and step in value or isinstance(value, list) and \
                    isinstance(step, int) and step < len(value):
                value = value[step]
            else:
                return None
        return value


@dataclass(frozen=True)
class Layout:
    """What a block's text says about its values beyond the data: the spans that aliases share
    (one text, several keys), and for a value written after an anchor or tag (`&size '224'`), the
    span of the value's own text (None when that text is on another line)."""

    shared: frozenset[Span]
    bare: dict[Span, Span | None]

    @classmethod
    def of(cls, tree: Tree, lines: list[str], text: str) -> "Layout | None":
        """The layout of a block of `text` whose tree is `tree`, in a file of `lines`; None when
        there is nothing to say: without a `*` a text has no alias, so no two keys share a span,
        and without `&` or `!` no value is written after an anchor or a tag."""
        if "*" not in text and "&" not in text and "!" not in text:
            return None
        seen: set[Span] = set()
        shared: set[Span] = set()
        for path, span in tree.spans.items():
            if path:
                (shared if span in seen else seen).add(span)
        bare = {}
        for span in seen:
            line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
            properties = _PROPERTIES.match(line, span.column - 1)
            if properties:
                column = properties.end() + 1
                on_line = column <= len(line) and (span.end_line, span.end_column) > (span.line, column)
                bare[span] = Span(span.line, column, span.end_line, span.end_column) if on_line else None
        return cls(frozenset(shared), bare)


_PROPERTIES = re.compile(r"(?:[&!][^\s,\[\]{}]*(?:[ \t]+|$))+")  # a node's anchor and tag


@dataclass
class ImportRef:
    """One `Import:` glob and what it matched."""

    block: Block
    at: tuple
    pattern: str
    matches: list[Path]
    outside: list[Path]  # what the glob matched outside the importing file's directory tree
    escapes: bool = False  # absolute, or its path leads out of the tree (`cards/../../*.md`)
    truncated: bool = False  # not fully expanded: too long, or the run's budget of entries ran out

    @property
    def reaches_outside(self) -> bool:
        """The glob leads out of the importing file's tree, or matched files there (not read)."""
        return self.escapes or bool(self.outside)


@dataclass
class Index:
    """All models and collections of a run, with the problems found while loading them."""

    files: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    models: list[Entity] = field(default_factory=list)
    collections: list[Entity] = field(default_factory=list)
    imports: list[ImportRef] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    shared: dict[Any, Any] = field(default_factory=dict, repr=False)  # what rules work out once a run (rules.once)

    @property
    def entities(self) -> list[Entity]:
        return self.collections + self.models


def load(paths: Iterable[str | Path], excluded: Excluded = skipped_by_default,
         overlay: dict[str, str] | None = None, root: str | Path | None = None) -> Index:
    """Load every card under `paths` (files or directories) and every file they import.

    The folder walk passes over what `excluded` names; a file given explicitly is always read.
    `overlay` maps report paths to texts that stand in for those files' contents (the texts a
    previous `--fix` pass produced in memory); other files are read from disk.

    Nothing is read from outside the root of a path (`root` when given, as a site's docs folder
    is for its cards' folder): a folder given is the root of the cards found in it, a file given
    is confined to its own folder, and an imported file to the folder of the file that imports it.
    A path given relative to the working directory, without `..`, must also stay inside it: a
    checked-out `docs` that a pull request turned into a link to `/` is not walked."""
    loader = _Loader(overlay or {})
    common = Root.of(root) if root is not None else None
    for given in paths:
        given = Path(given)
        if leaves_working_directory(given):
            loader.refuse(given, "not read: it links outside the working directory")
        elif given.is_dir():
            folder_root = common or Root.of(given)
            for found in _cards_under(given, excluded):
                loader.add(found, explicit=False, root=folder_root)
        else:
            loader.add(given, explicit=True, root=common or Root.of(given.parent))
    loader.run()
    return loader.index


def _cards_under(directory: Path, excluded: Excluded) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not excluded(Path(root) / d, True))
        for name in sorted(files):
            if Path(name).suffix.lower() in WALKED_SUFFIXES and not excluded(Path(root) / name, False):
                found.append(Path(root) / name)
    return found


class _Loader:
    def __init__(self, overlay: dict[str, str]):
        self.overlay = overlay
        self.index = Index()
        self.queue: deque[tuple[Path, bool, Root]] = deque()
        self.seen: set[str] = set()
        self.budget = globs.Budget()

    def add(self, path: Path, explicit: bool, root: Root) -> None:
        key = os.path.realpath(path)
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append((path, explicit, root))

    def refuse(self, path: Path, message: str) -> None:
        """Count `path` as a file given and report why it is not read."""
        if os.path.realpath(path) not in self.seen:
            self.seen.add(os.path.realpath(path))
            self._file_problem(display_path(path), "MI000", message)

    def run(self) -> None:
        while self.queue:
            self._file(*self.queue.popleft())

    def _file(self, path: Path, explicit: bool, root: Root) -> None:
        shown = display_path(path)
        suffix = path.suffix.lower()
        try:
            text = self.overlay[shown] if shown in self.overlay else read_text(path, root)
        except Refused as refused:
            self._file_problem(shown, "MI000", str(refused))
            return
        except FileNotFoundError:
            self._file_problem(shown, "MI000", "no such file or directory")
            return
        except UnicodeDecodeError as error:
            self._file_problem(shown, "MI000", f"not UTF-8 text ({error.reason} at byte {error.start})")
            return
        except OSError as error:
            self._file_problem(shown, "MI000", f"cannot read file: {error.strerror or error}")
            return
        if "\x00" in text:
            self._file_problem(shown, "MI000", "binary file (contains NUL bytes)")
            return
        if suffix in DATA_SUFFIXES:
            if not explicit and not looks_like_model_index(text):
                return  # some other YAML file (mkdocs.yml, CI config): not a card
            blocks = blocks_in_data_file(shown, text)
            if not any(b.problems or _holds_metadata(b) for b in blocks):
                if explicit:
                    self._file_problem(shown, "MI007", "no model-index metadata in this file")
                return
        else:
            blocks = blocks_in_markdown(shown, text)
        self.index.files.append(shown)
        self.index.texts[shown] = text
        lines = text.split("\n")
        for block in blocks:
            self._block(block, path, lines)

    def _file_problem(self, shown: str, code: str, message: str) -> None:
        self.index.files.append(shown)
        self.index.findings.append(Finding(code, message, file=shown, span=Span.point(1)))

    def _block(self, block: Block, path: Path, lines: list[str]) -> None:
        self.index.blocks.append(block)
        for problem in block.problems:
            self.index.findings.append(Finding(problem.code, problem.message, file=block.path, span=problem.span))
        tree = block.tree
        if tree is None or tree.data is None:
            return
        data = tree.data
        layout = Layout.of(tree, lines, block.text)
        if isinstance(data, list):  # an imported file may be a bare list of models
            self._entities("model", "Models", block, tree, (), data, layout)
            return
        if not isinstance(data, dict):
            self._schema_error(block, tree, (), "model-index metadata must be a mapping")
            return
        if "model-index" in data:
            self._hugging_face(block, tree, data["model-index"], layout)
            return
        top = {k: v for k, v in data.items() if k not in ("Models", "Collections")}
        if not typecheck.fits("ModelIndex", top):
            from . import schema

            _, errors = schema.validate(schema.ModelIndex, top)
            for at, message in errors:
                self._schema_error(block, tree, at, _described(tree.field_name(at), message))
        imports = data.get("Import")
        items = enumerate(imports) if isinstance(imports, list) else [(None, imports)]
        for i, pattern in items:  # by their place in the list, so that each keeps its own line
            if isinstance(pattern, str):
                self._import(block, path, ("Import",) if i is None else ("Import", i), pattern)
        self._entities("collection", "Collections", block, tree, ("Collections",), data.get("Collections"), layout)
        if not (block.kind == "front-matter" and holds_hub_models(tree)):  # the Hub's `models`: repo ids
            self._entities("model", "Models", block, tree, ("Models",), data.get("Models"), layout)

    def _entities(self, kind: str, key: str, block: Block, tree: Tree, at: tuple, items: Any,
                  layout: Layout | None) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self._schema_error(block, tree, at, f"{key} must be a list")
            return
        for i, raw in enumerate(items):
            base = at + (i,)
            if not isinstance(raw, dict):
                self._schema_error(block, tree, base, f"each entry of {key} must be a mapping")
                continue
            self._entity(Entity(kind, block.path, tree, base, raw, layout=layout))

    def _entity(self, entity: Entity) -> None:
        """Add a model or collection, with the schema's errors of what the type check cannot vouch for."""
        if not typecheck.fits(NODES[entity.kind], entity.raw):
            for path, message in entity.schema_errors():
                self.index.findings.append(_type_error(entity, path, message))
        (self.index.models if entity.kind == "model" else self.index.collections).append(entity)

    def _schema_error(self, block: Block, tree: Tree, at: tuple, message: str) -> None:
        span = tree.span(at) or Span.point(block.line)
        self.index.findings.append(Finding("MI002", message, file=block.path, span=span))

    def _import(self, block: Block, importer: Path, at: tuple, pattern: str) -> None:
        """Follow one `Import:` glob, relative to the importing file, within its folder: a glob that
        could leave it is not expanded at all, and a matched link that leads out is not read."""
        base = importer.parent
        root = Root.of(base)
        relative = globs.confine(pattern, root.real)
        if relative is None:
            self.index.imports.append(ImportRef(block, at, pattern, [], [], escapes=True))
            return
        found, truncated = globs.expand(str(base), relative, self.budget)
        matches, outside = [], []
        for match in map(Path, found):
            (matches if root.contains(os.path.realpath(match)) else outside).append(match)
        self.index.imports.append(ImportRef(block, at, pattern, matches, outside, truncated=truncated))
        for match in matches:
            self.add(match, explicit=True, root=root)

    def _hugging_face(self, block: Block, tree: Tree, entries: Any, layout: Layout | None) -> None:
        """Hugging Face front matter: `model-index: [{name, results: [{task, dataset, metrics}]}]`."""
        if not isinstance(entries, list):
            self._schema_error(block, tree, ("model-index",), "model-index must be a list")
            return
        for i, entry in enumerate(entries):
            at = ("model-index", i)
            if not isinstance(entry, dict):
                self._schema_error(block, tree, at, "each model-index entry must be a mapping")
                continue
            raw, spans, fields = _from_hugging_face(entry, tree, at)
            self._entity(Entity("model", block.path, Tree(raw, spans), (), raw, fields, layout))


_TOP_KEYS = frozenset(shape.aliases("ModelIndex")) | {"model-index"}


def _holds_metadata(block: Block) -> bool:
    """Whether a data file's block is model-index metadata: a list of models, or a mapping
    with at least one model-index top-level key."""
    data = block.tree.data if block.tree else None
    return (isinstance(data, list) and bool(data)) or (isinstance(data, dict) and not _TOP_KEYS.isdisjoint(data))


def _hf(mapping: dict, key: str) -> str:
    """The key of `mapping`, a part of a Hugging Face entry (loaded as written), that is `key` in
    any spelling (the last, as the later of two duplicates wins); `key` itself when there is none."""
    return next((k for k in reversed(mapping) if shape.comparable_key(k) == key), key)


def _hf_label(part: Any) -> Any:
    """The display name of a task, dataset or metric: its `name`, else its `type`."""
    return part.get(_hf(part, "name")) or part.get(_hf(part, "type")) if isinstance(part, dict) else part


def _type_error(entity: Entity, at: tuple, message: str) -> Finding:
    """A schema error of an entity's value."""
    return Finding("MI002", _described(entity.field_name(at), message), entity=entity, at=at,
                   actual=entity.value(at))


def _described(field: str | None, message: str) -> str:
    """A pydantic message named by the key as written (pydantic's alone names no key), in YAML's words."""
    message = re.sub(r"a valid dictionary or instance of \w+", "a mapping", message)
    return f"{field or 'the entry'}: {message[:1].lower()}{message[1:]}"


def _from_hugging_face(entry: dict, tree: Tree, at: tuple) -> tuple[dict, dict, dict]:
    """Map one Hugging Face entry onto the model-index Model shape, keeping the spans and the
    written key paths of the source. A metric whose name a result already holds starts another
    result of the same task and dataset, so that both values are kept."""
    spans = {(): tree.span(at)}
    fields: dict[tuple, str] = {}
    raw: dict[str, Any] = {}

    def put(path: tuple, value: Any, source: tuple) -> None:
        target = raw
        for step in path[:-1]:
            target = target[step]
        if isinstance(target, list):
            target.append(value)  # list items are put in order
        else:
            target[path[-1]] = value
        spans[path] = tree.span(at + source)
        fields[path] = tree.field_name(at + source, at)

    if _hf(entry, "name") in entry:
        put(("Name",), entry[_hf(entry, "name")], (_hf(entry, "name"),))
    def open_result(src: tuple, result: dict, metrics: bool) -> int:
        i = len(raw["Results"])
        put(("Results", i), {}, src)
        for key in ("Task", "Dataset"):
            label = _hf_label(result.get(_hf(result, key.lower())))
            if label is not None:
                put(("Results", i, key), label, src + (_hf(result, key.lower()),))
        if metrics:
            put(("Results", i, "Metrics"), {}, src + (_hf(result, "metrics"),))
        return i

    results = entry.get(_hf(entry, "results"))
    if isinstance(results, list):
        put(("Results",), [], (_hf(entry, "results"),))
        for r, result in enumerate(results):
            if not isinstance(result, dict):
                continue
            src, metrics = (_hf(entry, "results"), r), result.get(_hf(result, "metrics"))
            i = open_result(src, result, isinstance(metrics, list))
            for m, metric in enumerate(metrics if isinstance(metrics, list) else ()):
                label = _hf_label(metric) if isinstance(metric, dict) else None
                if label:
                    if str(label) in raw["Results"][i]["Metrics"]:  # a mapping holds one value a name:
                        i = open_result(src, result, True)  # the next is another result on the same data
                    put(("Results", i, "Metrics", str(label)), metric.get(_hf(metric, "value")),
                        src + (_hf(result, "metrics"), m, _hf(metric, "value")))
    return raw, spans, fields
