"""What templates see: plain dicts, lists and strings built from the index (no Python objects).

Numbers are formatted here, once, so that every template prints the same units (parameters in
millions, FLOPs in G, file sizes in MB) and every column of a table one precision:

- a measured fact (parameters, FLOPs, file size) with two decimals, or as many as the column's
  smallest value needs to show two significant digits (0.024 beside 3.664);
- a value as the card writes it (accuracy and other metrics, crop pct) with as many decimals as
  the most precise value of the column has (84.4 beside 84.38 is 84.40), at most six.

Missing values are empty strings; a value that is not a number is written as it is.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, Iterable

from ..diagnostics import Diagnostic, Severity
from ..index import Entity

TOP1 = "Top 1 Accuracy"
MAX_DECIMALS = 6
MAX_FINDINGS = 50  # shown on a card's page; the build log has them all
# Template field → (model view key of the number, unit) of the measured facts.
SCALED = {"params_m": ("params", 1e6), "flops_g": ("flops", 1e9), "file_size_mb": ("file_size", 1e6)}
WRITTEN = {"crop_pct": "crop_pct_value", "top1": "top1_value"}  # template field → view key of the number
ADMONITION = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "info"}


def _is_number(value: Any) -> bool:
    """A finite int or float that converts to a float (a card may write an integer of 400 digits)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -1e300 < value < 1e300


def scaled_column(values: Iterable[Any], unit: float) -> list[str]:
    """Each of `values` divided by `unit`, all with one number of decimals: two, or as many as
    the smallest non-zero of them needs to show two significant digits (at most six)."""
    numbers = [value / unit if _is_number(value) else None for value in values]
    smallest = min((abs(n) for n in numbers if n), default=1.0)
    places = min(MAX_DECIMALS, max(2, 1 - math.floor(math.log10(smallest))))
    return [f"{n:.{places}f}" if n is not None else "" for n in numbers]


def written_column(values: Iterable[Any]) -> list[str]:
    """`values` as the card writes them, the numbers with one number of decimals: the most any of
    them has (at most six). Anything else as text."""
    values = list(values)
    exact = {i: Decimal(repr(v)) for i, v in enumerate(values) if _is_number(v)}
    places = min(MAX_DECIMALS, max((max(0, -d.as_tuple().exponent) for d in exact.values()), default=0))
    return [f"{exact[i]:.{places}f}" if i in exact else plain(v) for i, v in enumerate(values)]


def with_columns(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of model views with their numeric fields formatted as one table's columns."""
    rows = [dict(m) for m in models]
    for field, (key, unit) in SCALED.items():
        for row, text in zip(rows, scaled_column((r[key] for r in rows), unit)):
            row[field] = text
    for field, key in WRITTEN.items():
        for row, text in zip(rows, written_column(r[key] for r in rows)):
            row[field] = text
    return rows


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


def model_view(entity: Entity, timm_name: str | None, family: str, timm: bool) -> dict[str, Any]:
    """One model as templates see it: formatted facts plus the card's own keys under `raw`.
    `timm` says whether it is a timm model (timm code snippets apply to it)."""
    data = entity.data
    meta = data.metadata if data is not None and data.metadata is not None else None
    name = entity.name or ""

    def fact(attr: str) -> Any:
        return getattr(meta, attr, None) if meta is not None else None

    results = [{"task": plain(r.task), "dataset": plain(r.dataset), "values": dict(r.metrics or {})}
               for r in (data.results or [] if data is not None else [])]
    top1 = next((r["values"][TOP1] for r in results if r["values"].get(TOP1) not in (None, "")), None)
    return {
        "name": name,
        "timm_name": timm_name or fact("id") or name,
        "family": family,
        "params": fact("parameters"),
        "flops": fact("flops"),
        "file_size": fact("file_size"),
        "crop_pct_value": fact("crop_pct"),
        "top1_value": top1,
        "image_size": plain(fact("image_size")),
        "interpolation": plain(fact("interpolation")),
        "training_data": plain(fact("training_data")),
        "training_techniques": plain(fact("training_techniques")),
        "results": results,
        "paper": paper_view(data.paper if data is not None else None),
        "raw": entity.raw,  # read-only: the sandbox is immutable
        "timm": timm,
    }


def family_view(name: str, collection: Entity | None, models: list[dict[str, Any]]) -> dict[str, Any]:
    """A card's family: its models (and those of timm, which the code snippets are for, one per timm
    name: two card models that resolved to one timm model are one choice of the picker), its paper,
    the metric columns of its results table, the default model (the smallest timm model, so that a
    first try is quick), and which facts all its models share (training; crop and interpolation;
    the results' task and dataset), so that a page writes them once."""
    paper = paper_view(collection.data.paper) if collection is not None and collection.data is not None else None
    paper = paper or next((m["paper"] for m in models if m["paper"]), None)
    models = with_columns(models)
    metrics: list[str] = []
    for model in models:
        for result in model["results"]:
            metrics.extend(k for k in result["values"] if k not in metrics)
    _format_metrics(models, metrics)
    timm_models = _first_of_each_name([m for m in models if m["timm"]])
    candidates = timm_models or models
    sized = [m for m in candidates if isinstance(m["params"], (int, float))]
    default = min(sized, key=lambda m: m["params"]) if sized else (candidates[0] if candidates else None)
    training = {(m["training_data"], m["training_techniques"]) for m in models}
    preprocessing = {(m["crop_pct"], m["interpolation"]) for m in models}
    settings = {(r["task"], r["dataset"]) for m in models for r in m["results"]}
    return {
        "name": name,
        "slug": slug(name),
        "paper": paper,
        "models": models,
        "timm_models": timm_models,
        "default": default,
        "metrics": metrics,
        "shared_training": len(training) == 1,
        "shared_preprocessing": len(preprocessing) == 1,
        "shared_setting": dict(zip(("task", "dataset"), *settings)) if len(settings) == 1 else None,
        "has_results": any(m["results"] for m in models),
    }


def _first_of_each_name(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`models` in their order, without a model whose timm name an earlier one has."""
    first: dict[str, dict[str, Any]] = {}
    for model in models:
        first.setdefault(model["timm_name"], model)
    return list(first.values())


def _format_metrics(models: list[dict[str, Any]], metrics: list[str]) -> None:
    """Give each result of `models` its `metrics`, formatted as the family's results table's columns."""
    results = [dict(r) for m in models for r in m["results"]]
    for result in results:
        result["metrics"] = {}
    for metric in metrics:
        for result, text in zip(results, written_column(r["values"].get(metric) for r in results)):
            result["metrics"][metric] = text
    cells = iter(results)
    for model in models:
        model["results"] = [next(cells) for _ in model["results"]]


def findings_view(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """A card's findings as its page shows them: the first `MAX_FINDINGS` in report order, how many
    more there are, and the admonition type of the worst severity."""
    worst = min((d.severity for d in diagnostics), key=list(Severity).index, default=Severity.INFO)
    return {
        "kind": ADMONITION[worst],
        "count": len(diagnostics),
        "more": max(0, len(diagnostics) - MAX_FINDINGS),
        "shown": [{"line": d.span.line, "code": d.code, "rule": d.rule, "severity": d.severity.value,
                   "message": d.message} for d in diagnostics[:MAX_FINDINGS]],
    }
