"""MI1xx: structure and references across cards: collections, names, results, imports."""

from __future__ import annotations
