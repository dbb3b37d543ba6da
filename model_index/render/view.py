"""What templates see: plain dicts, lists and strings built from the index (no Python objects).

Numbers are formatted here, once, so that every template prints the same units: parameters in
millions, FLOPs in G, file sizes in MB. Missing values are empty strings.
"""

from __future__ import annotations

import re
from typing import Any

from ..index import Entity

TOP1 = "Top 1 Accuracy"


def scaled(value: Any, unit: float) -> str:
    """`value / unit` with two decimals, or three significant digits when that would print 0.00."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    number = value / unit
    return f"{number:.2f}" if abs(number) >= 0.1 or number == 0 else f"{number:.3g}"


def plain(value: Any) -> str:
    """A scalar as text; lists joined with commas; None as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    return str(value)


def slug(text: str) -> str:
    """A lower-case identifier for BibTeX keys and HTML ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "model"


def paper_view(paper: Any) -> dict[str, str] | None:
    """`Paper` as {"title", "url"}; a bare string is a URL when it looks like one, else a title."""
    if paper is None:
        return None
    title = getattr(paper, "title", None)
    url = getattr(paper, "url", None)
    if isinstance(paper, str):
        title, url = (None, paper) if re.match(r"https?://", paper) else (paper, None)
    if not (title or url):
        return None
    return {"title": title or url, "url": url or "", "has_title": bool(title)}


def model_view(entity: Entity, timm_name: str | None, family: str, timm: bool = True) -> dict[str, Any]:
    """One model as templates see it: formatted facts plus the card's own keys under `raw`.
    `timm` says whether it is a timm model (timm code snippets apply to it)."""
    data = entity.data
    meta = data.metadata if data is not None and data.metadata is not None else None
    name = entity.name or ""

    def fact(attr: str) -> Any:
        return getattr(meta, attr, None) if meta is not None else None

    results = [{"task": r.task or "", "dataset": r.dataset or "",
                "metrics": {k: plain(v) for k, v in (r.metrics or {}).items()}}
               for r in (data.results or [] if data is not None else [])]
    top1 = next((r["metrics"][TOP1] for r in results if r["metrics"].get(TOP1)), "")
    return {
        "name": name,
        "timm_name": timm_name or fact("id") or name,
        "family": family,
        "params": fact("parameters"),
        "params_m": scaled(fact("parameters"), 1e6),
        "flops_g": scaled(fact("flops"), 1e9),
        "file_size_mb": scaled(fact("file_size"), 1e6),
        "image_size": plain(fact("image_size")),
        "crop_pct": plain(fact("crop_pct")),
        "interpolation": plain(fact("interpolation")),
        "training_data": plain(fact("training_data")),
        "training_techniques": plain(fact("training_techniques")),
        "results": results,
        "top1": top1,
        "paper": paper_view(data.paper if data is not None else None),
        "raw": entity.raw,  # read-only: the sandbox is immutable
        "timm": timm,
    }


def family_view(name: str, collection: Entity | None, models: list[dict[str, Any]]) -> dict[str, Any]:
    """A card's family: its models (and those of timm, which the code snippets are for), its paper,
    the metric columns of its results table, the default model (the smallest timm model, so that a
    first try is quick) and whether training facts are shared."""
    paper = paper_view(collection.data.paper) if collection is not None and collection.data is not None else None
    paper = paper or next((m["paper"] for m in models if m["paper"]), None)
    metrics: list[str] = []
    for model in models:
        for result in model["results"]:
            metrics.extend(k for k in result["metrics"] if k not in metrics)
    timm_models = [m for m in models if m["timm"]]
    candidates = timm_models or models
    sized = [m for m in candidates if isinstance(m["params"], (int, float))]
    default = min(sized, key=lambda m: m["params"]) if sized else (candidates[0] if candidates else None)
    training = {(m["training_data"], m["training_techniques"]) for m in models}
    return {
        "name": name,
        "slug": slug(name),
        "paper": paper,
        "models": models,
        "timm_models": timm_models,
        "default": default,
        "metrics": metrics,
        "shared_training": len(training) == 1,
        "has_results": any(m["results"] for m in models),
    }
