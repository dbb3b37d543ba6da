"""Cross-check cards against the real timm model, measured on PyTorch's meta device.

`run` is the stage `lint.validate` calls. It resolves every model to an exact timm ``arch.tag``
(`resolve`), measures what the cards declare (`measure`, in a process pool, cached on disk by
`cache`) and compares (`checks`, `results`). torch and timm are imported only when something
must be measured or the registry snapshot is not cached yet, and then by the pool's workers (by
this process only when the pool size is 1)."""

from __future__ import annotations

import importlib.util

from ..config import ConfigError
from ..diagnostics import Finding, Result
from ..schema import as_number
from . import results as results_mod
from .budget import FlopsBudget
from .cache import Cache
from .checks import Subject, check
from .measure import FLOPS, MODEL, Unit
from .parallel import in_worker, measure_all
from .registry import Registry, build
from .resolve import resolve

INSTALL_HINT = "pip install 'model-index[timm]'"


def available() -> bool:
    """torch and timm are importable (found without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("torch", "timm"))


def run(index, options, result: Result) -> list[Finding]:
    """Cross-check every model of `index`. `result` receives what the user should know (notices)
    and the timm name each model resolved to (`resolved`)."""
    notices = result.notices
    if not available():
        if options.cross_check == "always":
            raise ConfigError(f"--cross-check=always needs torch and timm ({INSTALL_HINT})")
        notices.append(f"cross-check skipped: torch and timm are not installed ({INSTALL_HINT})")
        return []
    if not index.models:
        return []
    table = results_mod.read(options.results) if options.results else None  # a bad path fails before measuring
    cache = Cache(options.cache_dir, options.use_cache)
    registry = load_registry(cache, options.jobs)
    budget = FlopsBudget(registry)
    findings: list[Finding] = []
    plans = []
    for entity in index.models:
        resolution = resolve(entity, registry)
        findings.extend(resolution.findings)
        if resolution.full_name:
            result.resolved[entity] = resolution.full_name
            plans.append((entity, resolution, *units_for(entity, resolution, registry)))
            budget.offer(entity.path, *plans[-1][2:])
    facts = measure_all({plan[2] for plan in plans} | budget.units, cache, options.progress, options.jobs)
    if budget.notice():
        notices.append(budget.notice())
    for entity, resolution, model_unit, flops_unit in plans:
        for unit in (model_unit, flops_unit):
            notice = _notice(unit, facts.get(unit, {}))
            if notice and notice not in notices:
                notices.append(notice)
        model_facts = None if "error" in facts[model_unit] else facts[model_unit]
        findings.extend(check(Subject(entity, resolution, registry, model_facts,
                                      facts.get(flops_unit, {}).get("flops"), flops_unit.image_size)))
    if table is not None:
        for entity, resolution, *_ in plans:
            names = [entity.value(("Metadata", "ID")), entity.name, resolution.full_name, resolution.arch]
            findings.extend(results_mod.check(entity, [n for n in names if isinstance(n, str)], table))
    return findings


def units_for(entity, resolution, registry: Registry) -> tuple[Unit, Unit]:
    """The model unit at the config's input size (parameters, checkpoint) and the FLOPs unit at the
    card's Image Size."""
    input_size = registry.cfg(resolution.full_name).get("input_size")
    default = input_size[-1] if input_size else 224
    declared = as_number(entity.value(("Metadata", "Image Size")))
    declared = int(declared) if isinstance(declared, (int, float)) and 16 <= declared <= 4096 else default
    return Unit(resolution.full_name, default, MODEL), Unit(resolution.full_name, declared, FLOPS)


def load_registry(cache: Cache, workers: int | None = None) -> Registry:
    """timm's registry snapshot, from the cache when a readable one is there. Building it imports
    torch and timm, which the measuring workers import anyway, so a worker builds it (`in_worker`)."""
    cached = Registry.from_dict(cache.get("registry"))
    if cached is not None:
        return cached
    registry = in_worker(build, workers)
    cache.put("registry", registry.as_dict())
    return registry


def _notice(unit: Unit, facts: dict) -> str | None:
    """What the user should know about a unit that has no usable facts (a model that fails to build
    gives its model and FLOPs units the same notice, shown once)."""
    if "error" in facts:
        return f"could not measure {unit.full_name} at {unit.image_size} px: {facts['error']}"
    if "flops_error" in facts:
        return f"could not count the FLOPs of {unit.full_name} at {unit.image_size} px: {facts['flops_error']}"
    return None
