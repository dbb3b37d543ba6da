"""Expected checkpoint file sizes: the state_dict's tensor bytes plus each container's overhead.

Three containers are modelled, each for three precisions: fp32; fp16 (or bf16) for every floating
tensor; and "fp16 mixed", 16-bit weights with fp32 one-dimensional tensors (norm parameters,
biases, running statistics), as torchvision's half-precision `wide_resnet101_2` was released:

- ``safetensors``: computed exactly (8-byte length, JSON header padded to 8 bytes, the data);
- ``torch.save`` zip (PyTorch ≥ 1.6 default) and legacy (``_use_new_zipfile_serialization=False``):
  the pickled keys plus a linear overhead per file, per tensor and per tensor dimension. The
  coefficients were fitted by least squares on files written with torch 2.x for twelve small timm
  models (resnet18 … ghostnet_050, fp32 and fp16); tests/test_crosscheck_checkpoint.py writes real
  files and holds the model to its `tolerance`. The zip format also pads every tensor record to 64
  bytes, which the per-tensor slack in `tolerance` covers.

Each is also modelled without BatchNorm's `num_batches_tracked` counters, which checkpoints
saved before PyTorch 0.4.1, and many converted ones, do not hold (timm's DLA files are such).

`summary` reduces a state_dict to the measured quantities these need (what the cache keeps);
`candidates` turns them into sizes when a card is checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# (per file, per tensor, per tensor dimension); key characters count once each
TORCH_OVERHEAD = {
    "zip": (3547.0, 227.3, 14.7),
    "legacy": (-503.0, 114.6, 7.5),
}
RELATIVE_TOLERANCE = 0.0005  # 0.05 %
# zip: 64-byte record alignment; legacy: pickles of older torch versions differ by a few bytes a tensor
SLACK_PER_TENSOR = {"zip": 32, "legacy": 32, "safetensors": 0}
# a file may hold a little more than its tensors: storages larger than the tensor viewing them,
# pickled extras (an epoch, a class map); timm's DLA files measure 0.2-1.7 % above theirs
EXTRAS_ALLOWANCE = 0.03
COUNTER = "num_batches_tracked"
PRECISIONS = ("fp32", "fp16", "fp16 mixed")
SAFETENSORS_DTYPES = {"float32": "F32", "float16": "F16", "bfloat16": "BF16", "float64": "F64", "int64": "I64",
                      "int32": "I32", "int16": "I16", "int8": "I8", "uint8": "U8", "bool": "BOOL"}
DTYPE_BYTES = {"F64": 8, "I64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


@dataclass(frozen=True)
class Candidate:
    """One way a checkpoint may have been written, and the file size it gives."""

    container: str  # zip | legacy | safetensors
    precision: str  # one of PRECISIONS
    size: int
    tolerance: int
    counters: bool = True  # whether BatchNorm's num_batches_tracked are in the file

    @property
    def label(self) -> str:
        names = {"zip": "torch.save", "legacy": "legacy torch.save", "safetensors": "safetensors"}
        return f"{self.precision} {names[self.container]}" + ("" if self.counters else f" without {COUNTER}")

    def agrees(self, declared: float) -> bool:
        return abs(declared - self.size) <= self.tolerance


def summary(shapes: list) -> dict[str, Any]:
    """What the size model needs of a state_dict given as [name, dtype, shape] per tensor.

    Counts (tensors, key characters, dimensions) and, per precision, the tensor bytes and the
    exact length of a safetensors header: measured quantities, no fitted coefficient, so that
    `candidates` applies the current coefficients when it checks. The same again without
    BatchNorm's counters is kept under "without_counters" (null when the model has none)."""
    counters = [entry for entry in shapes if entry[0].rsplit(".", 1)[-1] == COUNTER]
    rest = [entry for entry in shapes if entry[0].rsplit(".", 1)[-1] != COUNTER] if counters else None
    return {**_measures(shapes), "without_counters": _measures(rest) if rest is not None else None}


def _measures(shapes: list) -> dict[str, Any]:
    """Counts, and tensor bytes and safetensors header length per precision, of these tensors."""
    data, headers = {}, {}
    for precision in PRECISIONS:
        entries = _tensors(shapes, precision)
        data[precision] = sum(nbytes for *_, nbytes in entries)
        headers[precision] = _safetensors_header(entries)
    return {"tensors": len(shapes), "key_chars": sum(len(name) for name, *_ in shapes),
            "dims": sum(len(shape) for *_, shape in shapes), "data": data, "safetensors_header": headers}


def is_summary(facts: dict[str, Any]) -> bool:
    """`facts` hold what `summary` gives (a cached entry of another format does not)."""
    rest = facts.get("without_counters", False)
    return _are_measures(facts) and (rest is None or isinstance(rest, dict) and _are_measures(rest))


def _are_measures(facts: dict[str, Any]) -> bool:
    return all(isinstance(facts.get(key), int) for key in ("tensors", "key_chars", "dims")) and all(
        isinstance(facts.get(key), dict) and all(isinstance(facts[key].get(p), int) for p in PRECISIONS)
        for key in ("data", "safetensors_header"))


def candidates(facts: dict[str, Any]) -> list[Candidate]:
    """Every checkpoint this model could have, with its tolerance (from facts holding a `summary`):
    those with every tensor of the state_dict first, then those without BatchNorm's counters."""
    out = _candidates(facts, counters=True)
    if facts.get("without_counters"):
        out.extend(_candidates(facts["without_counters"], counters=False))
    return out


def _candidates(measures: dict[str, Any], counters: bool) -> list[Candidate]:
    out = []
    for precision in PRECISIONS:
        data, header = measures["data"][precision], measures["safetensors_header"][precision]
        sizes = {container: round(data + torch_overhead(measures, container)) for container in ("zip", "legacy")}
        sizes["safetensors"] = 8 + header + (-header) % 8 + data  # the header is padded to 8 bytes
        out.extend(Candidate(container, precision, size, tolerance(size, measures["tensors"], container), counters)
                   for container, size in sizes.items())
    return out


def holds_extras(declared: float, options: list[Candidate]) -> bool:
    """`declared` is above every checkpoint, by no more than a file's extras may add."""
    return all(declared > c.size + c.tolerance for c in options) and (
        declared <= max(c.size for c in options) * (1 + EXTRAS_ALLOWANCE))


def tolerance(size: int, tensors: int, container: str) -> int:
    """Allowed difference in bytes: 0.05 % of the size, plus alignment slack per tensor."""
    return int(size * RELATIVE_TOLERANCE) + SLACK_PER_TENSOR[container] * tensors


def torch_overhead(facts: dict[str, Any], container: str) -> float:
    """``torch.save``'s bytes beyond the tensor data: per file, per tensor, per dimension, and the keys."""
    per_file, per_tensor, per_dim = TORCH_OVERHEAD[container]
    return per_file + per_tensor * facts["tensors"] + facts["key_chars"] + per_dim * facts["dims"]


def _tensors(shapes: list, precision: str) -> list[tuple[str, str, list, int]]:
    """(name, safetensors dtype, shape, bytes) of every tensor stored at `precision`."""
    out = []
    for name, dtype, shape in shapes:
        code = SAFETENSORS_DTYPES.get(dtype, "F32")
        if code in ("F32", "F64") and (precision == "fp16" or precision == "fp16 mixed" and len(shape) > 1):
            code = "F16"
        count = 1
        for dim in shape:
            count *= dim
        out.append((name, code, shape, count * DTYPE_BYTES[code]))
    return out


def _safetensors_header(entries: list[tuple[str, str, list, int]]) -> int:
    """Bytes of the JSON header safetensors writes for these tensors (no metadata, before padding)."""
    header, offset = {}, 0
    for name, code, shape, nbytes in sorted(entries, key=lambda e: (-DTYPE_BYTES[e[1]], e[0])):
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    return len(json.dumps(header, separators=(",", ":")).encode())
