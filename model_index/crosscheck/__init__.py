"""Cross-check cards against the real timm model (torch and timm are imported lazily)."""

from __future__ import annotations


def run(index, options, notices: list[str]) -> list:
    """Placeholder until the cross-check lands: reports that it did not run."""
    notices.append("cross-check not available yet")
    return []
