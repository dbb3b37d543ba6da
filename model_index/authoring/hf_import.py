"""`model-index import`: a Hugging Face model card made a Papers with Code card.

The card's ``model-index`` front matter is read by the loader (which already maps each entry onto
the model shape: name, results with task, dataset and metrics) and written as a model-index block
in an HTML comment at the end of the card. The rest of the card stays as it was: its other front
matter keys (license, tags, ...) and its text."""

from __future__ import annotations

from pathlib import Path

from ..extract import front_matter_end, split_lines
from ..index import Index, load
from . import yaml_text
from .export import entity_data

HF_KEY = "model-index"


class NotHuggingFace(ValueError):
    """The file is not a Hugging Face card to import: no ``model-index`` front matter, or
    model-index metadata elsewhere too."""


def convert(path: Path) -> tuple[str, Index]:
    """The PwC card for the Hugging Face card at `path`, and the index it was loaded into (its
    findings are the values that could not be read)."""
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
    return (card + "\n\n" if card else "") + yaml_text.html_comment({"Type": "model-index", "Models": models}), index


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
