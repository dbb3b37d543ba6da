"""Facts about a timm model measured on PyTorch's meta device: no weights, no real tensors.

A `Unit` is one thing to measure about an exact ``arch.tag`` at one input size (square, or the
height × width of a config whose ``input_size`` is not square):

- ``model``: its parameter count and what the checkpoint size model needs of its state_dict
  (`checkpoint.summary`), at the pretrained config's input size;
- ``flops``: the FLOPs of one forward pass at a given size.

`measure_architecture` measures units of one architecture (what a pool worker runs): tags that
build the same network (same classes, channels and, for fixed-size models, input size) share one
meta-device model, and its model facts and FLOPs per size are measured once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from . import checkpoint

MODEL = "model"
FLOPS = "flops"
MAX_COUNT = 2**53  # larger is no measurement, and would overflow the float arithmetic of the checks


@dataclass(frozen=True)
class Unit:
    """What is measured (`what`: MODEL or FLOPS) of a model (``arch.tag``) at an input size in pixels:
    `image_size` square, or `height` × `image_size` when a height is given."""

    full_name: str
    image_size: int
    what: str = MODEL
    height: int | None = None

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the input."""
        return (self.height or self.image_size, self.image_size)

    @property
    def pixels(self) -> int | tuple[int, int]:
        """The size as `flops` takes it: a square's side, or (height, width)."""
        return self.image_size if self.height is None else self.size

    @property
    def size_text(self) -> str:
        """The size as reports write it: ``224``, or ``1024x768`` (height × width)."""
        return str(self.image_size) if self.height is None else f"{self.height}x{self.image_size}"

    @property
    def arch(self) -> str:
        return self.full_name.partition(".")[0]

    @property
    def key(self) -> str:
        return f"{self.what}-{self.full_name}@{self.size_text}"


def valid(unit: Unit, facts: Any) -> bool:
    """`facts` have the shape `measure_architecture` gives `unit` (so a cached entry can be trusted),
    every count in them a measurement could give (not negative, exact as a float)."""
    if not isinstance(facts, dict) or not all(0 <= count <= MAX_COUNT for count in _counts(facts)):
        return False
    if unit.what == FLOPS:
        return isinstance(facts.get("flops"), int) or isinstance(facts.get("flops_error"), str)
    return isinstance(facts.get("parameters"), int) and checkpoint.is_summary(facts)


def _counts(facts: dict) -> list[int]:
    """The integers of `facts` and of the mappings in it (how measured facts nest)."""
    values = [*facts.values(), *(v for inner in facts.values() if isinstance(inner, dict) for v in inner.values())]
    return [v for v in values if isinstance(v, int)]


def measure_architecture(units: list[Unit]) -> list[tuple[Unit, dict[str, Any]]]:
    """Measure units of one architecture; a unit that cannot be measured gets ``{"error": ...}``.

    A FLOPs unit whose forward pass fails on meta tensors gets ``{"flops_error": ...}``: that is a
    lasting fact of the model, cached like the others."""
    import torch

    torch.set_num_threads(1)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # pretrained=False never downloads; make sure of it
    models: dict[tuple, Any] = {}
    measured: dict[tuple, dict[str, Any]] = {}
    out = []
    for unit in units:
        try:
            construction, kwargs = _construction(unit)
            done = (construction, unit.what, unit.size if unit.what == FLOPS else None)
            if done not in measured:
                if construction not in models:
                    models[construction] = _build(unit.full_name, kwargs)
                model = models[construction]
                measured[done] = _flops(model, unit.pixels, construction[2], _config_size(unit)) \
                    if unit.what == FLOPS else _model_facts(model)
            out.append((unit, measured[done]))
        except Exception as error:  # any model code may fail on meta tensors: report it, measure the rest
            out.append((unit, {"error": _describe(error)}))
    return out


def _construction(unit: Unit) -> tuple[tuple, dict[str, Any]]:
    """What the network's shape depends on: classes, input channels and, for fixed-size models, size."""
    import timm

    cfg = timm.models.get_pretrained_cfg(unit.full_name)
    input_size = tuple(cfg.input_size) if cfg is not None and cfg.input_size else (3, 224, 224)
    kwargs = {}
    if cfg is not None and cfg.fixed_input_size:
        if unit.height is not None and unit.size != tuple(input_size[-2:]):
            kwargs["img_size"] = unit.size
        elif unit.height is None and unit.image_size != input_size[-1]:
            kwargs["img_size"] = unit.image_size
    classes = cfg.num_classes if cfg is not None else None
    return (unit.arch, classes, input_size[0], kwargs.get("img_size")), kwargs


def _build(full_name: str, kwargs: dict[str, Any]):
    """The model on the meta device, its initial values not written (`meta_init`)."""
    import timm
    import torch

    from .meta_init import SkipValueWrites

    with torch.device("meta"), SkipValueWrites():
        return timm.create_model(full_name, pretrained=False, **kwargs).eval()


def _model_facts(model) -> dict[str, Any]:
    """Parameter count, and the checkpoint summary of the state_dict (buffers included)."""
    shapes = [[k, str(t.dtype).removeprefix("torch."), list(t.shape)] for k, t in model.state_dict().items()]
    return {"parameters": sum(p.numel() for p in model.parameters()), **checkpoint.summary(shapes)}


def _config_size(unit: Unit) -> Unit | None:
    """`unit` at the pretrained config's input size."""
    import timm

    cfg = timm.models.get_pretrained_cfg(unit.full_name)
    if cfg is None or not cfg.input_size:
        return None
    height, width = cfg.input_size[-2:]
    return Unit(unit.full_name, width, unit.what, None if height == width else height)


def _flops(model, size: int | tuple[int, int], channels: int, config: Unit | None) -> dict[str, Any]:
    """FLOPs at `size` (a square's side, or height and width), or why they cannot be counted, in
    words a card's author can act on; `config` is the unit at the pretrained config's size."""
    try:
        return {"flops": flops(model, size, channels)}
    except Exception as error:  # model code may reject the size, or need tensor values meta tensors lack
        if config is not None and size != config.pixels:
            why = (f"the forward pass fails at this size, which is not the pretrained config's {config.size_text} px "
                   "(the model may not accept it)")
        else:
            why = "the forward pass fails on meta tensors, which have shapes but no values"
        return {"flops_error": f"{why}: {_describe(error)}"}


def flops(model, size: int | tuple[int, int], channels: int = 3) -> int:
    """FLOPs of one forward pass (torch's formulas: 2 per multiply-accumulate) on a meta tensor of
    `size` pixels square, or (height, width)."""
    from .flop_count import count

    return int(count(model, size, channels))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}".strip()[:300]
