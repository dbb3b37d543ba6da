"""Which timm architecture and pretrained tag a card means, on what evidence, and how surely.

The evidence is tried in order: the `Weights` URL (a Hugging Face hub id or a file name that a
pretrained config lists: exact), `Metadata.ID`, then `Name` (an exact current ``arch.tag``: exact;
through timm's deprecated-name table: alias), then the weights file's name without its content
hash (a guess). A name without a tag leaves the tag to choose: the card's own facts choose it
(`evidence.choose`), the architecture's default tag only when they do not tell the tags apart, and
either way it is a guess. Naming problems found on the way are findings of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..diagnostics import Applicability, Finding
from . import evidence, scope
from .registry import Registry, hub_id, weights_file, without_hash

ID_AT = ("Metadata", "ID")
NAME_AT = ("Name",)
WEIGHTS_AT = ("Weights",)


class Confidence(StrEnum):
    """How surely a resolution names the card's model, surest first."""

    EXACT = "exact"  # a weights file or hub id timm lists, or an exact current arch.tag
    ALIAS = "alias"  # a name through timm's deprecated-name table
    GUESS = "guess"  # a tag chosen for a name without one, or a weights file matched by its stem only

    @property
    def applicability(self) -> Applicability:
        """What a fix writing a value measured on such a resolution may be."""
        return {Confidence.EXACT: Applicability.SAFE, Confidence.ALIAS: Applicability.UNSAFE,
                Confidence.GUESS: Applicability.DISPLAY_ONLY}[self]


class Step(StrEnum):
    """Which evidence resolved a card (`Resolution.step`)."""

    WEIGHTS_HUB_ID = "weights-hub-id"  # the Weights URL's Hugging Face hub id
    WEIGHTS_FILE = "weights-file"  # the Weights file name, exactly
    WEIGHTS_STEM = "weights-stem"  # the Weights file name without its content hash
    ID = "id"  # Metadata.ID (with the tag it names)
    NAME = "name"  # Name (with the tag it names)
    CHOSEN_TAG = "chosen-tag"  # ID or Name without a tag, the tag chosen by the card's facts
    DEFAULT_TAG = "default-tag"  # ID or Name without a tag, nothing telling the tags apart: the default tag
    DEPRECATED = "deprecated"  # ID or Name through timm's deprecated-name table
    UNRESOLVED = "unresolved"


@dataclass
class Resolution:
    """The exact ``arch.tag`` a card means (None when unknown), on what evidence and how surely.

    `at` is the card's field the resolution rests on; `tied` says whether that evidence ties the
    model to timm by itself (a weights file or hub id timm lists, a timm name), which a weights
    file's stem alone does not."""

    full_name: str | None
    step: Step = Step.UNRESOLVED
    how: str = "unresolved"
    confidence: Confidence = Confidence.GUESS
    at: tuple = ()
    tied: bool = False
    evidence: list[str] = field(default_factory=list)  # the card's facts that chose the tag
    findings: list[Finding] = field(default_factory=list)

    @property
    def arch(self) -> str:
        return (self.full_name or "").partition(".")[0]

    @property
    def tag(self) -> str:
        return (self.full_name or "").partition(".")[2]

    def describe(self) -> str:
        """``resnet50.ram_in1k (from its Weights file ...)``: for finding messages."""
        return f"{self.full_name} ({self.how})"


@dataclass
class _Named:
    """What one name field (ID or Name) says."""

    at: tuple
    label: str
    value: str
    full_name: str | None  # what it names, directly or through the alias table (a bare arch when no tag is named)
    deprecated: bool
    removed: bool = False

    @property
    def tagged(self) -> bool:
        """The name pins a tag: it is ``arch.tag``, or an alias to one."""
        return "." in (self.full_name or "")


def resolve(entity, registry: Registry) -> Resolution:
    """Resolve one model entity; the findings cover deprecated, conflicting and unknown names."""
    named = [n for n in (_named(entity, at, label, registry) for at, label in ((ID_AT, "ID"), (NAME_AT, "Name")))
             if n is not None]
    weights = entity.value(WEIGHTS_AT)
    weights = weights.strip() if isinstance(weights, str) and weights.strip() else None
    by_weights = _by_weights(entity, weights, registry, named) if weights else None
    by_name = next((n for n in named if n.full_name), None)
    if by_weights and (by_weights.confidence is Confidence.EXACT or by_name is None):
        resolution = by_weights
    elif by_name:
        resolution = _by_name(entity, by_name, registry)
    else:
        resolution = Resolution(None)
    if resolution.step in (Step.WEIGHTS_HUB_ID, Step.WEIGHTS_FILE):
        conflict = next((n for n in named if _conflicts(n, resolution.full_name)), None)
        if conflict is not None:  # one of the two is wrong, and nothing says which: no better than a guess
            resolution.confidence = Confidence.GUESS
            resolution.findings.append(_conflict(entity, conflict, resolution, weights))
    shown = named[0] if named else None  # the ID when there is one: the name a card asserts
    if shown is not None:
        resolution.findings.extend(_name_findings(entity, shown, resolution, registry))
    return resolution


def _named(entity, at: tuple, label: str, registry: Registry) -> _Named | None:
    value = entity.value(at)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    arch, _, tag = value.partition(".")
    if arch in registry.default_tags and (not tag or value in registry.cfgs):
        return _Named(at, label, value, value, deprecated=False)
    if value in registry.deprecated:
        target = registry.deprecated[value]
        known = target is not None and (target in registry.cfgs or target in registry.default_tags)
        return _Named(at, label, value, target if known else None, deprecated=True, removed=target is None)
    return _Named(at, label, value, None, deprecated=False)


def _by_name(entity, named: _Named, registry: Registry) -> Resolution:
    """The resolution an ID or Name gives: exact for a current ``arch.tag``, alias through the
    deprecated-name table, a guess when the tag is left to choose."""
    kind = "deprecated " if named.deprecated else ""
    how = f"from its {kind}{named.label} {named.value}"
    if named.tagged:
        step = Step.DEPRECATED if named.deprecated else Step.ID if named.at == ID_AT else Step.NAME
        confidence = Confidence.ALIAS if named.deprecated else Confidence.EXACT
        return Resolution(named.full_name, step, how, confidence, named.at, tied=True)
    options = candidates(named.full_name, registry)
    full_name, reasons = evidence.choose(entity, options, registry)
    tag = full_name.partition(".")[2]
    if reasons:
        step, how = Step.CHOSEN_TAG, f"{how}, tag {tag} chosen by its {', '.join(reasons)}"
    elif full_name == options[0]:
        step, how = Step.DEFAULT_TAG, f"{how}, default tag"
    else:
        step, how = Step.CHOSEN_TAG, f"{how}, tag {tag}, the first of the tags its facts fit equally"
    if named.deprecated:
        how = f"{how}; via timm's alias {named.full_name}"
    return Resolution(full_name, step, how, Confidence.GUESS, named.at, tied=True, evidence=reasons)


def candidates(arch: str, registry: Registry) -> list[str]:
    """The architecture's pretrained ``arch.tag`` names, its default tag first (the bare
    architecture when it has none)."""
    default = f"{arch}.{registry.default_tags.get(arch, '')}"
    tags = [name for name in registry.cfgs if name.partition(".")[0] == arch]
    return sorted(tags, key=lambda name: name != default) or [arch]


def _by_weights(entity, url: str, registry: Registry, named: list[_Named]) -> Resolution | None:
    """From the Weights URL: hub id, exact file name, then file name without hash.

    Several pretrained configs may share a hub id, a file or a stem; the one of the architecture
    the card's ID or Name means is preferred, then the one the card's facts point to."""
    hub = hub_id(url)
    if hub and hub in registry.hub_ids:
        return Resolution(_preferred(entity, registry.hub_ids[hub], named, registry), Step.WEIGHTS_HUB_ID,
                          f"from its Weights hub id {hub}", Confidence.EXACT, WEIGHTS_AT, tied=True)
    name = weights_file(url)
    if not name:
        return None
    if registry.files.get(name):
        return Resolution(_preferred(entity, registry.files[name], named, registry), Step.WEIGHTS_FILE,
                          f"from its Weights file {name}", Confidence.EXACT, WEIGHTS_AT, tied=True)
    found = list(dict.fromkeys(registry.stems.get(without_hash(name), [])))
    if not found:
        return None
    return Resolution(_preferred(entity, found, named, registry), Step.WEIGHTS_STEM,
                      f"from its Weights file {name}, matched by its name without the hash", Confidence.GUESS,
                      WEIGHTS_AT)


def _preferred(entity, found: list[str], named: list[_Named], registry: Registry) -> str:
    """Of several configs, those of an architecture the card names, then the one its facts fit."""
    archs = {n.full_name.partition(".")[0] for n in named if n.full_name}
    return evidence.choose(entity, [c for c in found if c.partition(".")[0] in archs] or found, registry)[0]


def _name_findings(entity, named: _Named, resolution: Resolution, registry: Registry) -> list[Finding]:
    current = resolution.full_name
    rename = Applicability.UNSAFE if resolution.confidence is not Confidence.GUESS else Applicability.DISPLAY_ONLY
    if named.deprecated and current:
        via = f" (its Weights file; timm's alias says {named.full_name})" if _conflicts(named, current) else ""
        return [Finding("MI309", f"{named.label} '{named.value}' is a deprecated timm name; the current name is "
                                 f"{current}{via}", entity=entity, at=named.at, expected=current,
                        actual=named.value, replacement=current, fix_description=f"rename to {current}",
                        applicability=rename)]
    if named.full_name is None and current:
        reason = "was removed from timm" if named.removed else "is not a timm model name"
        return [Finding("MI309", f"{named.label} '{named.value}' {reason}; the card's model is {current} "
                                 f"({resolution.how})", entity=entity, at=named.at, expected=current,
                        actual=named.value, replacement=current, fix_description=f"rename to {current}",
                        applicability=rename)]
    if current is None:
        reason = "was removed from timm" if named.removed else "is not a timm model"
        return [Finding("MI311", f"{named.label} '{named.value}' {reason}, and no Weights file identifies the "
                                 "model", entity=entity, at=named.at, actual=named.value,
                        suggestion=scope.close_name(named.value, registry.architectures))]
    return []


def _conflicts(named: _Named, chosen: str) -> bool:
    """The name points elsewhere than the Weights file: another architecture, or another explicit tag."""
    if not named.full_name:
        return False
    if named.full_name.partition(".")[0] != chosen.partition(".")[0]:
        return True
    return named.tagged and named.full_name != chosen


def _conflict(entity, named: _Named, resolution: Resolution, weights: str) -> Finding:
    source = "timm's deprecated alias" if named.deprecated else "the card's"
    return Finding("MI310", f"the Weights file {weights_file(weights)} is {resolution.full_name}, but {source} "
                            f"{named.label} '{named.value}' means {named.full_name}; checked as {resolution.full_name}",
                   entity=entity, at=WEIGHTS_AT, expected=resolution.full_name, actual=named.full_name)
