"""`model-index export`: the validated index written in another format.

Every format is written from the same values: each model's and collection's data as the schema
validated it (`entity_data`), keys spelled as the format spells them, the card's own extra keys
kept, values the schema refused left out (the run reports them).

- ``json``: the whole index for the site and other tools (`to_json`; its shape is documented in
  docs/guide/authoring.md and versioned);
- ``pwc``: one Papers with Code ``model-index.yml`` holding every collection and model;
- ``hf``: Hugging Face model-card front matter, which holds a model's name and results (what it
  cannot hold, a result without a task, is listed rather than written invalid).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..extras import DISTRIBUTION
from . import yaml_text

VERSION = 1
LIBRARY = "timm"


def entity_data(entity) -> dict[str, Any] | None:
    """A model's or collection's values as validated, with the keys the card gave (nothing added)."""
    return entity.data.model_dump(by_alias=True, exclude_unset=True) if entity.data is not None else None


def to_json(index, result) -> str:
    """The index as one JSON object (see `docs/guide/authoring.md` for its shape)."""
    document = {
        "version": VERSION,
        "generator": f"{DISTRIBUTION} {__version__}",
        "summary": result.summary.as_dict(),
        "files": list(index.files),
        "collections": [_located(entity) for entity in index.collections],
        "models": [_located(entity) for entity in index.models],
        "diagnostics": [diagnostic.as_dict() for diagnostic in result.diagnostics],
    }
    return json.dumps(_finite(document), indent=2, ensure_ascii=False, default=str) + "\n"


def _located(entity) -> dict[str, Any]:
    return {"name": entity.name, "path": entity.path, "line": entity.span().line, "data": entity_data(entity)}


def _finite(value: Any) -> Any:
    """JSON has no infinity or NaN: such a number (``.inf`` in YAML) is written as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def pwc_data(index) -> dict[str, Any]:
    """Every collection and model of the index in one model-index mapping."""
    data: dict[str, Any] = {}
    for key, entities in (("Collections", index.collections), ("Models", index.models)):
        values = [value for value in map(entity_data, entities) if value is not None]
        if values:
            data[key] = values
    return data


def to_pwc(index) -> str:
    """One Papers with Code ``model-index.yml`` merging the index's files."""
    return (f"# model-index.yml merged by `model-index export --to pwc` from {len(index.files)} file(s)\n"
            + yaml_text.dump(pwc_data(index)))


def slug(text: str) -> str:
    """A Hugging Face identifier for a display name: ``Image Classification`` → ``image-classification``."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


@dataclass(frozen=True)
class LeftOut:
    """A value the Hugging Face format cannot hold, so the `hf` export leaves it out: where it is
    (file and line), the model it belongs to, and what it is."""

    path: str
    line: int
    model: str | None
    what: str

    def __str__(self) -> str:
        model = f"model {self.model!r}" if self.model is not None else "a model without a Name"
        return f"{self.path}:{self.line}: {model}: {self.what}"


def hf_entry(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[tuple, str]]]:
    """One model as a Hugging Face ``model-index`` entry: its name and results (task, dataset and
    metrics each with a `type` made from its name, and the name itself), with what could not be
    written, as (key path, what) pairs.

    Hugging Face requires a name, a list of results, and in each result a task and a dataset: a
    model without a Name is left out, and so is a result without a Task or a Dataset. A model
    without Results has an empty list, a result without Metrics an empty list of metrics."""
    if data.get("Name") is None:
        return None, [((), "it has no Name, which a Hugging Face model-index entry requires: left out")]
    left: list[tuple[tuple, str]] = []
    results = []
    for i, result in enumerate(data.get("Results") or []):
        missing = [key for key in ("Task", "Dataset") if result.get(key) is None]
        if missing:
            left.append((("Results", i), f"result {i + 1} has no {' and no '.join(missing)}, which Hugging Face "
                                         "requires: left out"))
            continue
        results.append({
            "task": {"type": slug(result["Task"]), "name": result["Task"]},
            "dataset": {"type": slug(result["Dataset"]), "name": result["Dataset"]},
            "metrics": [{"type": slug(name), "value": value, "name": name}
                        for name, value in (result.get("Metrics") or {}).items()],
        })
    return {"name": data["Name"], "results": results}, left


def hf_data(index) -> tuple[dict[str, Any], list[LeftOut]]:
    """Front-matter data: ``library_name``, ``tags`` (timm and the results' tasks) and
    ``model-index`` (when some model can be written), with the values it could not hold."""
    entries, left = [], []
    for model in index.models:
        data = entity_data(model)
        if data is None:
            continue  # nothing of it could be read: the run reports why
        entry, lost = hf_entry(data)
        left += [LeftOut(model.path, model.span(at).line, model.name, what) for at, what in lost]
        if entry is not None:
            entries.append(entry)
    tasks = {result["task"]["type"] for entry in entries for result in entry["results"]}
    front = {"library_name": LIBRARY, "tags": sorted({LIBRARY, *tasks})}
    if entries:  # Hugging Face reads an empty model-index as a broken one
        front["model-index"] = entries
    return front, left


def to_hf(index) -> tuple[str, list[LeftOut]]:
    """Hugging Face model-card front matter for the index's models, and what it could not hold."""
    data, left = hf_data(index)
    return yaml_text.front_matter(data), left
