"""Choosing among an architecture's pretrained tags by what the card itself says.

A card that names ``hrnet_w18`` without a tag may mean any of its pretrained releases; its own facts
tell them apart: the weights file, Image Size, Crop Pct, Interpolation, Mean and Std, Training Data.
Each fact that some candidate agrees with and another does not is evidence; the candidate that
agrees with the most of it is chosen. A weights file name that matches only without its content
hash counts half: a different hash is a different checkpoint of the same name (DeiT's
``regnety_160`` is not pycls'). The default tag (the first candidate) is kept when nothing
distinguishes it from the others. Parameters and File Size do not tell tags of one architecture
apart (they differ at most by the classifier), so they are not read here; they serve to doubt a
resolution once it is measured (`checks.doubt`).
"""

from __future__ import annotations

from typing import Any, Callable

from ..schema import as_number
from . import datasets
from .numbers import CONFIG_TOLERANCE
from .registry import Registry, weights_file, without_hash

Fact = Callable[[Any, str, Registry], "bool | None"]  # (entity, candidate, registry) → agrees? (None: no opinion)


def choose(entity, candidates: list[str], registry: Registry) -> tuple[str, list[str]]:
    """The candidate ``arch.tag`` the card's facts point to, and the facts that chose it (empty when
    nothing distinguished the candidates and the first was kept)."""
    if len(candidates) == 1:
        return candidates[0], []
    verdicts = {label: [fact(entity, c, registry) for c in candidates] for label, fact in FACTS.items()}
    distinguishing = {label: v for label, v in verdicts.items() if True in v and False in v}
    scores = [sum(WEIGHT.get(label, 1.0) for label, v in distinguishing.items() if v[i] is True)
              for i in range(len(candidates))]
    top = max(scores)
    best = scores.index(top)  # the first of the best: the default tag when it is among them
    if top == 0 or scores.count(top) > 1:
        return candidates[best], []
    return candidates[best], [label for label, v in distinguishing.items() if v[best] is True]


def _weights(entity, candidate: str, registry: Registry) -> bool | None:
    url = entity.value(("Weights",))
    if not isinstance(url, str) or not weights_file(url):
        return None
    return candidate in registry.stems.get(without_hash(weights_file(url)), [])


def _image_size(entity, candidate: str, registry: Registry) -> bool | None:
    declared = as_number(entity.value(("Metadata", "Image Size")))
    cfg = registry.cfg(candidate)
    sizes = [size[-1] for size in (cfg.get("input_size"), cfg.get("test_input_size")) if size]
    return None if declared is None or not sizes else declared in sizes


def _close_to(key: str, cfg_keys: tuple[str, ...]) -> Fact:
    def fact(entity, candidate: str, registry: Registry) -> bool | None:
        declared = as_number(entity.value(("Metadata", key)))
        cfg = registry.cfg(candidate)
        values = [cfg[k] for k in cfg_keys if isinstance(cfg.get(k), (int, float))]
        return None if declared is None or not values else any(abs(declared - v) <= CONFIG_TOLERANCE for v in values)
    return fact


def _interpolation(entity, candidate: str, registry: Registry) -> bool | None:
    declared, expected = entity.value(("Metadata", "Interpolation")), registry.cfg(candidate).get("interpolation")
    if not isinstance(declared, str) or not declared.strip() or not expected:
        return None
    return declared.strip().lower() == expected.lower()


def _channels(key: str, cfg_key: str) -> Fact:
    def fact(entity, candidate: str, registry: Registry) -> bool | None:
        declared, expected = entity.value(("Metadata", key)), registry.cfg(candidate).get(cfg_key)
        if not isinstance(declared, list) or not expected:
            return None
        numbers = [as_number(d) for d in declared]
        return len(numbers) == len(expected) and all(
            n is not None and abs(n - e) <= CONFIG_TOLERANCE for n, e in zip(numbers, expected))
    return fact


def _training_data(entity, candidate: str, registry: Registry) -> bool | None:
    declared = entity.value(("Metadata", "Training Data"))
    declared = [declared] if isinstance(declared, str) else declared
    implied = datasets.from_tag(candidate.partition(".")[2])
    if not isinstance(declared, list) or not declared or not implied:
        return None
    named, unknown = datasets.from_card(declared)
    return None if unknown or not named else named == implied


WEIGHT = {"Weights file": 0.5}  # a stem match: maybe another checkpoint of the same name

FACTS: dict[str, Fact] = {
    "Weights file": _weights,
    "Image Size": _image_size,
    "Crop Pct": _close_to("Crop Pct", ("crop_pct", "test_crop_pct")),
    "Interpolation": _interpolation,
    "Mean": _channels("Mean", "mean"),
    "Std": _channels("Std", "std"),
    "Training Data": _training_data,
}
