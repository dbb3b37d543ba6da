"""Training datasets: what a pretrained tag implies, and what a card's `Training Data` names."""

from __future__ import annotations

import re

# (dataset, pattern on a tag token, pattern on a card's dataset name squashed to [a-z0-9])
DATASETS = [
    ("ImageNet-1k", r"in1k", r"imagenet(1k|2012|ilsvrc2012)?|ilsvrc2012"),
    ("ImageNet-21k", r"in2[12]k", r"imagenet2[12]k(fall2011)?|imagenetfull"),
    ("ImageNet-12k", r"in12k", r"imagenet12k"),
    ("JFT-300M", r"jft(300m)?", r"jft(300m|3b)?"),
    ("Instagram", r"ig\d*b?", r"ig\d*b?(\d+k)?(targeted)?|instagram.*"),
    ("YFCC-100M", r"yfcc(100m)?", r"yfcc(100m)?"),
    ("LAION", r"laion\w*", r"laion.*"),
]


def from_tag(tag: str) -> set[str]:
    """Datasets a tag names: ``goog_in21k_ft_in1k`` → {ImageNet-21k, ImageNet-1k}."""
    found = set()
    for token in tag.lower().split("_"):
        for dataset, tag_pattern, _ in DATASETS:
            if re.fullmatch(tag_pattern, token):
                found.add(dataset)
    return found


def from_card(names: list) -> tuple[set[str], list]:
    """Datasets a card's Training Data names, and the names outside the vocabulary (not judged).

    ``ImageNet 21k (fall 2011)`` and ``IG-3.5B-17k`` are known: names are compared lower-case,
    with everything but letters and digits dropped."""
    found, unknown = set(), []
    for name in names:
        squashed = re.sub(r"[^a-z0-9]", "", str(name).lower())
        known = {dataset for dataset, _, card_pattern in DATASETS if re.fullmatch(card_pattern, squashed)}
        found |= known
        if not known:
            unknown.append(name)
    return found, unknown
