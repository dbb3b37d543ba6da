"""`model-index coverage`: what of timm the cards document, and what they name that timm no longer has.

A pretrained tag is documented when a card's model resolves to it (the cross-check's `resolve`:
the Weights file or hub id, the ID, the Name, timm's deprecated names). Families are timm's model
modules (``resnet`` for timm/models/resnet.py). Nothing is measured unless parameter counts are
asked for, and then only for the undocumented tags that are listed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..schema import url_of_code

TIMM_REPOSITORIES = ("huggingface/pytorch-image-models", "rwightman/pytorch-image-models")


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
    reason: str
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


def compute(index, registry, pattern: str = "*") -> Coverage:
    """Coverage of the tags matching `pattern` by the models of `index`."""
    from ..crosscheck.resolve import resolve

    coverage = Coverage(registry.timm_version, pattern)
    documented: set[str] = set()
    for entity in index.models:
        resolution = resolve(entity, registry)
        if resolution.full_name:
            documented.add(resolution.full_name)
            continue
        gone = _gone(entity, registry)
        if gone is not None and matches(gone.name, pattern):
            gone.suggestion = next((f.suggestion for f in resolution.findings if f.suggestion), None)
            coverage.gone.append(gone)
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


def _gone(entity, registry) -> Gone | None:
    """The model, when it names something timm no longer has: a name timm's deprecated table says
    was removed, or an unknown name on a model whose Code links timm (so it was a timm model).
    Models of other zoos name models timm never had; they are not listed."""
    for at in (("Metadata", "ID"), ("Name",)):
        value = entity.value(at)
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        line = entity.span(at).line
        if value in registry.deprecated and registry.deprecated[value] is None:
            return Gone(entity.path, line, entity.name, value, "removed from timm (timm's deprecated-name table)")
        if _links_timm(url_of_code(entity.value(("Code",)))):
            return Gone(entity.path, line, entity.name, value,
                        f"not a timm {registry.timm_version} model, though its Code links timm")
        return None
    return None


def _links_timm(url: str | None) -> bool:
    """A link into timm's repository or into a copy of its source."""
    if not url:
        return False
    parsed = urlparse(url.strip())
    path = parsed.path.strip("/").lower()
    return "timm/models/" in path or (parsed.netloc.lower().endswith("github.com")
                                      and any(path.startswith(repo) for repo in TIMM_REPOSITORIES))


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
