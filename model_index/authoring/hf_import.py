"""`model-index import`: a Hugging Face model card made a Papers with Code card.

The card's ``model-index`` front matter is read by the loader (which already maps each entry onto
the model shape: name, results with task, dataset and metrics) and written as a model-index block
in an HTML comment at the end of the card. The rest of the card stays as it was: its other front
matter keys (license, tags, ...) and its text, line ends included.

Papers with Code's format names a result's task, dataset and metrics and gives each metric its
value; Hugging Face's says more. What the mapping keeps (docs/guide/authoring.md has the table):
an entry's `name`; a task's, dataset's and metric's `name` (else its `type`); a `type` that is what
`export --to hf` writes back for that name (`Image Classification` → `image-classification`); each
metric's `value` (two metrics of one name become two results of the same task and dataset). Any
other value (a dataset's `split`, `config`, `args`, a `type` that is not the name's, a metric's
`verified`, a result's `source`, ...) has no place there: `not_carried` lists each one, and the
command names them on standard error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..extract import front_matter_end, split_lines
from ..index import Index, load
from ..shape import comparable_key
from . import yaml_text
from .export import entity_data, slug

HF_KEY = "model-index"


class NotHuggingFace(ValueError):
    """The file is not a Hugging Face card to import: no ``model-index`` front matter, or
    model-index metadata elsewhere too."""


@dataclass(frozen=True)
class NotCarried:
    """A value of the Hugging Face card that the Papers with Code card cannot hold: where it is,
    the model (entry name) it belongs to, and its key path as written."""

    path: str
    line: int
    model: Any
    key: str

    def __str__(self) -> str:
        return (f"{self.path}:{self.line}: model {self.model!r}: `{self.key}` has no place in a Papers with Code "
                "card: left out")


def convert(path: Path) -> tuple[str, Index, list[NotCarried]]:
    """The PwC card for the Hugging Face card at `path`, the index it was loaded into (its
    findings are the values that could not be read), and the values the PwC card cannot hold."""
    index = load([path])
    blocks = [b for b in index.blocks if b.kind == "front-matter" and b.tree is not None
              and isinstance(b.tree.data, dict) and HF_KEY in b.tree.data]
    if not blocks:
        raise NotHuggingFace(f"{path}: no Hugging Face `model-index:` front matter")
    block = blocks[0]
    if len(index.blocks) > 1:
        raise NotHuggingFace(f"{path}: the card already holds model-index metadata besides its front matter")
    models = [data for data in map(entity_data, index.models) if data is not None]
    card = _without_model_index(index.texts[block.path], block).rstrip("\n")
    text = (card + "\n\n" if card else "") + yaml_text.html_comment({"Type": "model-index", "Models": models})
    original = path.read_bytes()  # the loader reads line ends as "\n"
    if b"\n" in original and original.count(b"\n") == original.count(b"\r\n"):  # a Windows file stays one
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text, index, not_carried(block)


def not_carried(block) -> list[NotCarried]:
    """Every value of the block's ``model-index`` entries that the mapping onto Papers with Code's
    format does not keep (see the module's docstring). Values the loader cannot read at all (an
    entry that is not a mapping) are its findings, not listed here."""
    tree, found = block.tree, []
    entries = tree.data[HF_KEY]
    for e, entry in enumerate(entries if isinstance(entries, list) else ()):
        if not isinstance(entry, dict):
            continue
        at = (HF_KEY, e)
        name = next((value for key, value in entry.items() if comparable_key(key) == "name"), None)

        def lost(path: tuple) -> None:
            span = tree.key_spans.get(at + path) or tree.span(at + path)  # a key's line, its value may be below
            found.append(NotCarried(block.path, span.line, name,
                                    tree.field_name(at + path, at)))

        for key, results in entry.items():
            if comparable_key(key) == "name":
                continue
            if comparable_key(key) != "results" or not isinstance(results, (list, type(None))):
                lost((key,))
                continue
            for r, result in enumerate(results or ()):
                _result_not_carried(result, (key, r), lost)
    return found


def _result_not_carried(result: Any, at: tuple, lost) -> None:
    if not isinstance(result, dict):
        lost(at)
        return
    for key, part in result.items():
        kind = comparable_key(key)
        if kind in ("task", "dataset"):
            _labelled_not_carried(part, at + (key,), lost, ("name", "type"))
        elif kind == "metrics" and isinstance(part, (list, type(None))):
            for m, metric in enumerate(part or ()):
                if not isinstance(metric, dict) or not _label(metric):
                    lost(at + (key, m))  # a metric without a name or type has no key in Metrics
                else:
                    _labelled_not_carried(metric, at + (key, m), lost, ("name", "type", "value"))
        else:
            lost(at + (key,))


def _label(part: dict) -> Any:
    """What the loader names a task, dataset or metric by: its name, else its type."""
    keys = {comparable_key(key): value for key, value in part.items()}
    return keys.get("name") or keys.get("type")


def _labelled_not_carried(part: Any, at: tuple, lost, carried: tuple[str, ...]) -> None:
    """A task, dataset or metric: its name (else type) is carried, and a type only when the export
    writes it back from that name."""
    if not isinstance(part, dict):
        return  # a bare value is the label itself
    name = next((value for key, value in part.items() if comparable_key(key) == "name" and value), None)
    for key, value in part.items():
        kind = comparable_key(key)
        if kind not in carried or kind == "type" and name is not None and value != slug(name):
            lost(at + (key,))


def _without_model_index(text: str, block) -> str:
    """The card with its front matter's ``model-index`` key (and all lines of its value) taken out;
    with no front matter left at all when that was its only key."""
    lines = split_lines(text)
    end = front_matter_end(lines)  # index of the closing `---` line
    starts = sorted(block.tree.key_spans[(key,)].line for key in block.tree.data if (key,) in block.tree.key_spans)
    first = block.tree.key_spans[(HF_KEY,)].line  # file lines are 1-based: line n is lines[n - 1]
    after = next((line for line in starts if line > first), end + 1)
    while after - 1 > first and lines[after - 2].startswith("#"):  # comments just above the next key are its own
        after -= 1
    kept = lines[1:first - 1] + lines[after - 1:end]
    body = "".join(lines[end + 1:])
    if not any(line.strip() and not line.lstrip().startswith("#") for line in kept):
        return body
    return "---\n" + "".join(kept) + "---\n" + body
