"""Compare one card with the facts measured for the model it resolves to, and with its config."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..diagnostics import Finding
from ..schema import as_number
from . import checkpoint, datasets
from .numbers import agrees_rounded, relative_difference
from .registry import Registry, installed_source, parse_url, weights_file
from .resolve import Resolution

CONFIG_TOLERANCE = 0.0005 + 1e-9  # crop_pct, mean, std: three decimals
FLOPS_TOLERANCE = 0.05  # counters differ in what they count beyond convolutions and matmuls
DEFAULT_REPOSITORY = "huggingface/pytorch-image-models"
TIMM_MODELS = "timm/models/"  # a repository whose links hold this path is a copy of timm


@dataclass
class Subject:
    """One model being checked: the card entity, what it resolved to, and the measured facts."""

    entity: Any
    resolution: Resolution
    registry: Registry
    facts: dict[str, Any] | None  # parameters and checkpoint summary, at the config's input size
    measured_flops: int | None  # FLOPs at flops_size (None when they could not be counted)
    flops_size: int  # the card's Image Size (the config's input size when the card has none)

    @property
    def cfg(self) -> dict[str, Any]:
        return self.registry.cfg(self.resolution.full_name or "")

    def metadata(self, key: str) -> Any:
        return self.entity.value(("Metadata", key))

    def finding(self, code: str, key: tuple, message: str, expected: Any = None, actual: Any = None,
                replacement: Any = None) -> Finding:
        return Finding(code, f"{message} [{self.resolution.describe()}]", entity=self.entity, at=key,
                       expected=expected, actual=actual, replacement=replacement,
                       fix_description=None if replacement is None else f"write {replacement}")


def check(subject: Subject) -> list[Finding]:
    """Every comparison that applies to this card."""
    findings: list[Finding] = []
    for comparison in (image_size, crop_pct, interpolation, mean_std, parameters, file_size, flops,
                       training_data, code_url):
        findings.extend(comparison(subject))
    return findings


def image_size(s: Subject) -> list[Finding]:
    declared, sizes = as_number(s.metadata("Image Size")), _config_values(s.cfg, "input_size")
    if declared is None or not sizes or declared in [size[-1] for size in sizes]:
        return []
    expected = sizes[0][-1]
    return [s.finding("MI301", ("Metadata", "Image Size"), f"Image Size {declared} differs from the pretrained "
                      f"config's input size {expected}", expected, s.metadata("Image Size"), expected)]


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
    return [s.finding("MI302", ("Metadata", "Parameters"), f"Parameters {declared:,} disagree with the model's "
                      f"{measured:,} (sum of numel over model.parameters())", measured, s.metadata("Parameters"),
                      measured)]


def file_size(s: Subject) -> list[Finding]:
    declared = as_number(s.metadata("File Size"))
    if declared is None or not s.facts:
        return []
    options = checkpoint.candidates(s.facts)
    if any(c.agrees(declared) for c in options):
        return []
    weights = weights_file(str(s.entity.value(("Weights",)) or ""))
    containers = ("safetensors",) if weights.endswith(".safetensors") else ("zip", "legacy")
    nearest = min((c for c in options if c.precision == "fp32" and c.container in containers),
                  key=lambda c: abs(c.size - declared))
    ratio = declared / nearest.size
    return [s.finding("MI303", ("Metadata", "File Size"), f"File Size {declared:,} matches no fp32, fp16 or mixed-fp16 "
                      f"checkpoint of this model; a {nearest.label} checkpoint of its {s.facts['tensors']} tensors "
                      f"is {nearest.size:,} bytes (declared/expected = {ratio:.3g})", nearest.size,
                      s.metadata("File Size"), nearest.size)]


def flops(s: Subject) -> list[Finding]:
    declared = as_number(s.metadata("FLOPs"))
    if declared is None or s.measured_flops is None:
        return []
    measured, size = s.measured_flops, s.flops_size
    conventions = {"FLOPs (2 per multiply-accumulate)": measured, "MACs": measured / 2}
    parameters_ = s.facts["parameters"] if s.facts else None
    if parameters_ and declared < parameters_:
        return [s.finding("MI305", ("Metadata", "FLOPs"), f"FLOPs {declared:,} are fewer than the model's "
                          f"{parameters_:,} parameters; at {size} px it does {measured:,} FLOPs", measured,
                          s.metadata("FLOPs"), measured)]
    if any(agrees_rounded(declared, value) or relative_difference(declared, value) <= FLOPS_TOLERANCE
           for value in conventions.values()):
        return []
    ratio = f"; declared/MACs = {declared / (measured / 2):.3g}" if measured else ""
    return [s.finding("MI304", ("Metadata", "FLOPs"), f"FLOPs {declared:,} at {size} px match neither "
                      f"{measured:,} FLOPs (2 per multiply-accumulate) nor {measured // 2:,} MACs within "
                      f"{FLOPS_TOLERANCE:.0%}{ratio}", measured, s.metadata("FLOPs"), measured)]


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
    url = s.entity.value(("Code",))
    source = s.registry.sources.get(s.resolution.arch)
    parsed = parse_url(url) if isinstance(url, str) else None
    if parsed is None or not url.strip() or not source:
        return []
    path = parsed.path
    if path == source or path.endswith("/" + source):
        return []
    fixed = code_link(url, s.registry, s.resolution.arch)
    return [s.finding("MI313", ("Code",), f"Code points to {path.rsplit('/', 1)[-1] or path}, but the installed "
                      f"timm defines {s.resolution.arch} in {source}", fixed, url, fixed)]


def code_link(url: str, registry: Registry, arch: str) -> str:
    """A GitHub link to the installed timm release's definition of `arch`: in the card's repository
    when its link is to a copy of timm (its path holds ``timm/models/``), else in timm's."""
    relative = registry.sources[arch]
    match = re.match(r"https?://github\.com/([^/]+/[^/]+)/", url.strip())
    parsed = parse_url(url)
    repository = match.group(1) if match and parsed and TIMM_MODELS in parsed.path else DEFAULT_REPOSITORY
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
