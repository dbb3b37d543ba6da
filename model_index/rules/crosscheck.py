"""MI3xx: the card disagrees with the model it names, measured on PyTorch's meta device.

These codes are reported by `model_index.crosscheck`, which imports torch and timm only when it
runs; declaring them here keeps `model-index rules` and static validation free of that cost.
"""

from __future__ import annotations

from . import declare

declare("MI301", "image-size-mismatch", "error", """
    `Metadata.Image Size` differs from the input size of the pretrained configuration the card
    resolves to (`pretrained_cfg['input_size']`).
    """, fixable=True)
