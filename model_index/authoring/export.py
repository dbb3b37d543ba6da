"""`model-index export`: the validated index written in another format.

Every format is written from the same values: each model's and collection's data as the schema
validated it (`entity_data`), keys spelled as the format spells them, the card's own extra keys
kept, values the schema refused left out (the run reports them).

- ``json``: the whole index for the site and other tools (`to_json`; its shape is documented in
  docs/guide/authoring.md and versioned);
- ``pwc``: one Papers with Code ``model-index.yml`` holding every collection and model;
- ``hf``: Hugging Face model-card front matter, which holds a model's name and results.
"""

from __future__ import annotations

import json
import math
import re
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


def hf_entry(data: dict[str, Any]) -> dict[str, Any]:
    """One model as a Hugging Face ``model-index`` entry: its name and results (task, dataset and
    metrics each with a `type` made from its name, and the name itself)."""
    entry: dict[str, Any] = {}
    if "Name" in data:
        entry["name"] = data["Name"]
    results = []
    for result in data.get("Results") or []:
        out: dict[str, Any] = {}
        for key in ("Task", "Dataset"):
            if result.get(key) is not None:
                out[key.lower()] = {"type": slug(result[key]), "name": result[key]}
        if result.get("Metrics") is not None:
            out["metrics"] = [{"type": slug(name), "value": value, "name": name}
                              for name, value in result["Metrics"].items()]
        results.append(out)
    if "Results" in data:
        entry["results"] = None if data["Results"] is None else results  # `Results:` left empty stays empty
    return entry


def hf_data(index) -> dict[str, Any]:
    """Front-matter data: ``library_name``, ``tags`` (timm and the results' tasks) and ``model-index``."""
    entries = [hf_entry(value) for value in map(entity_data, index.models) if value is not None]
    tasks = {result["task"]["type"] for entry in entries for result in entry.get("results") or [] if "task" in result}
    return {"library_name": LIBRARY, "tags": sorted({LIBRARY, *tasks}), "model-index": entries}


def to_hf(index) -> str:
    """Hugging Face model-card front matter for the index's models."""
    return yaml_text.front_matter(hf_data(index))
