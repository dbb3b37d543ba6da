"""Compare one card with the facts measured for the model it resolves to, and with its config.

Every finding rests on the resolution: on a guessed model it is one severity softer and its fix is
display-only; on a model reached through an alias its fix is unsafe (`Confidence.applicability`).
A resolution that the card's own numbers contradict is doubted before the card (`doubt`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..diagnostics import Applicability, Finding
from ..schema import as_number, url_of_code
from . import checkpoint, conventions, datasets, scope
from .numbers import CONFIG_TOLERANCE, agrees_rounded, off_in_last_digit
from .registry import Registry, installed_source, parse_url, weights_file
from .resolve import Confidence, Resolution

DOUBT_RATIO = 2.0  # Parameters or File Size this many times off: the model reached is not the card's
DEFAULT_REPOSITORY = "huggingface/pytorch-image-models"
PINNED = re.compile(r"/[^/]+/[^/]+/(?:(?:blob|tree|raw|blame)/)?([0-9a-fA-F]{40})/")


@dataclass
class Subject:
    """One model being checked: the card entity, what it resolved to, and the measured facts."""

    entity: Any
    resolution: Resolution
    registry: Registry
    facts: dict[str, Any] | None  # parameters and checkpoint summary, at the config's input size
    measured_flops: int | None  # FLOPs at flops_size (None when they could not be counted)
    flops_size: str  # the card's Image Size (the config's input size, `HxW` if not square, when the card has none)
    convention: float | None = None  # the card's FLOPs per MAC, when it keeps one of its own

    @property
    def cfg(self) -> dict[str, Any]:
        return self.registry.cfg(self.resolution.full_name or "")

    def metadata(self, key: str) -> Any:
        return self.entity.value(("Metadata", key))

    @property
    def flops_below_parameters(self) -> bool:
        """The card's FLOPs are fewer than the model's parameters: a slip, not a way of counting."""
        declared = as_number(self.metadata("FLOPs"))
        return bool(self.facts and declared is not None and declared < self.facts["parameters"])

    @property
    def mac_ratio(self) -> float | None:
        """The card's FLOPs per measured multiply-accumulate."""
        declared = as_number(self.metadata("FLOPs"))
        if declared is None or not self.measured_flops:
            return None
        return conventions.mac_ratio(declared, self.measured_flops)

    def finding(self, code: str, key: tuple, message: str, expected: Any = None, actual: Any = None,
                replacement: Any = None, soft: bool = False,
                applicability: Applicability = Applicability.SAFE) -> Finding:
        """A finding on this resolution: softer on a guess, its fix no more applicable than the
        resolution allows."""
        confidence = self.resolution.confidence
        return Finding(code, f"{message} [{self.resolution.describe()}]", entity=self.entity, at=key,
                       expected=expected, actual=actual, replacement=replacement,
                       fix_description=None if replacement is None else f"write {replacement}",
                       applicability=_weakest(applicability, confidence.applicability),
                       soft=soft or confidence is Confidence.GUESS)


def _weakest(*kinds: Applicability) -> Applicability:
    order = list(Applicability)  # safe, unsafe, display-only
    return max(kinds, key=order.index)


def doubt(s: Subject) -> Finding | None:
    """The resolution itself, when the card's own numbers contradict a model that only an alias or
    a guess reached: Parameters or File Size more than twice or less than half the model's. Nothing
    else of such a model is compared, and nothing is fixed."""
    if s.resolution.confidence is Confidence.EXACT or not s.facts:
        return None
    reasons = []
    parameters_ = as_number(s.metadata("Parameters"))
    if parameters_ and _apart(parameters_, s.facts["parameters"]):
        reasons.append(f"Parameters {parameters_:,.0f} are {_times(parameters_, s.facts['parameters'])} the "
                       f"model's {s.facts['parameters']:,}")
    size = as_number(s.metadata("File Size"))
    if size and all(_apart(size, c.size) for c in checkpoint.candidates(s.facts)):
        nearest = min(checkpoint.candidates(s.facts), key=lambda c: abs(c.size - size))
        reasons.append(f"File Size {size:,.0f} is {_times(size, nearest.size)} its nearest checkpoint's "
                       f"{nearest.size:,}")
    if not reasons:
        return None
    how = "timm's deprecated-name table" if s.resolution.confidence is Confidence.ALIAS else "a guess"
    return Finding("MI316", f"{s.resolution.full_name} ({s.resolution.how}) was reached through {how}, but the "
                            f"card's {' and '.join(reasons)}; the resolution is doubtful and the model was not "
                            "cross-checked", entity=s.entity, at=s.resolution.at, expected=s.resolution.full_name)


def _apart(declared: float, measured: float) -> bool:
    return measured > 0 and declared > 0 and max(declared / measured, measured / declared) > DOUBT_RATIO


def _times(declared: float, measured: float) -> str:
    ratio = declared / measured
    return f"{ratio:.3g}x" if ratio >= 1 else f"1/{1 / ratio:.3g} of"


def check(subject: Subject) -> list[Finding]:
    """Every comparison that applies to this card."""
    findings: list[Finding] = []
    for comparison in (image_size, crop_pct, interpolation, mean_std, parameters, file_size, flops,
                       training_data, code_url):
        findings.extend(comparison(subject))
    return findings


def image_size(s: Subject) -> list[Finding]:
    dispute = image_size_dispute(s)
    if dispute is None:
        return []
    declared, expected = dispute
    return [s.finding("MI301", ("Metadata", "Image Size"), f"Image Size {declared} differs from the pretrained "
                      f"config's input size {expected}", expected, s.metadata("Image Size"), expected)]


def image_size_dispute(s: Subject) -> tuple[float, int] | None:
    """(declared, the config's input size) when the card's Image Size is none of the config's
    input sizes (image-size-mismatch), else None."""
    declared, sizes = as_number(s.metadata("Image Size")), _config_values(s.cfg, "input_size")
    if declared is None or not sizes or declared in [size[-1] for size in sizes]:
        return None
    return declared, sizes[0][-1]


def crop_pct(s: Subject) -> list[Finding]:
    declared = s.metadata("Crop Pct")
    values = [v for v in (s.cfg.get("crop_pct"), s.cfg.get("test_crop_pct")) if v is not None]
    if as_number(declared) is None or not values or any(_close(declared, v) for v in values):
        return []
    return [s.finding("MI306", ("Metadata", "Crop Pct"), f"Crop Pct {declared} differs from the pretrained "
                      f"config's crop_pct {values[0]}", values[0], declared, values[0])]


def interpolation(s: Subject) -> list[Finding]:
    declared, expected = s.metadata("Interpolation"), s.cfg.get("interpolation")
    if not isinstance(declared, str) or not declared.strip() or not expected:
        return []
    if declared.strip().lower() == expected.lower():
        return []
    return [s.finding("MI307", ("Metadata", "Interpolation"), f"Interpolation {declared} differs from the "
                      f"pretrained config's {expected}", expected, declared, expected)]


def mean_std(s: Subject) -> list[Finding]:
    findings = []
    for key, cfg_key in (("Mean", "mean"), ("Std", "std")):
        declared, expected = s.metadata(key), s.cfg.get(cfg_key)
        if not isinstance(declared, list) or not expected:
            continue
        if len(declared) == len(expected) and all(_close(d, e) for d, e in zip(declared, expected)):
            continue
        findings.append(s.finding("MI308", ("Metadata", key), f"{key} {declared} differs from the pretrained "
                                  f"config's {cfg_key} {list(expected)}", list(expected), declared, list(expected)))
    return findings


def parameters(s: Subject) -> list[Finding]:
    declared = as_number(s.metadata("Parameters"))
    if declared is None or not s.facts:
        return []
    measured = s.facts["parameters"]
    if agrees_rounded(declared, measured):
        return []
    rounded = off_in_last_digit(declared, measured)
    note = "; the rounded count is off in its last digit" if rounded else ""
    return [s.finding("MI302", ("Metadata", "Parameters"), f"Parameters {declared:,} disagree with the model's "
                      f"{measured:,} (sum of numel over model.parameters()){note}", measured,
                      s.metadata("Parameters"), measured, soft=rounded)]


def file_size(s: Subject) -> list[Finding]:
    declared = as_number(s.metadata("File Size"))
    if declared is None or not s.facts:
        return []
    options = checkpoint.candidates(s.facts)
    if any(c.agrees(declared) for c in options) or checkpoint.holds_extras(declared, options):
        return []
    weights = weights_file(str(s.entity.value(("Weights",)) or ""))
    containers = ("safetensors",) if weights.endswith(".safetensors") else ("zip", "legacy")
    nearest = min((c for c in options if c.precision == "fp32" and c.container in containers and c.counters),
                  key=lambda c: abs(c.size - declared))
    ratio = declared / nearest.size
    larger = all(declared > c.size + c.tolerance for c in options)
    note = ("; the file may hold tensors the model does not build (an auxiliary classifier, EMA weights)"
            if larger else "")
    return [s.finding("MI303", ("Metadata", "File Size"), f"File Size {declared:,} matches no fp32, fp16 or mixed-fp16 "
                      f"checkpoint of this model; a {nearest.label} checkpoint of its {s.facts['tensors']} tensors "
                      f"is {nearest.size:,} bytes (declared/expected = {ratio:.3g}){note}", nearest.size,
                      s.metadata("File Size"), nearest.size, soft=larger,
                      applicability=Applicability.DISPLAY_ONLY if larger else Applicability.SAFE)]


def flops(s: Subject) -> list[Finding]:
    declared, ratio = as_number(s.metadata("FLOPs")), s.mac_ratio
    if declared is None or s.measured_flops is None:
        return []
    measured, size = s.measured_flops, s.flops_size
    if s.flops_below_parameters:
        return [_below_parameters(s, declared, measured)]
    counts = (measured // 2, measured)  # MACs, FLOPs
    if any(agrees_rounded(declared, count) for count in counts) or ratio is not None and conventions.standard(ratio):
        return []
    if s.convention in conventions.STANDARD and ratio is not None:
        count = round(measured / 2 * s.convention)
        unit = "MACs" if s.convention == 1 else "FLOPs at 2 per multiply-accumulate"
        return [_flops_finding(s, "MI304", f"FLOPs {declared:,} at {size} px are {ratio:.3g}x the model's "
                               f"{measured // 2:,} MACs, while this card's other models declare {unit}: "
                               f"{count:,}", count, count)]
    if s.convention is not None and ratio is not None:
        if conventions.follows(ratio, s.convention):
            return []
        return [_flops_finding(s, "MI304", f"FLOPs {declared:,} at {size} px are {ratio:.3g}x the model's "
                               f"{measured // 2:,} MACs, while this card's FLOPs are {s.convention:.3g}x MACs "
                               "(its convention)", round(measured / 2 * s.convention))]
    rounded = any(off_in_last_digit(declared, count) for count in counts)
    return [_flops_finding(s, "MI304", f"FLOPs {declared:,} at {size} px match neither {measured:,} FLOPs "
                           f"(2 per multiply-accumulate) nor {measured // 2:,} MACs within "
                           f"{conventions.STANDARD_TOLERANCE:.0%}{f'; declared/MACs = {ratio:.3g}' if ratio else ''}"
                           f"{'; the rounded count is off in its last digit' if rounded else ''}", measured,
                           measured, soft=rounded)]


def _below_parameters(s: Subject, declared: float, measured: int) -> Finding:
    """FLOPs fewer than the parameters, fixed in the card's convention: 2 FLOPs per MAC on a card
    without one, the count in a standard one it keeps; else the MACs times its multiple, an
    estimate rather than a count (unsafe)."""
    size = s.flops_size
    below = f"FLOPs {declared:,} are fewer than the model's {s.facts['parameters']:,} parameters"
    if s.convention is None or s.convention == 2:
        return _flops_finding(s, "MI305", f"{below}; at {size} px it does {measured:,} FLOPs (2 per "
                              "multiply-accumulate)", measured, measured)
    if s.convention == 1:
        return _flops_finding(s, "MI305", f"{below}; at {size} px it does {measured // 2:,} MACs, which this "
                              "card's other models declare", measured // 2, measured // 2)
    estimate = round(measured / 2 * s.convention)
    return _flops_finding(s, "MI305", f"{below}; at {size} px it does {measured // 2:,} MACs, about {estimate:,} "
                          f"in this card's convention ({s.convention:.3g}x MACs)", estimate, estimate,
                          applicability=Applicability.UNSAFE)


def _flops_finding(s: Subject, code: str, message: str, expected: int, replacement: int | None = None,
                   soft: bool = False, applicability: Applicability = Applicability.SAFE) -> Finding:
    """A finding on the card's FLOPs, which were counted at its Image Size. When that size is itself
    disputed (image-size-mismatch), its fix may change it in the same run, and FLOPs counted at
    the old size are no value to write: the fix is display-only until the size is settled."""
    dispute = image_size_dispute(s)
    if dispute is not None:
        message += (f"; the card's Image Size {dispute[0]} is itself disputed (image-size-mismatch), so FLOPs "
                    f"counted at {s.flops_size} px are not fixed before it is settled")
        applicability = Applicability.DISPLAY_ONLY
    return s.finding(code, ("Metadata", "FLOPs"), message, expected, s.metadata("FLOPs"), replacement, soft=soft,
                     applicability=applicability)


def training_data(s: Subject) -> list[Finding]:
    declared = s.metadata("Training Data")
    declared = [declared] if isinstance(declared, str) else declared
    implied = datasets.from_tag(s.resolution.tag)
    if not isinstance(declared, list) or not declared or not implied:
        return []
    named, unknown = datasets.from_card(declared)
    extra = named - implied
    # pre-training data a card should name; a name outside the vocabulary may be it
    missing = set() if unknown else {d for d in implied - named if d != "ImageNet-1k"}
    if not extra and not missing:
        return []
    parts = ([f"names {', '.join(sorted(extra))}"] if extra else []) + \
            ([f"omits {', '.join(sorted(missing))}"] if missing else [])
    return [s.finding("MI312", ("Metadata", "Training Data"), f"Training Data {' and '.join(parts)}, but the "
                      f"tag {s.resolution.tag} says {', '.join(sorted(implied))}", sorted(implied), declared)]


def code_url(s: Subject) -> list[Finding]:
    url = url_of_code(s.entity.value(("Code",)))
    source = s.registry.sources.get(s.resolution.arch)
    parsed = parse_url(url) if isinstance(url, str) else None
    if parsed is None or not url.strip() or not source:
        return []
    path = parsed.path
    if path == source or path.endswith("/" + source):
        return []
    fixed = code_link(url, s.registry, s.resolution.arch)
    at = ("Code", "URL") if isinstance(s.entity.value(("Code",)), dict) else ("Code",)  # OpenMMLab's mapping
    commit = pinned_commit(path)
    pinned = f" at commit {commit[:12]} (a pinned link: the file as it was then)" if commit else ""
    return [s.finding("MI313", at, f"Code points to {path.rsplit('/', 1)[-1] or path}{pinned}, but the installed "
                      f"timm defines {s.resolution.arch} in {source}", fixed, url, fixed, soft=commit is not None,
                      applicability=Applicability.UNSAFE)]  # the link then names another release


def pinned_commit(path: str) -> str | None:
    """The full commit a GitHub link's path is pinned to (``/owner/repo/blob/<40 hex>/...``, or
    raw.githubusercontent's ``/owner/repo/<40 hex>/...``); None for a branch, a tag or a short hash."""
    match = PINNED.match(path)
    return match.group(1).lower() if match else None


def code_link(url: str, registry: Registry, arch: str) -> str:
    """A GitHub link to the installed timm release's definition of `arch`: in the card's repository
    when its link is to a copy of timm (its path holds ``timm/models/``), else in timm's."""
    relative = registry.sources[arch]
    match = re.match(r"https?://github\.com/([^/]+/[^/]+)/", url.strip())
    parsed = parse_url(url)
    repository = match.group(1) if match and parsed and scope.TIMM_MODELS in parsed.path else DEFAULT_REPOSITORY
    link = f"https://github.com/{repository}/blob/v{registry.timm_version}/{relative}"
    path = installed_source(relative)
    line = definitions(path).get(arch) if path else None
    return f"{link}#L{line}" if line else link


@lru_cache(maxsize=64)
def definitions(path: str) -> dict[str, int]:
    """Top-level function name → the line of its ``def`` in a source file (read once per file)."""
    pattern = re.compile(r"def (\w+)\(")
    found: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                match = pattern.match(line)
                if match:
                    found.setdefault(match.group(1), number)
    except OSError:
        pass
    return found


def _config_values(cfg: dict[str, Any], key: str) -> list:
    return [v for v in (cfg.get(key), cfg.get("test_" + key)) if v]


def _close(declared: Any, expected: float) -> bool:
    """Equal to three decimals, as configs write crop fractions and normalization constants."""
    number = as_number(declared)
    return number is not None and abs(number - expected) <= CONFIG_TOLERANCE
