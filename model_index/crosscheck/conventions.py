"""FLOPs conventions learned from the cards rather than imposed on them.

Counters disagree on what a FLOP is: some count a multiply-accumulate once (MACs), some twice,
some add activations or count only some layers. timm's 2021 cards, for one, declare about 1.29x
the MACs throughout. When a card's declared FLOPs stand in one steady ratio to the measured MACs
across its models, that ratio is the card's convention, and only the models that break it are
reported. A card with too few models to show a convention, or none of its own, borrows the run's
when the run has one. A card whose models mostly declare plain MACs (or 2 FLOPs per MAC) keeps
that standard convention: its outliers are fixed in it, not in the other one.
"""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Iterable

from .numbers import relative_difference

STANDARD = (1.0, 2.0)  # MACs; FLOPs at 2 per multiply-accumulate
STANDARD_TOLERANCE = 0.05  # counters differ in what they count beyond convolutions and matmuls
LEARNED_TOLERANCE = 0.10  # a learned convention is one counter's: it counts some layers its own way
MIN_MODELS = 3  # fewer ratios show no convention
SHARE = 2 / 3  # of a card's ratios that must lie near their median for it to be a convention
PLAUSIBLE = (0.4, 4.0)  # a steady ratio outside this is a steady unit slip, not a way of counting


def mac_ratio(declared: float, measured_flops: int) -> float | None:
    """Declared FLOPs per measured multiply-accumulate (None when nothing was measured)."""
    return declared / (measured_flops / 2) if measured_flops > 0 else None


def standard(ratio: float) -> float | None:
    """The standard convention (1: MACs, 2: FLOPs) within tolerance of `ratio`, if any."""
    return next((s for s in STANDARD if relative_difference(ratio, s) <= STANDARD_TOLERANCE), None)


def learn(ratios: list[float]) -> float | None:
    """The convention `ratios` share: their median, when there are enough of them, most lie near
    it, and it is plausible; None otherwise (a standard convention is no convention to learn)."""
    if len(ratios) < MIN_MODELS:
        return None
    middle = median(ratios)
    near = sum(relative_difference(r, middle) <= LEARNED_TOLERANCE for r in ratios)
    if near < SHARE * len(ratios) or not PLAUSIBLE[0] <= middle <= PLAUSIBLE[1] or standard(middle):
        return None
    return middle


def kept_standard(ratios: list[float]) -> float | None:
    """The standard convention (1 or 2) that most of `ratios` follow, when there are enough of them."""
    if len(ratios) < MIN_MODELS:
        return None
    counts = Counter(standard(r) for r in ratios)
    return next((s for s in STANDARD if counts[s] >= SHARE * len(ratios)), None)


def by_card(ratios: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each card's convention from (card, ratio) pairs: its own learned multiple, else the standard
    one most of its models keep, else the run's (a card with too few models to show one, or with
    no steady ratio of its own). The run's is learned from the ratios no standard convention
    explains. Cards whose few ratios all follow a standard convention, and cards without any
    convention, are left out."""
    cards: dict[str, list[float]] = {}
    for card, ratio in ratios:
        cards.setdefault(card, []).append(ratio)
    run = learn([r for values in cards.values() for r in values if not standard(r)])
    learned = {card: learn(values) or kept_standard(values) or (run if not all(map(standard, values)) else None)
               for card, values in cards.items()}
    return {card: convention for card, convention in learned.items() if convention is not None}


def follows(ratio: float, convention: float) -> bool:
    return relative_difference(ratio, convention) <= LEARNED_TOLERANCE


def notice(conventions: dict[str, float]) -> str | None:
    """The conventions said once for the run: how many cards follow which multiple (a standard
    convention goes without saying)."""
    conventions = {card: c for card, c in conventions.items() if c not in STANDARD}
    if not conventions:
        return None
    counts = Counter(f"{c:.2f}x" for c in conventions.values())
    shown = ", ".join(f"{value} in {count}" for value, count in counts.most_common(3))
    more = ", ..." if len(counts) > 3 else ""
    return (f"{len(conventions)} card(s) declare FLOPs as a steady multiple of the measured MACs ({shown}{more}) "
            "rather than MACs or 2 FLOPs per MAC; their models were compared with their card's multiple")
