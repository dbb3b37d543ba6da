"""A plain-data snapshot of timm's model registry: what resolution and the config checks need.

Building it imports timm (and torch); the snapshot is JSON, so a warm run loads it from the cache
and never imports either. Source files are stored relative to the directory holding the timm
package and resolved against the installed timm at use, so one snapshot serves every
installation of the same timm version."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Annotated, Any
from urllib.parse import ParseResult, urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Where the weights are and what they are published with: text, as `model-index new` writes it.
PUBLISHED = ("hf_hub_id", "hf_hub_filename", "url", "license", "paper_ids", "paper_name")
CFG_FIELDS = ("input_size", "test_input_size", "crop_pct", "test_crop_pct", "interpolation", "mean", "std",
              "num_classes", "fixed_input_size", *PUBLISHED)
HASH_SUFFIX = re.compile(r"-[0-9a-f]{6,}$")

_STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)
_InputSize = Annotated[list[Annotated[int, Field(gt=0, le=100_000)]], Field(min_length=3, max_length=3)]
_Channels = Annotated[list[float], Field(min_length=1, max_length=4)]


class _Cfg(BaseModel):
    """One pretrained configuration as `build` stores it (CFG_FIELDS)."""

    model_config = _STRICT
    input_size: _InputSize | None = None
    test_input_size: _InputSize | None = None
    crop_pct: float | None = None
    test_crop_pct: float | None = None
    interpolation: str | None = None
    mean: _Channels | None = None
    std: _Channels | None = None
    num_classes: int | None = None
    fixed_input_size: bool | None = None
    # no default: a snapshot written before these were kept is rebuilt, not read with them missing
    hf_hub_id: str | None
    hf_hub_filename: str | None
    url: str | None
    license: str | None
    paper_ids: str | None
    paper_name: str | None


class _Snapshot(BaseModel):
    """The shape of `Registry.as_dict`, checked in full before a cached snapshot is used. A source
    file is a Python file of the timm package, never a path that could lead elsewhere."""

    model_config = _STRICT
    timm_version: str
    cfgs: dict[str, _Cfg]
    default_tags: dict[str, str]
    deprecated: dict[str, str | None]
    sources: dict[str, Annotated[str, Field(pattern=r"^timm/[A-Za-z0-9_/]+\.py$")]]
    files: dict[str, list[str]]
    hub_ids: dict[str, list[str]]


@dataclass
class Registry:
    """timm's names, pretrained configurations, weights files and deprecated aliases."""

    timm_version: str
    cfgs: dict[str, dict[str, Any]]  # "arch.tag" → selected pretrained_cfg fields
    default_tags: dict[str, str]  # arch → its default tag ("" when it has no pretrained configs)
    deprecated: dict[str, str | None]  # deprecated name → current "arch" or "arch.tag" (None: removed)
    sources: dict[str, str]  # arch → its module file relative to site-packages ("timm/models/resnet.py")
    files: dict[str, list[str]] = field(default_factory=dict)  # weights file name → ["arch.tag", ...]
    hub_ids: dict[str, list[str]] = field(default_factory=dict)  # Hugging Face hub id → ["arch.tag", ...]

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Any) -> "Registry | None":
        """The snapshot `as_dict` wrote, or None when `data` is not one in every detail (another
        version wrote it, or the cache file was damaged or crafted): a cache entry is not trusted."""
        try:
            _Snapshot.model_validate(data)
        except ValidationError:
            return None
        return cls(**data)

    @property
    def architectures(self) -> list[str]:
        return sorted(self.default_tags)

    def full_name(self, name: str) -> str | None:
        """``arch`` or ``arch.tag`` as the exact ``arch.tag`` it means, or None if timm has no such name."""
        arch, _, tag = name.partition(".")
        if arch not in self.default_tags:
            return None
        tag = tag or self.default_tags[arch]
        if not tag:
            return arch
        return f"{arch}.{tag}" if f"{arch}.{tag}" in self.cfgs else None

    def cfg(self, full_name: str) -> dict[str, Any]:
        return self.cfgs.get(full_name, {})

    @cached_property
    def pretrained(self) -> list[str]:
        """Every ``arch.tag`` that has weights to download (a URL, file or hub id), in timm's order."""
        published = {name for names in (*self.files.values(), *self.hub_ids.values()) for name in names}
        return [name for name in self.cfgs if name in published]

    @cached_property
    def stems(self) -> dict[str, list[str]]:
        """Weights file name without its content hash → ["arch.tag", ...] (computed once)."""
        stems: dict[str, list[str]] = {}
        for name, full_names in self.files.items():
            stems.setdefault(without_hash(name), []).extend(full_names)
        return stems


def installed_source(relative: str) -> str | None:
    """The absolute path of a `Registry.sources` file in the installed timm (found without importing it)."""
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.origin:
        return None
    return os.path.join(os.path.dirname(os.path.dirname(spec.origin)), *relative.split("/"))


def weights_file(url: str) -> str:
    """The file name at the end of a weights URL (query and fragment dropped); "" for a URL that
    cannot be parsed (`http://[oops/x.pth`)."""
    parsed = parse_url(url)
    return os.path.basename(parsed.path) if parsed else ""


def without_hash(file_name: str) -> str:
    """``resnet18-5c106cde.pth`` → ``resnet18``: the checkpoint's stem without its content hash."""
    stem = file_name.split(".")[0] if "." in file_name else file_name
    return HASH_SUFFIX.sub("", stem)


def hub_id(url: str) -> str | None:
    """``https://huggingface.co/timm/resnet50.a1_in1k/...`` → ``timm/resnet50.a1_in1k``."""
    parsed = parse_url(url)
    if parsed is None:
        return None
    parts = [p for p in parsed.path.split("/") if p]
    if parsed.netloc.endswith("huggingface.co") and len(parts) >= 2:
        return "/".join(parts[:2])
    return None


def parse_url(url: str) -> ParseResult | None:
    """`urlparse` of a card's URL, or None when it cannot be parsed (`http://[oops/x.pth`, an
    unclosed IPv6 host): such a URL ties the card to no model."""
    try:
        return urlparse(url.strip())
    except ValueError:
        return None


def build() -> Registry:
    """Snapshot the installed timm's registry (imports timm)."""
    import timm
    from timm.models import _registry

    cfgs: dict[str, dict[str, Any]] = {}
    files: dict[str, list[str]] = {}
    hub_ids: dict[str, list[str]] = {}
    tagged = {name.partition(".")[0] for name in _registry._model_pretrained_cfgs if "." in name}
    for name, cfg in _registry._model_pretrained_cfgs.items():
        if "." not in name and name in tagged:
            continue  # timm also files the default tag's config under the bare architecture name
        cfgs[name] = {key: _plain(getattr(cfg, key, None)) for key in CFG_FIELDS}
        cfgs[name].update({key: _text(cfgs[name][key]) for key in PUBLISHED})
        for location in (cfg.url, cfg.file, cfg.hf_hub_filename):
            if location:
                files.setdefault(weights_file(str(location)), []).append(name)
        if cfg.hf_hub_id and cfg.hf_hub_id.strip("/") and "/" in cfg.hf_hub_id.strip("/"):
            hub_ids.setdefault(cfg.hf_hub_id.strip("/"), []).append(name)
    default_tags = {arch: "" for arch in timm.list_models()}
    for arch, default in _registry._model_default_cfgs.items():
        if arch in default_tags:
            default_tags[arch] = default.tags[0] if default.tags else ""
    sources = {}
    for arch in default_tags:
        module = sys.modules.get(_registry.model_entrypoint(arch).__module__)
        path = getattr(module, "__file__", None)
        if path:
            sources[arch] = _site_relative(path, timm.__file__)
    return Registry(timm.__version__, cfgs, default_tags, dict(_registry._deprecated_models), sources, files,
                    hub_ids)


def _site_relative(path: str, timm_init: str) -> str:
    """``…/site-packages/timm/models/resnet.py`` → ``timm/models/resnet.py``."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(timm_init)))
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def _text(value: Any) -> str | None:
    """A configuration's text field as text (a list of paper ids as one comma-separated string)."""
    if value is None or isinstance(value, str):
        return value
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
