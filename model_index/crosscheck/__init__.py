"""Cross-check cards against the real timm model, measured on PyTorch's meta device.

`run` is the stage `lint.validate` calls. It resolves every model to an exact timm ``arch.tag``
with its evidence and confidence (`resolve`), keeps the models something ties to timm (`scope`),
measures what the cards declare (`measure`, in a process pool, cached on disk by `cache`), doubts
resolutions the cards' own numbers contradict, learns each card's FLOPs convention
(`conventions`) and compares (`checks`, `results`). torch and timm are imported only when
something must be measured or the registry snapshot is not cached yet, and then by the pool's
workers (by this process only when the pool size is 1)."""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

from ..config import Config, ConfigError
from ..diagnostics import Finding, Result
from ..extras import install_hint, missing
from ..schema import as_number
from . import conventions, scope
from . import results as results_mod
from .budget import FlopsBudget
from .cache import Cache
from .checks import Subject, check, doubt
from .measure import FLOPS, MODEL, Unit
from .parallel import in_worker, measure_all
from .registry import Registry, build
from .resolve import Resolution, resolve

INSTALL_HINT = install_hint("timm")


def available() -> bool:
    """torch and timm are importable (found without importing them)."""
    return not missing("timm")


def run(index, options, result: Result, config: Config | None = None) -> list[Finding]:
    """Cross-check every timm model of `index` in the run's scope (`options.in_scope`: all, or those of
    the cards changed since --changed-since's ref), each file's models as `config` scopes them
    (`Config.cross_check_scope`). `result` receives what the user should know (notices) and the timm
    name each checked model resolved to (`resolved`)."""
    notices = result.notices
    if not available():
        if options.cross_check in ("always", "timm"):
            raise ConfigError(f"--cross-check={options.cross_check} needs torch and timm ({INSTALL_HINT})")
        notices.append(f"cross-check skipped: torch and timm are not installed ({INSTALL_HINT})")
        return []
    models = [entity for entity in index.models if options.in_scope(entity.path)]  # --changed-since's scope
    scope_of = functools.cache(functools.partial((config or Config()).cross_check_scope,
                                                 cross_check=options.cross_check))
    left_out = sum(scope_of(entity.path) == "never" for entity in models)
    if left_out:
        notices.append(f"{left_out} model(s) were not cross-checked: per-file-cross-check says never for their files")
    models = [entity for entity in models if scope_of(entity.path) != "never"]
    if not models:
        return []
    table = results_mod.read(options.results) if options.results else None  # a bad path fails before measuring
    cache = Cache(options.cache_dir, options.use_cache)
    registry = load_registry(cache, options.jobs)
    findings, plans, outside = _resolve_all(index, models, registry, scope_of)
    budget = FlopsBudget(registry)  # FLOPs at a bounded number of sizes per architecture and card
    for entity, _, model_unit, flops_unit in plans:
        budget.offer(entity.path, model_unit, flops_unit)
    facts = measure_all({plan[2] for plan in plans} | budget.units, cache, options.progress, options.jobs)
    for notice in (cache.notice, budget.notice()):
        if notice:
            notices.append(notice)
    subjects = []
    for entity, resolution, model_unit, flops_unit in plans:
        for unit in (model_unit, flops_unit):
            notice = _notice(unit, facts.get(unit, {}))
            if notice and notice not in notices:
                notices.append(notice)
        model_facts = None if "error" in facts[model_unit] else facts[model_unit]
        subject = Subject(entity, resolution, registry, model_facts, facts.get(flops_unit, {}).get("flops"),
                          flops_unit.size_text)
        doubtful = doubt(subject)
        if doubtful:  # the resolution is reported, not what it would make of the card
            findings.append(doubtful)
            continue
        findings.extend(resolution.findings)
        result.resolved[entity] = resolution.full_name
        subjects.append(subject)
    findings.extend(_compare(subjects, notices))
    if table is not None:
        for subject in subjects:
            entity, resolution = subject.entity, subject.resolution
            # not the bare architecture's row: it measured whichever tag was the default when it was written
            names = [entity.value(("Metadata", "ID")), entity.name, resolution.full_name]
            names = [n for n in names if isinstance(n, str)]
            findings.extend(results_mod.check(entity, names, table))
            for unreadable in table.unreadable.get(table.row_name(names) or "", []):
                notice = f"{unreadable}: not compared with the card of {entity.name or names[0]}"
                if notice not in notices:
                    notices.append(notice)
    if outside:
        notices.append(f"{outside} model(s) are not timm models and were not cross-checked (timm knows neither their "
                       "Weights file nor their name, and no Code link into timm or configuration says they are timm's)")
    return findings


def resolve_timm_models(index, registry: Registry, scope_of: Callable[[str], str] | None = None,
                        models: list | None = None) -> Iterator[tuple[Any, Resolution, bool]]:
    """Every model (of `models`, default all of `index`) with its resolution, and whether it is a timm
    model (`scope.is_timm`: what resolved it or what the card claims ties it to timm). `scope_of`
    gives a file's scope (`Config.cross_check_scope`; default auto): timm claims every model of the
    file, never leaves them out."""
    scope_of = scope_of or (lambda path: "auto")
    collections, front_matter = scope.owners(index)
    for entity in index.models if models is None else models:
        zoo = scope_of(entity.path)
        if zoo == "never":
            continue
        resolution = resolve(entity, registry)
        claimed = scope.claim(entity, collections, front_matter, timm_zoo=zoo == "timm")
        yield entity, resolution, scope.is_timm(resolution, claimed)


def _resolve_all(index, models: list, registry: Registry,
                 scope_of: Callable[[str], str]) -> tuple[list[Finding], list[tuple], int]:
    """Resolve every model: the findings of models that claim timm but resolve to nothing, a
    measuring plan per model to check, and how many models are outside timm's scope."""
    findings, plans, outside = [], [], 0
    for entity, resolution, is_timm in resolve_timm_models(index, registry, scope_of, models):
        if not is_timm:
            outside += 1
        elif resolution.full_name is None:
            findings.extend(resolution.findings)  # unknown-model: it claims timm and timm has no such model
        else:
            plans.append((entity, resolution, *units_for(entity, resolution, registry)))
    return findings, plans, outside


def _compare(subjects: list[Subject], notices: list[str]) -> list[Finding]:
    """Every check of every subject, FLOPs against the convention its card keeps."""
    learned = conventions.by_card((s.entity.path, s.mac_ratio) for s in subjects
                                  if s.mac_ratio is not None and not s.flops_below_parameters)
    findings = []
    for subject in subjects:
        subject.convention = learned.get(subject.entity.path)
        findings.extend(check(subject))
    notice = conventions.notice(learned)
    if notice:
        notices.append(notice)
    return findings


def units_for(entity, resolution, registry: Registry) -> tuple[Unit, Unit]:
    """The model unit at the config's input size (parameters, checkpoint) and the FLOPs unit at the
    card's Image Size, else at the config's input size (height × width when it is not square)."""
    model_unit, config_flops = config_units(resolution.full_name, registry)
    declared = as_number(entity.value(("Metadata", "Image Size")))
    if isinstance(declared, (int, float)) and 16 <= declared <= 4096:
        return model_unit, Unit(resolution.full_name, int(declared), FLOPS)
    return model_unit, config_flops


def config_units(full_name: str, registry: Registry) -> tuple[Unit, Unit]:
    """The model and FLOPs units of a tag at its pretrained config's input size: the FLOPs at its
    height × width when they differ, the model (whose size does not depend on it) keyed by the width."""
    input_size = registry.cfg(full_name).get("input_size")
    height, width = (int(input_size[-2]), int(input_size[-1])) if input_size and len(input_size) >= 2 else (224, 224)
    return Unit(full_name, width, MODEL), Unit(full_name, width, FLOPS, None if height == width else height)


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
        return f"could not measure {unit.full_name} at {unit.size_text} px: {facts['error']}"
    if "flops_error" in facts:
        return f"could not count the FLOPs of {unit.full_name} at {unit.size_text} px: {facts['flops_error']}"
    return None
