"""Load files into one Index: blocks extracted, imports followed, models and collections validated."""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import schema
from .diagnostics import Finding, Span
from .extract import (DATA_SUFFIXES, MARKDOWN_SUFFIXES, Block, blocks_in_data_file, blocks_in_markdown,
                      looks_like_model_index, read_text)
from .yamltree import Tree

SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", "site", ".tox"}
# What the folder walk reads: Markdown cards (.mdx, Hugging Face's docs format, included) and data files.
WALKED_SUFFIXES = MARKDOWN_SUFFIXES | {".mdx"} | DATA_SUFFIXES

Excluded = Callable[[Path, bool], bool]  # (path, is a folder) → whether the folder walk skips it


def skipped_by_default(path: Path, is_dir: bool) -> bool:
    """Hidden folders, virtual environments, built sites and caches."""
    return is_dir and (path.name in SKIPPED_DIRS or path.name.startswith("."))


@dataclass(eq=False)
class Entity:
    """A model or a collection: its validated data and where its YAML sits."""

    kind: str  # "model" or "collection"
    path: str
    tree: Tree
    base: tuple  # key path of the entity's mapping in `tree`
    raw: Any
    data: schema.Model | schema.Collection | None
    fields: dict[tuple, str] | None = None  # key paths as written, where `raw` was reshaped (HF)

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

    def editable_span(self, at: tuple) -> Span | None:
        """The text of the value at `at`, when rewriting it changes exactly that value: it exists,
        and sits on its key's line (an alias's text is its anchor's, shared with other keys)."""
        path = self.base + tuple(at)
        span, key = self.tree.spans.get(path), self.tree.key_spans.get(path)
        if span is None or self.tree.styles.get(path) in ("|", ">"):  # a block scalar spans lines
            return None
        return span if key is None or key.line == span.line else None

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


@dataclass
class ImportRef:
    """One `Import:` glob and what it matched."""

    block: Block
    at: tuple
    pattern: str
    matches: list[Path]
    outside: list[Path]  # what the glob matched outside the importing file's directory tree
    escapes: bool = False  # absolute, or its path leads out of the tree (`cards/../../*.md`)

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

    @property
    def entities(self) -> list[Entity]:
        return self.collections + self.models


def display_path(path: Path) -> str:
    """A path relative to the working directory where possible, as linters print it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load(paths: Iterable[str | Path], excluded: Excluded = skipped_by_default,
         overlay: dict[str, str] | None = None) -> Index:
    """Load every card under `paths` (files or directories) and every file they import.

    The folder walk passes over what `excluded` names; a file given explicitly is always read.
    `overlay` maps report paths to texts that stand in for those files' contents (the texts a
    previous `--fix` pass produced in memory); other files are read from disk."""
    loader = _Loader(overlay or {})
    for given in paths:
        given = Path(given)
        if given.is_dir():
            for found in _cards_under(given, excluded):
                loader.add(found, explicit=False)
        else:
            loader.add(given, explicit=True)
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
        self.queue: list[tuple[Path, bool]] = []
        self.seen: set[str] = set()

    def add(self, path: Path, explicit: bool) -> None:
        key = os.path.realpath(path)
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append((path, explicit))

    def run(self) -> None:
        while self.queue:
            path, explicit = self.queue.pop(0)
            self._file(path, explicit)

    def _file(self, path: Path, explicit: bool) -> None:
        shown = display_path(path)
        suffix = path.suffix.lower()
        try:
            text = self.overlay[shown] if shown in self.overlay else read_text(path)
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
        for block in blocks:
            self._block(block, path)

    def _file_problem(self, shown: str, code: str, message: str) -> None:
        self.index.files.append(shown)
        self.index.findings.append(Finding(code, message, file=shown, span=Span.point(1)))

    def _block(self, block: Block, path: Path) -> None:
        self.index.blocks.append(block)
        for problem in block.problems:
            self.index.findings.append(Finding(problem.code, problem.message, file=block.path, span=problem.span))
        tree = block.tree
        if tree is None or tree.data is None:
            return
        data = tree.data
        if isinstance(data, list):  # an imported file may be a bare list of models
            self._entities("model", "Models", block, tree, (), data)
            return
        if not isinstance(data, dict):
            self._schema_error(block, tree, (), "model-index metadata must be a mapping")
            return
        if "model-index" in data:
            self._hugging_face(block, tree, data["model-index"])
            return
        top = {k: v for k, v in data.items() if k not in ("Models", "Collections")}
        node, errors = schema.validate(schema.ModelIndex, top)
        for at, message in errors:
            self._schema_error(block, tree, at, _described(tree.field_name(at), message))
        if node is not None:
            for i, pattern in enumerate(node.imports or []):
                self._import(block, path, ("Import", i) if isinstance(data.get("Import"), list) else ("Import",),
                             pattern)
        self._entities("collection", "Collections", block, tree, ("Collections",), data.get("Collections"))
        self._entities("model", "Models", block, tree, ("Models",), data.get("Models"))

    def _entities(self, kind: str, key: str, block: Block, tree: Tree, at: tuple, items: Any) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self._schema_error(block, tree, at, f"{key} must be a list")
            return
        node_type = schema.Model if kind == "model" else schema.Collection
        for i, raw in enumerate(items):
            base = at + (i,)
            if not isinstance(raw, dict):
                self._schema_error(block, tree, base, f"each entry of {key} must be a mapping")
                continue
            node, errors = schema.validate(node_type, raw)
            entity = Entity(kind, block.path, tree, base, raw, node)
            for path, message in errors:
                self.index.findings.append(_type_error(entity, path, message))
            (self.index.models if kind == "model" else self.index.collections).append(entity)

    def _schema_error(self, block: Block, tree: Tree, at: tuple, message: str) -> None:
        span = tree.span(at) or Span.point(block.line)
        self.index.findings.append(Finding("MI002", message, file=block.path, span=span))

    def _import(self, block: Block, importer: Path, at: tuple, pattern: str) -> None:
        """Follow one `Import:` glob, relative to the importing file, within its directory tree."""
        base = importer.parent
        root = os.path.realpath(base)
        absolute = os.path.isabs(pattern)
        escapes = absolute or not os.path.normpath(os.path.join(root, pattern)).startswith(root + os.sep)
        matches, outside = [], []
        # root_dir: the importing file's folder name is not part of the pattern (it may hold [ or *)
        for match in sorted(glob.glob(pattern, root_dir=base, recursive=True)):
            found = Path(match) if absolute else base / match
            if found.is_file():
                inside = not escapes and os.path.realpath(found).startswith(root + os.sep)
                (matches if inside else outside).append(found)
        self.index.imports.append(ImportRef(block, at, pattern, matches, outside, escapes))
        for match in matches:
            self.add(match, explicit=True)

    def _hugging_face(self, block: Block, tree: Tree, entries: Any) -> None:
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
            node, errors = schema.validate(schema.Model, raw)
            entity = Entity("model", block.path, Tree(raw, spans), (), raw, node, fields)
            for path, message in errors:
                self.index.findings.append(_type_error(entity, path, message))
            self.index.models.append(entity)


_TOP_KEYS = frozenset(schema.aliases(schema.ModelIndex)) | {"model-index"}


def _holds_metadata(block: Block) -> bool:
    """Whether a data file's block is model-index metadata: a list of models, or a mapping
    with at least one model-index top-level key."""
    data = block.tree.data if block.tree else None
    return (isinstance(data, list) and bool(data)) or (isinstance(data, dict) and not _TOP_KEYS.isdisjoint(data))


def _hf(key: str) -> str:
    """A Hugging Face key as the loaded tree spells it (keys are canonicalized while loading)."""
    return schema.canonical_key(key)


def _hf_label(part: Any) -> Any:
    """The display name of a task, dataset or metric: its `name`, else its `type`."""
    return part.get(_hf("name")) or part.get(_hf("type")) if isinstance(part, dict) else part


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
    written key paths of the source."""
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

    if _hf("name") in entry:
        put(("Name",), entry[_hf("name")], (_hf("name"),))
    results = entry.get(_hf("results"))
    if isinstance(results, list):
        put(("Results",), [], (_hf("results"),))
        for r, result in enumerate(results):
            if not isinstance(result, dict):
                continue
            src, i = (_hf("results"), r), len(raw["Results"])
            put(("Results", i), {}, src)
            for key in ("Task", "Dataset"):
                label = _hf_label(result.get(_hf(key.lower())))
                if label is not None:
                    put(("Results", i, key), label, src + (_hf(key.lower()),))
            metrics = result.get(_hf("metrics"))
            if isinstance(metrics, list):
                put(("Results", i, "Metrics"), {}, src + (_hf("metrics"),))
                for m, metric in enumerate(metrics):
                    label = _hf_label(metric) if isinstance(metric, dict) else None
                    if label:
                        put(("Results", i, "Metrics", str(label)), metric.get(_hf("value")),
                            src + (_hf("metrics"), m, _hf("value")))
    return raw, spans, fields
