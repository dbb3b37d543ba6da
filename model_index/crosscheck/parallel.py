"""Measure many units: from the cache when it has them, else in a process pool over architectures.

Workers start from a fresh interpreter (forkserver, else spawn), never by forking a parent that
has run torch. The pool has one worker per usable CPU, as many as the available memory holds
(`capacity`), unless the caller gives a number; a pool size of 1 means this process measures.
A worker that dies (segfault, out-of-memory kill) breaks the pool: the groups it took down are
measured again one at a time, and only a group that kills its worker again is given up, as an
``{"error": ...}`` for each of its units (which the run reports as notices)."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterator

from . import capacity
from .cache import Cache
from .measure import Unit, measure_architecture, valid

PROGRESS_THRESHOLD = 8  # show a bar when at least this many units are measured
PRELOAD = ["torch", "timm", "model_index.crosscheck.measure", "model_index.crosscheck.flop_count",
           "model_index.crosscheck.meta_init"]  # imported once, by the fork server

Measure = Callable[[list[Unit]], list]


def measure_all(units: set[Unit], cache: Cache, progress: bool = False, workers: int | None = None,
                measure: Measure = measure_architecture) -> dict[Unit, dict[str, Any]]:
    """Facts for every unit. Cached facts are read, the rest are measured and cached.

    Units are grouped by architecture: one pool task builds one architecture's models, so a model
    checked at several image sizes is built once per size, in one process. A cached entry that
    is not what `measure` gives (another format, a damaged file) counts as missing."""
    facts: dict[Unit, dict[str, Any]] = {}
    groups: dict[str, list[Unit]] = {}
    for unit in sorted(units, key=lambda unit: unit.key):
        cached = cache.get(unit.key)
        if valid(unit, cached):
            facts[unit] = cached
        else:
            groups.setdefault(unit.arch, []).append(unit)
    if not groups:
        return facts
    workers = worker_count(len(groups), workers)
    bar = _bar(sum(len(g) for g in groups.values()), workers, progress)
    for unit, measured in _run(list(groups.values()), workers, measure):
        facts[unit] = measured
        if "error" not in measured:
            cache.put(unit.key, measured)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return facts


def pool_size(workers: int | None = None) -> int:
    """`workers` if given, else what the machine holds (`capacity`); 1 means this process measures."""
    return workers or capacity.automatic_workers()


def worker_count(groups: int, workers: int | None = None) -> int:
    """Workers for `groups` architectures: never more than there are groups; 0 when this process
    measures them itself."""
    size = pool_size(workers)
    return min(size, groups) if size > 1 else 0


def in_worker(function: Callable[[], Any], workers: int | None = None) -> Any:
    """`function()` run by a pool worker when workers fork from a server that imports torch and
    timm anyway, so that this process need not import them too; else run here.

    The server is started now, so a cold run pays for one import of torch and timm, not two (one
    here for the registry snapshot, one in the server for the measuring)."""
    if pool_size(workers) <= 1 or _context().get_start_method() != "forkserver":
        return function()
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
            return pool.submit(function).result()
    except BrokenProcessPool:  # the worker died: run it here, where an error can be reported
        return function()


def _run(groups: list[list[Unit]], workers: int, measure: Measure) -> Iterator[tuple[Unit, dict]]:
    if not workers:
        for group in groups:
            yield from measure(group)
        return
    # architectures with the most units first, so that no worker is left with a long task at the end
    groups = sorted(groups, key=lambda g: -len(g))
    broken = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = {pool.submit(measure, group): group for group in groups}
        for future in as_completed(futures):
            try:
                results = future.result()
            except BrokenProcessPool:  # a worker died: this group may be its victim or its cause
                broken.append(futures[future])
                continue
            except Exception as error:  # the task itself failed (e.g. its result would not pickle)
                results = _failed(futures[future], f"{type(error).__name__}: {error}")
            yield from results
    yield from _one_at_a_time(broken, measure)


def _one_at_a_time(groups: list[list[Unit]], measure: Measure) -> Iterator[tuple[Unit, dict]]:
    """Measure groups in one worker, one task at a time, so that a worker's death names its group."""
    pool = None
    try:
        for group in groups:
            pool = pool or ProcessPoolExecutor(max_workers=1, mp_context=_context())
            try:
                results = pool.submit(measure, group).result()
            except BrokenProcessPool:
                pool.shutdown()
                pool = None
                results = _failed(group, "the measuring process died (crash or out of memory)")
            except Exception as error:
                results = _failed(group, f"{type(error).__name__}: {error}")
            yield from results
    finally:
        if pool is not None:
            pool.shutdown()


def _failed(group: list[Unit], error: str) -> list[tuple[Unit, dict]]:
    return [(unit, {"error": error}) for unit in group]


def _context():
    """forkserver where it exists (POSIX), else spawn: never fork a process holding torch's threads.

    The fork server imports torch and timm once, before any of them runs, and workers fork from
    it with both imported (a setting for the whole process, used when the server first starts)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _bar(total: int, workers: int, progress: bool):
    if not progress or total < PROGRESS_THRESHOLD:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm comes with timm's dependencies; without it there is simply no bar
        return None
    where = f"{workers} worker{'s' if workers > 1 else ''}" if workers else "in this process"
    return tqdm(total=total, desc=f"measuring models ({where})", unit="model", file=sys.stderr, leave=False)
