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

    @property
    def label(self) -> str:
        names = {"zip": "torch.save", "legacy": "legacy torch.save", "safetensors": "safetensors"}
        return f"{self.precision} {names[self.container]}"

    def agrees(self, declared: float) -> bool:
        return abs(declared - self.size) <= self.tolerance


def expected_sizes(facts: dict[str, Any]) -> list[list]:
    """[container, precision, bytes] for every container × precision, from state_dict facts with shapes."""
    out = []
    for precision in PRECISIONS:
        data = sum(nbytes for *_, nbytes in _tensors(facts["shapes"], precision))
        for container in ("zip", "legacy"):
            out.append([container, precision, round(data + torch_overhead(facts, container))])
        out.append(["safetensors", precision, safetensors_size(facts["shapes"], precision)])
    return out


def candidates(facts: dict[str, Any]) -> list[Candidate]:
    """Every checkpoint this model could have, with its tolerance (facts as `measure` caches them)."""
    return [Candidate(container, precision, size, tolerance(size, facts["tensors"], container))
            for container, precision, size in facts["checkpoint_sizes"]]


def tolerance(size: int, tensors: int, container: str) -> int:
    """Allowed difference in bytes: 0.05 % of the size, plus alignment slack per tensor."""
    return int(size * RELATIVE_TOLERANCE) + SLACK_PER_TENSOR[container] * tensors


def torch_overhead(facts: dict[str, Any], container: str) -> float:
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


def safetensors_size(shapes: list, precision: str) -> int:
    """The exact size of a safetensors file of these tensors (no metadata)."""
    entries = _tensors(shapes, precision)
    entries.sort(key=lambda e: (-DTYPE_BYTES[e[1]], e[0]))
    header, offset = {}, 0
    for name, code, shape, nbytes in entries:
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":"))
    padded = len(text.encode()) + (-len(text.encode())) % 8
    return 8 + padded + offset
