"""Which timm architecture and pretrained tag a card means.

The order is the issue's: the `Weights` file (matched against every pretrained config's URL, file
and hub id), then `Metadata.ID`, then `Name` (each through timm's deprecated-name table), then the
architecture's default tag. Naming problems found on the way are findings of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..diagnostics import Finding
from ..rules.walk import closest
from .registry import Registry, hub_id, weights_file, without_hash

ID_AT = ("Metadata", "ID")
NAME_AT = ("Name",)
SUGGESTION_CUTOFF = 0.6  # architecture names differ by digits and suffixes: suggest generously


class Step(StrEnum):
    """Which evidence resolved a card (`Resolution.step`)."""

    WEIGHTS_HUB_ID = "weights-hub-id"  # the Weights URL's Hugging Face hub id
    WEIGHTS_FILE = "weights-file"  # the Weights file name, exactly
    WEIGHTS_STEM = "weights-stem"  # the Weights file name without its content hash
    ID = "id"  # Metadata.ID (with the tag it names)
    NAME = "name"  # Name (with the tag it names)
    DEFAULT_TAG = "default-tag"  # ID or Name without a tag, completed with the architecture's default tag
    DEPRECATED = "deprecated"  # ID or Name through timm's deprecated-name table
    UNRESOLVED = "unresolved"


@dataclass
class Resolution:
    """The exact ``arch.tag`` a card means (None when unknown), which step found it, and how (for messages)."""

    full_name: str | None
    step: Step = Step.UNRESOLVED
    how: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def arch(self) -> str:
        return (self.full_name or "").partition(".")[0]

    @property
    def tag(self) -> str:
        return (self.full_name or "").partition(".")[2]

    def describe(self) -> str:
        """``resnet50.ram_in1k (from its Weights file)``: for finding messages."""
        return f"{self.full_name} ({self.how})"


@dataclass
class _Named:
    """What one name field (ID or Name) says."""

    at: tuple
    label: str
    value: str
    full_name: str | None  # what it resolves to, directly or through the alias table
    deprecated: bool
    removed: bool = False


def resolve(entity, registry: Registry) -> Resolution:
    """Resolve one model entity; the findings cover deprecated, conflicting and unknown names."""
    named = [n for n in (_named(entity, at, label, registry) for at, label in ((ID_AT, "ID"), (NAME_AT, "Name")))
             if n is not None]
    weights = entity.value(("Weights",))
    by_weights = _by_weights(weights, registry, named) if isinstance(weights, str) and weights.strip() else None
    resolved = next((n for n in named if n.full_name), None)
    if by_weights:
        resolution = by_weights
    elif resolved:
        resolution = _by_name(resolved)
    else:
        resolution = Resolution(None, Step.UNRESOLVED, "unresolved")
    shown = named[0] if named else None  # the ID when there is one: the name a card asserts
    if shown is not None:
        resolution.findings.extend(_name_findings(entity, shown, resolution, registry))
    if by_weights:
        conflict = next((n for n in named if _conflicts(n, resolution.full_name)), None)
        if conflict is not None:
            resolution.findings.append(_conflict(entity, conflict, resolution, weights))
    return resolution


def _named(entity, at: tuple, label: str, registry: Registry) -> _Named | None:
    value = entity.value(at)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    current = registry.full_name(value)
    if current:
        return _Named(at, label, value, current, deprecated=False)
    if value in registry.deprecated:
        target = registry.deprecated[value]
        return _Named(at, label, value, registry.full_name(target) if target else None, deprecated=True,
                      removed=target is None)
    return _Named(at, label, value, None, deprecated=False)


def _by_name(named: _Named) -> Resolution:
    """The resolution an ID or Name gives."""
    if named.deprecated:
        step = Step.DEPRECATED
    elif "." not in named.value and "." in named.full_name:
        step = Step.DEFAULT_TAG
    else:
        step = Step.ID if named.at == ID_AT else Step.NAME
    kind = "deprecated " if named.deprecated else ""
    how = f"from its {kind}{named.label} {named.value}" + (", default tag" if step == Step.DEFAULT_TAG else "")
    return Resolution(named.full_name, step, how)


def _by_weights(url: str, registry: Registry, named: list[_Named]) -> Resolution | None:
    """From the Weights URL: hub id, exact file name, then file name without hash.

    Several pretrained configs may share a hub id or a file; the one of the architecture the
    card's ID or Name means is preferred."""
    hub = hub_id(url)
    if hub and hub in registry.hub_ids:
        return Resolution(_preferred(registry.hub_ids[hub], named), Step.WEIGHTS_HUB_ID,
                          f"from its Weights hub id {hub}")
    name = weights_file(url)
    if not name:
        return None
    if registry.files.get(name):
        return Resolution(_preferred(registry.files[name], named), Step.WEIGHTS_FILE,
                          f"from its Weights file {name}")
    candidates = registry.stems.get(without_hash(name), [])
    if len(set(candidates)) != 1:
        return None
    return Resolution(candidates[0], Step.WEIGHTS_STEM, f"from its Weights file {name}, ignoring the file's hash")


def _preferred(candidates: list[str], named: list[_Named]) -> str:
    """The first candidate of an architecture the card names, else the first candidate."""
    archs = {n.full_name.partition(".")[0] for n in named if n.full_name}
    return next((c for c in candidates if c.partition(".")[0] in archs), candidates[0])


def _name_findings(entity, named: _Named, resolution: Resolution, registry: Registry) -> list[Finding]:
    current = resolution.full_name
    if named.deprecated and current:
        via = "" if current == named.full_name else f" (its Weights file; timm's alias says {named.full_name})"
        return [Finding("MI309", f"{named.label} '{named.value}' is a deprecated timm name; the current name is "
                                 f"{current}{via}", entity=entity, at=named.at, expected=current,
                        actual=named.value, replacement=current, fix_description=f"rename to {current}")]
    if named.full_name is None and current:
        reason = "was removed from timm" if named.removed else "is not a timm model name"
        return [Finding("MI309", f"{named.label} '{named.value}' {reason}; the card's model is {current} "
                                 f"({resolution.how})", entity=entity, at=named.at, expected=current,
                        actual=named.value, replacement=current, fix_description=f"rename to {current}")]
    if current is None:
        reason = "was removed from timm" if named.removed else "is not a timm model"
        return [Finding("MI311", f"{named.label} '{named.value}' {reason}, and no Weights file identifies the "
                                 "model", entity=entity, at=named.at, actual=named.value,
                        suggestion=did_you_mean(named.value, registry))]
    return []


def _conflicts(named: _Named, chosen: str) -> bool:
    """The name points elsewhere than the Weights file: another architecture, or another explicit tag."""
    if not named.full_name:
        return False
    if named.full_name.partition(".")[0] != chosen.partition(".")[0]:
        return True
    return (named.deprecated or "." in named.value) and named.full_name != chosen


def _conflict(entity, named: _Named, resolution: Resolution, weights: str) -> Finding:
    source = "timm's deprecated alias" if named.deprecated else "the card's"
    return Finding("MI310", f"the Weights file {weights_file(weights)} is {resolution.full_name}, but {source} "
                            f"{named.label} '{named.value}' means {named.full_name}; checked as {resolution.full_name}",
                   entity=entity, at=("Weights",), expected=resolution.full_name, actual=named.full_name)


def did_you_mean(value: str, registry: Registry) -> str | None:
    """The closest timm architecture name, if any is close."""
    return closest(value.partition(".")[0], registry.architectures, cutoff=SUGGESTION_CUTOFF)
