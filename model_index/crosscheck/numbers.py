"""How a declared number agrees with a measured one: the rounding rule and relative tolerances."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from ..schema import as_number

CONFIG_TOLERANCE = 0.0005 + 1e-9  # crop_pct, mean, std: configs write three decimals


def significant_digits(value: int | float) -> int:
    """Significant digits of an integer as written: ``25560000`` has 4, ``25557032`` has 8."""
    digits = str(abs(int(value))).rstrip("0")
    return max(len(digits), 1)


def round_significant(value: float, digits: int) -> int:
    """`value` rounded to `digits` significant digits (half away from zero), as an integer."""
    if value == 0:
        return 0
    exponent = int(math.floor(math.log10(abs(value)))) - digits + 1
    scale = 10 ** exponent
    return int(math.copysign(math.floor(abs(value) / scale + 0.5) * scale, value))


def agrees_rounded(declared: int | float, measured: int | float) -> bool:
    """A declared count agrees when it equals the measured one rounded to its significant digits.

    ``25560000`` agrees with 25,557,032 (4 significant digits written); ``25557000`` does not
    agree with 25,557,632. A count written with a fraction (``25.56e6`` read as a float) is
    compared the same way once it is integral."""
    if isinstance(declared, float) and not declared.is_integer():
        return False
    declared = as_written(int(declared))
    return declared == round_significant(measured, significant_digits(declared))


def off_in_last_digit(declared: int | float, measured: int | float) -> bool:
    """A count written rounded to three or more significant digits that is one unit off in its last
    one: ``55850000`` for 55,843,464 (55.84M), ``16820000`` for 16,806,976 (16.81M). Rounding that
    went the wrong way, not a different model."""
    if isinstance(declared, float) and not declared.is_integer():
        return False
    declared = as_written(int(declared))
    digits = significant_digits(declared)
    if digits < 3 or declared <= 0:
        return False
    unit = 10 ** (len(str(declared)) - digits)
    return abs(declared - round_significant(measured, digits)) == unit


def as_written(count: int) -> int:
    """A count as its author meant it: ``66349999`` is 66.35e6 after a float round-trip.

    Off by one from a number with at least three fewer significant digits means a truncated float,
    not eight digits the author vouches for."""
    for neighbour in (count + 1, count - 1):
        if significant_digits(neighbour) <= significant_digits(count) - 3:
            return neighbour
    return count


def decimals(value: Any) -> int:
    """Decimal places a value was written with (``'80.05%'`` → 2, ``0.875`` → 3, ``1`` → 0)."""
    text = str(value).strip().rstrip("%").replace(",", "")
    try:
        exponent = Decimal(text).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def agrees_decimals(declared: Any, measured: float) -> bool:
    """A declared decimal agrees when it equals the measured value rounded to its decimal places.

    Either direction of a tie is accepted (``80.045`` may be written 80.04 or 80.05)."""
    number = as_number(declared)
    if number is None:
        return False
    places = decimals(declared)
    return abs(number - measured) <= 0.5 * 10 ** -places + 1e-9


def relative_difference(declared: float, measured: float) -> float:
    """|declared − measured| / measured (infinite when measured is zero and they differ)."""
    if measured == 0:
        return 0.0 if declared == 0 else math.inf
    return abs(declared - measured) / abs(measured)
