"""The rounding rule and decimal agreement (no torch needed)."""

import pytest

from model_index.crosscheck.numbers import agrees_decimals, agrees_rounded, significant_digits


@pytest.mark.parametrize("declared, measured, agrees", [
    (25560000, 25_557_032, True),  # the example: 4 significant digits written
    (25557032, 25_557_032, True),
    (25557000, 25_557_632, False),  # 5 digits written: 25,558,000 expected
    (11690000, 11_689_512, True),
    (16820000, 16_806_976, False),  # 16.81M, not 16.82M
    (66349999, 66_347_960, True),  # 66.35e6 truncated by a float round-trip: 4 digits meant
    (66350001, 66_347_960, True),
    (66349999, 66_547_960, False),  # the digits meant are still checked
    (25557031, 25_557_032, False),  # off by one, but all 8 digits are meant
    (25.56e6, 25_557_032, True),
    (25.5e6 + 0.5, 25_557_032, False),
])
def test_rounding_rule(declared, measured, agrees):
    assert agrees_rounded(declared, measured) is agrees


def test_significant_digits_ignore_trailing_zeros():
    assert (significant_digits(25560000), significant_digits(25557032), significant_digits(0)) == (4, 8, 1)


@pytest.mark.parametrize("declared, value, agrees", [
    ("80.05%", 80.046, True), ("80.04%", 80.046, False), ("80.0%", 80.046, True), (80.045, 80.045, True),
    ("80.04%", 80.045, True), ("80.05%", 80.045, True),  # a tie may be written either way
])
def test_decimal_agreement(declared, value, agrees):
    assert agrees_decimals(declared, value) is agrees
