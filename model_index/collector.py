"""Pausing Python's garbage collector for a run, which makes many objects and no reference cycles."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """Pause the garbage collector, and restore its state on the way out, exceptions included.

    A run makes no reference cycles (the YAML builder, the schema, the rules and the reports make
    none), so collecting frees nothing; yet each full collection walks every node of every card
    loaded so far, which on a large zoo costs seconds. Usable as a decorator."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
