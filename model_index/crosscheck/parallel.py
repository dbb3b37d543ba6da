"""Measure many units: from the cache when it has them, else in a process pool over architectures."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable

from .cache import Cache
from .measure import Unit, measure_architecture

PROGRESS_THRESHOLD = 8  # show a bar when at least this many units are measured


def measure_all(units: set[Unit], cache: Cache, progress: bool = False, workers: int | None = None,
                measure: Callable[[list[Unit]], list] = measure_architecture) -> dict[Unit, dict[str, Any]]:
    """Facts for every unit. Cached facts are read, the rest are measured and cached.

    Units are grouped by architecture: one pool task builds one architecture's models, so a model
    checked at several image sizes is built once per size, in one process."""
    facts: dict[Unit, dict[str, Any]] = {}
    groups: dict[str, list[Unit]] = {}
    for unit in sorted(units):
        cached = cache.get(unit.key)
        if cached is not None:
            facts[unit] = cached
        else:
            groups.setdefault(unit.arch, []).append(unit)
    if not groups:
        return facts
    bar = _bar(sum(len(g) for g in groups.values()), progress)
    for unit, measured in _run(list(groups.values()), workers, measure):
        facts[unit] = measured
        if "error" not in measured:
            cache.put(unit.key, measured)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return facts


def _run(groups: list[list[Unit]], workers: int | None, measure):
    workers = min(workers or os.cpu_count() or 1, len(groups))
    if workers <= 1:
        for group in groups:
            yield from measure(group)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    # architectures with the most units first, so that no worker is left with a long task at the end
    groups = sorted(groups, key=lambda g: -len(g))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for future in as_completed([pool.submit(measure, group) for group in groups]):
            yield from future.result()


def _bar(total: int, progress: bool):
    if not progress or total < PROGRESS_THRESHOLD:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm comes with timm's dependencies; without it there is simply no bar
        return None
    return tqdm(total=total, desc="measuring models", unit="model", file=sys.stderr, leave=False)
