"""MI2xx: values and style: numbers, ranges, vocabulary, empty values, URLs."""

from __future__ import annotations
