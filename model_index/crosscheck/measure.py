"""Facts about a timm model measured on PyTorch's meta device: no weights, no real tensors.

One `Unit` is an exact ``arch.tag`` at one input size. `measure_architecture` measures every unit of
one architecture (what a pool worker runs): tags that build the same network (same classes,
channels and fixed input size) share one meta-device model, and one measurement per size."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from . import checkpoint


@dataclass(frozen=True, order=True)
class Unit:
    """What is measured: a model (``arch.tag``) at a square input size in pixels."""

    full_name: str
    image_size: int

    @property
    def arch(self) -> str:
        return self.full_name.partition(".")[0]

    @property
    def key(self) -> str:
        return f"{self.full_name}@{self.image_size}"


def measure_architecture(units: list[Unit]) -> list[tuple[Unit, dict[str, Any]]]:
    """Measure units of one architecture; a unit that cannot be measured gets ``{"error": ...}``."""
    import torch

    torch.set_num_threads(1)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # pretrained=False never downloads; make sure of it
    models: dict[tuple, Any] = {}
    measured: dict[tuple, dict[str, Any]] = {}
    out = []
    for unit in units:
        try:
            construction, kwargs = _construction(unit)
            if (construction, unit.image_size) not in measured:
                if construction not in models:
                    models[construction] = _build(unit.full_name, kwargs)
                measured[(construction, unit.image_size)] = _facts(models[construction], unit.image_size,
                                                                   construction[2])
            out.append((unit, measured[(construction, unit.image_size)]))
        except Exception as error:  # any model code may fail on meta tensors: report it, measure the rest
            out.append((unit, {"error": f"{type(error).__name__}: {error}".strip()[:300]}))
    return out


def _construction(unit: Unit) -> tuple[tuple, dict[str, Any]]:
    """What the network's shape depends on: classes, input channels and, for fixed-size models, size."""
    import timm

    cfg = timm.models.get_pretrained_cfg(unit.full_name)
    input_size = tuple(cfg.input_size) if cfg is not None and cfg.input_size else (3, 224, 224)
    kwargs = {}
    if cfg is not None and cfg.fixed_input_size and unit.image_size != input_size[-1]:
        kwargs["img_size"] = unit.image_size
    classes = cfg.num_classes if cfg is not None else None
    return (unit.arch, classes, input_size[0], kwargs.get("img_size")), kwargs


def _build(full_name: str, kwargs: dict[str, Any]):
    import timm
    import torch

    with torch.device("meta"):
        return timm.create_model(full_name, pretrained=False, **kwargs).eval()


def _facts(model, size: int, channels: int) -> dict[str, Any]:
    facts: dict[str, Any] = {"parameters": sum(p.numel() for p in model.parameters())}
    state = state_dict_facts(model.state_dict())
    facts.update(tensors=state["tensors"], tensor_bytes=state["tensor_bytes"],
                 checkpoint_sizes=checkpoint.expected_sizes(state), image_size=size)
    try:
        facts["flops"] = flops(model, size, channels)
    except Exception as error:  # a data-dependent forward cannot run on meta tensors; the rest stands
        facts["flops"] = None
        facts["flops_error"] = f"{type(error).__name__}: {error}".strip()[:300]
    return facts


def state_dict_facts(state_dict) -> dict[str, Any]:
    """What a checkpoint's size depends on: tensor count, bytes, key lengths, dimensions, shapes."""
    tensors = list(state_dict.values())
    return {
        "tensors": len(tensors),
        "tensor_bytes": sum(t.numel() * t.element_size() for t in tensors),
        "key_chars": sum(len(k) for k in state_dict),
        "dims": sum(t.dim() for t in tensors),
        "shapes": [[k, str(t.dtype).removeprefix("torch."), list(t.shape)] for k, t in state_dict.items()],
    }


def flops(model, size: int, channels: int = 3) -> int:
    """FLOPs of one forward pass (FlopCounterMode: 2 per multiply-accumulate) on a meta tensor."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.empty(1, channels, size, size, device="meta"))
    return int(counter.get_total_flops())
