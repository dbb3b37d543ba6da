"""MI2xx: values and style: numbers, ranges, vocabulary, empty values (URLs: see urls.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .. import shape
from ..diagnostics import Applicability, Finding
from ..numbers import as_number
from . import rule, walk

if TYPE_CHECKING:
    from ..index import Index

# Sizes and counts: zero or less is always a mistake.
POSITIVE_KEYS = ("Parameters", "FLOPs", "File Size", "Epochs", "Batch Size", "Minibatch Size", "Layers",
                 "Image Size", "Training Steps")
CROP_PCT_MAX = 1.5
# What timm's transforms accept (timm.data.transforms.str_to_interp_mode, plus 'random' of
# RandomResizedCropAndInterpolation).
INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "box", "hamming", "lanczos", "random")


@rule("MI201", "number-as-string", "warning", fixable=True)
def number_as_string(index: Index) -> Iterator[Finding]:
    """A numeric metadata value written as a string, e.g. `Crop Pct: '0.875'` or `Image Size: '224'`.

    The schema reads it as a number, but other tools compare strings. The fix writes the number.
    Metric values are not concerned: `80.05%` is the format's usual style for them.

    Example: `Image Size: '480'` → `Image Size: 480`.
    """
    numeric = shape.numeric_keys("Metadata")
    for entity in index.entities:
        for at, key, value in walk.metadata_values(entity, numeric):
            number = as_number(value)
            if isinstance(value, str) and number is not None and "%" not in value:
                yield Finding("MI201", f"{key} is written as a string", entity=entity, at=at, expected=number,
                              actual=value, replacement=number, fix_description=f"write {number} unquoted")


@rule("MI202", "non-positive", "error")
def non_positive(index: Index) -> Iterator[Finding]:
    """A size or count that is zero or negative.

    Checked in Parameters, FLOPs, File Size, Epochs, Batch Size, Minibatch Size, Layers, Image Size
    and Training Steps, in models and collections.

    Example: `Parameters: 0` (often a placeholder that was never filled in).
    """
    for entity in index.entities:
        for at, key, value in walk.metadata_values(entity, POSITIVE_KEYS):
            number = as_number(value)
            if number is not None and number <= 0:
                yield Finding("MI202", f"{key} must be greater than 0", entity=entity, at=at, actual=value)


@rule("MI203", "crop-pct-range", "error")
def crop_pct_range(index: Index) -> Iterator[Finding]:
    """`Crop Pct` outside (0, 1.5].

    It is the fraction of the resized image kept by the center crop at evaluation: timm's
    configurations use 0.875 to 1.0, a few up to 1.15. A percentage (`87.5`) is a common slip.

    Example: `Crop Pct: 87.5` instead of `Crop Pct: 0.875`.
    """
    for entity in index.entities:
        for at, key, value in walk.metadata_values(entity, ("Crop Pct",)):
            number = as_number(value)
            if number is not None and not 0 < number <= CROP_PCT_MAX:
                yield Finding("MI203", f"Crop Pct must be in (0, {CROP_PCT_MAX}]", entity=entity, at=at,
                              expected=f"(0, {CROP_PCT_MAX}]", actual=value)


@rule("MI204", "unknown-interpolation", "error", fixable=True)
def unknown_interpolation(index: Index) -> Iterator[Finding]:
    """`Interpolation` is not one of timm's: nearest, bilinear, bicubic, box, hamming, lanczos, random.

    The names are lower case. A different case is fixed to lower case (a safe fix), and a close
    misspelling to the name it resembles (an unsafe fix: `--unsafe-fixes`).

    Example: `Interpolation: bicubc` → `bicubic`; `Interpolation: Bilinear` → `bilinear`.
    """
    for entity in index.entities:
        for at, key, value in walk.metadata_values(entity, ("Interpolation",)):
            if not isinstance(value, str) or value in INTERPOLATIONS or walk.is_blank(value):
                continue
            match = walk.closest(value.strip(), INTERPOLATIONS)
            case_only = match == value.strip().lower()
            yield Finding("MI204", f"unknown interpolation '{value}'", entity=entity, at=at,
                          expected=list(INTERPOLATIONS), actual=value, suggestion=match, replacement=match,
                          fix_description=f"write {match}" if match else None,
                          applicability=Applicability.SAFE if case_only else Applicability.UNSAFE)


@rule("MI205", "empty-value", "warning")
def empty_value(index: Index) -> Iterator[Finding]:
    """An empty string or a null value, e.g. `Config: ''` or `Training Time:` with nothing after it.

    An empty value says nothing and renders as a blank cell: remove the key or fill it in. A
    missing `Name`, `Task`, `Dataset` or `Metrics` is reported by missing-name and
    incomplete-result instead.

    Example: `Training Time: ''`.
    """
    for entity in index.entities:
        for at, value in walk.blank_leaves(entity.raw):
            if not _reported_elsewhere(entity, at):
                yield Finding("MI205", f"{entity.field_name(at)} is empty", entity=entity, at=at, actual=value)


def _reported_elsewhere(entity, at: tuple) -> bool:
    """Required keys have rules of their own; values of disallowed YAML tags are MI003's."""
    return bool(at) and at[-1] in walk.REQUIRED_KEYS or entity.base + at in entity.tree.rejected
