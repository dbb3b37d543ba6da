"""FLOPs of one forward pass on meta tensors, counted with the formulas of torch's own counter.

`Counter` is a TorchDispatchMode that adds, for every operator the forward pass runs, what
`torch.utils.flop_counter.flop_registry` gives for it (convolutions, matrix products and attention,
2 FLOPs per multiply-accumulate; nothing for the rest). It is FlopCounterMode without its extras:
no module tracking (whose hooks stop some models, e.g. CaiT and PiT, with "Expected gradient
function to be set") and no decomposition of operators into Python reference code (the only
operators that decomposition reaches, in torch 2.14 batch norm and nearest upsampling, hold no
counted operator; a test watches for others), so both give the same totals.

On the meta device an operator's outputs are a pure function of its inputs' shapes, strides and
dtypes and of its other arguments, and several meta kernels run as Python reference code (batch
norm's takes half of a forward pass). So `Counter` remembers, per process, the outputs' shapes of
every call that neither writes into nor aliases its inputs, and answers a repeated call with fresh
meta tensors of those shapes: a network repeats its blocks, and one architecture's tags and sizes
repeat whole networks."""

from __future__ import annotations

from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import flop_registry

REMEMBERED_CALLS = 20_000  # per process (about 3 KB each); all forgotten at once beyond that
UNREPEATABLE = {torch.Tag.nondeterministic_seeded, torch.Tag.dynamic_output_shape, torch.Tag.data_dependent_output}
PLAIN_ARGUMENTS = (bool, int, float, complex, str, type(None), torch.dtype, torch.device, torch.layout,
                   torch.memory_format)

_outputs: dict[tuple, Any] = {}  # call → the shapes of its outputs (see `_shape_of`)
_pure: dict[Any, bool] = {}  # operator → whether its calls may be answered from `_outputs`


def count(model, size: int | tuple[int, int], channels: int = 3) -> int:
    """FLOPs of `model` (on the meta device) for one image of `channels` × `size` × `size`, or of
    `channels` × height × width for a `size` of (height, width)."""
    height, width = size if isinstance(size, tuple) else (size, size)
    counter = Counter()
    with counter, torch.no_grad():
        model(torch.empty(1, channels, height, width, device="meta"))
    return counter.total


class Counter(TorchDispatchMode):
    """Sums torch's FLOP formulas over the operators run inside it (`total`)."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = _run(func, args, kwargs)
        formula = flop_registry.get(func._overloadpacket)
        if formula is not None:
            self.total += formula(*args, **kwargs, out_val=out)
        return out


class _NotRepeatable(Exception):
    """A call or an output that the memo cannot hold exactly."""


def _run(func, args: tuple, kwargs: dict) -> Any:
    """`func(*args, **kwargs)`, or fresh meta tensors shaped as its outputs were the last time."""
    if not _is_pure(func):
        return func(*args, **kwargs)
    try:
        call = (func, _signature(args), _signature(tuple(sorted(kwargs.items()))))
    except _NotRepeatable:
        return func(*args, **kwargs)
    shape = _outputs.get(call)
    if shape is not None:
        return _fresh(shape)
    out = func(*args, **kwargs)
    try:
        shape = _shape_of(out)
    except _NotRepeatable:
        return out
    if len(_outputs) >= REMEMBERED_CALLS:
        _outputs.clear()
    _outputs[call] = shape
    return out


def _is_pure(func) -> bool:
    """The operator writes into none of its arguments, returns no view of one, and its outputs'
    shapes depend on nothing but its arguments' shapes and values."""
    pure = _pure.get(func)
    if pure is None:
        schema = func._schema
        pure = (not schema.is_mutable and not any(r.alias_info for r in schema.returns)
                and not UNREPEATABLE.intersection(func.tags))
        _pure[func] = pure
    return pure


def _signature(value: Any) -> Any:
    """What an argument contributes to a call's outputs' shapes; scalars keep their type (1 and
    1.0 promote differently). Anything but a meta tensor, a plain value or a sequence of them is
    not repeatable."""
    if isinstance(value, torch.Tensor):
        if not value.is_meta:
            raise _NotRepeatable
        return (tuple(value.shape), value.stride(), value.storage_offset(), value.dtype, value.layout,
                value.is_conj(), value.is_neg())
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_signature(v) for v in value))
    if isinstance(value, PLAIN_ARGUMENTS):
        return (type(value), value)
    raise _NotRepeatable


def _shape_of(out: Any) -> Any:
    """An output as data `_fresh` rebuilds: a meta tensor by its shape, strides and dtype (when a
    tensor of those has the same storage), a sequence item by item, a plain value as itself."""
    if isinstance(out, torch.Tensor):
        shape = ("tensor", tuple(out.shape), out.stride(), out.dtype)
        if not out.is_meta or out.storage_offset() or out.is_conj() or out.is_neg() or out.layout != torch.strided \
                or out.untyped_storage().nbytes() != _fresh(shape).untyped_storage().nbytes():
            raise _NotRepeatable
        return shape
    if isinstance(out, (list, tuple)):
        return (type(out), tuple(_shape_of(o) for o in out))
    if isinstance(out, (bool, int, float, type(None))):
        return ("value", out)
    raise _NotRepeatable


def _fresh(shape: tuple) -> Any:
    kind, *rest = shape
    if kind == "tensor":
        size, stride, dtype = rest
        return torch.empty_strided(size, stride, dtype=dtype, device="meta")
    if kind == "value":
        return rest[0]
    return kind(_fresh(item) for item in rest[0])
