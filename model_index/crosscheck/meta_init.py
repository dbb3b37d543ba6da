"""Build a model on the meta device without writing initial values into its tensors.

A meta tensor has a shape, strides and a dtype but no values, so weight initialisation there
(`normal_`, `trunc_normal_`, `fill_`, `copy_`, and the arithmetic of timm's initialisers) changes
nothing a measurement reads, yet it runs through dispatch and, for several operators, Python
reference code. Inside `SkipValueWrites`, an in-place operator that only writes values returns its
meta target as it is. Operators that change a tensor's shape or strides in place (`resize_`,
`transpose_`, `set_`: torch tags them ``inplace_view``), every other operator, and writes into
tensors that are not on the meta device run as usual."""

from __future__ import annotations

import torch
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten
PLAIN_WRITES = {aten.fill_, aten.zero_, aten.copy_}  # value writes torch tags neither pointwise nor seeded

_skippable: dict[object, bool] = {}


class SkipValueWrites(TorchDispatchMode):
    """Skips in-place value writes into meta tensors (see the module's documentation)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if _writes_values_only(func) and isinstance(args[0], torch.Tensor) and args[0].is_meta:
            return args[0]
        return func(*args, **(kwargs or {}))


def _writes_values_only(func) -> bool:
    """The operator writes into its first argument, returns that argument, and changes nothing of
    it but values: a pointwise or random in-place operator, or a plain fill or copy."""
    skippable = _skippable.get(func)
    if skippable is None:
        tags, schema = set(func.tags), func._schema
        first = schema.arguments[0] if schema.arguments else None
        writes_first = first is not None and first.alias_info is not None and first.alias_info.is_write
        returns_first = len(schema.returns) == 1 and schema.returns[0].alias_info is not None
        kind = torch.Tag.pointwise in tags or torch.Tag.nondeterministic_seeded in tags \
            or func._overloadpacket in PLAIN_WRITES
        skippable = (torch.Tag.inplace in tags and torch.Tag.inplace_view not in tags and writes_first
                     and returns_first and kind)
        _skippable[func] = skippable
    return skippable
