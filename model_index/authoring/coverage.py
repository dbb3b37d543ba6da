"""`model-index coverage`: what of timm the cards document, and what they name that timm no longer has.

A pretrained tag is documented when a timm model of a card resolves to it, as the cross-check
resolves and scopes models (`resolve_timm_models`: the Weights file or hub id, the ID, the Name,
timm's deprecated names; a model is timm's when that evidence or the card ties it to timm). A timm
model that resolves to nothing names a model timm no longer has (unknown-model); other zoos'
models are left out. Families are timm's model modules (``resnet`` for timm/models/resnet.py).
Nothing is measured unless parameter counts are asked for, and then only for the undocumented
tags that are listed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Family:
    """One timm module: its pretrained tags, and how many of them a card documents."""

    name: str
    available: int = 0
    documented: int = 0


@dataclass
class Gone:
    """A card's model that names something timm no longer has."""

    path: str
    line: int
    model: str | None  # the model's Name
    name: str  # the name timm does not know (its ID, else its Name)
    reason: str  # unknown-model's message
    suggestion: str | None = None  # the timm architecture the name may mean, when one is close


@dataclass
class Coverage:
    """The coverage of timm's pretrained tags (those matching `pattern`) by a set of cards."""

    timm_version: str
    pattern: str
    available: int = 0
    documented: int = 0
    undocumented: dict[str, list[str]] = field(default_factory=dict)  # architecture → its undocumented tags
    families: list[Family] = field(default_factory=list)
    gone: list[Gone] = field(default_factory=list)
    parameters: dict[str, int] = field(default_factory=dict)  # arch.tag → parameter count (when measured)


def family_of(arch: str, registry) -> str:
    """The timm module that defines `arch`: ``resnet`` for timm/models/resnet.py."""
    return Path(registry.sources.get(arch, "")).stem or "(unknown)"


def matches(full_name: str, pattern: str) -> bool:
    """A glob on the ``arch.tag`` name or on the architecture alone (``resnet50`` selects its tags)."""
    return fnmatch.fnmatchcase(full_name, pattern) or fnmatch.fnmatchcase(full_name.partition(".")[0], pattern)


def compute(index, registry, pattern: str = "*", scope_of=None) -> Coverage:
    """Coverage of the tags matching `pattern` by the timm models of `index`, each file's models
    scoped as the cross-check scopes them (`scope_of`: `Config.cross_check_scope`; default auto)."""
    from ..crosscheck import resolve_timm_models

    coverage = Coverage(registry.timm_version, pattern)
    documented: set[str] = set()
    for entity, resolution, is_timm in resolve_timm_models(index, registry, scope_of):
        if not is_timm:
            continue  # another zoo's model: timm never had it
        if resolution.full_name:
            documented.add(resolution.full_name)
            continue
        for finding in resolution.findings:  # unknown-model: it claims timm, and timm has no such model
            if finding.code == "MI311" and matches(str(finding.actual), pattern):
                coverage.gone.append(Gone(entity.path, entity.span(finding.at).line, entity.name,
                                          str(finding.actual), finding.message, finding.suggestion))
    families: dict[str, Family] = {}
    for full_name in registry.pretrained:
        if not matches(full_name, pattern):
            continue
        arch = full_name.partition(".")[0]
        family = families.setdefault(family_of(arch, registry), Family(family_of(arch, registry)))
        family.available += 1
        coverage.available += 1
        if full_name in documented:
            family.documented += 1
            coverage.documented += 1
        else:
            coverage.undocumented.setdefault(arch, []).append(full_name)
    coverage.families = sorted(families.values(), key=lambda f: f.name)
    coverage.undocumented = dict(sorted(coverage.undocumented.items()))
    return coverage


def measure_parameters(coverage: Coverage, registry, cache, workers: int | None, progress: bool) -> None:
    """The parameter count of every undocumented tag listed, measured through the pool (cached)."""
    from ..crosscheck.measure import MODEL, Unit
    from ..crosscheck.parallel import measure_all

    units = {}
    for tags in coverage.undocumented.values():
        for full_name in tags:
            size = registry.cfg(full_name).get("input_size") or [224]
            units[Unit(full_name, int(size[-1]), MODEL)] = full_name
    facts = measure_all(set(units), cache, progress, workers)
    coverage.parameters = {full_name: facts[unit]["parameters"] for unit, full_name in units.items()
                           if "parameters" in facts.get(unit, {})}
