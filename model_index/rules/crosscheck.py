"""MI3xx: the card disagrees with the model it names, measured on PyTorch's meta device.

These codes are reported by `model_index.crosscheck`, which imports torch and timm only when it
runs; declaring them here keeps `model-index rules` and static validation free of that cost.

Every MI3xx message ends with the model the card was resolved to and how, e.g.
``[resnet50.ram_in1k (from its Weights file resnet50_ram-a26f946b.pth)]``. Resolution order: the
`Weights` file name (matched against every timm pretrained config's URL, file and hub id), then
`Metadata.ID`, then `Name` (each also through timm's deprecated-name table), then the
architecture's default pretrained tag.
"""

from __future__ import annotations

from . import declare

declare("MI301", "image-size-mismatch", "error", """
    `Metadata.Image Size` differs from the input size of the pretrained configuration the card
    resolves to (`pretrained_cfg['input_size']`).

    A size equal to the configuration's `test_input_size` is accepted too. The fix writes the
    configuration's input size.
    """, fixable=True)

declare("MI302", "parameters-mismatch", "error", """
    `Metadata.Parameters` disagrees with the model's parameter count.

    The count follows timm's convention, `sum(p.numel() for p in model.parameters())` (buffers
    such as BatchNorm running statistics are not parameters), measured on the meta device with
    the resolved tag's configuration (its number of classes included). A value written rounded
    agrees when it equals the measured count rounded to the declared significant digits:
    `25560000` agrees with 25,557,032, `25557000` does not. The fix writes the exact count.
    """, fixable=True)

declare("MI303", "file-size-mismatch", "error", """
    `Metadata.File Size` matches no checkpoint this model could have.

    The expected size is the state_dict's tensor bytes (buffers included) plus container
    overhead, for fp32 and for fp16/bf16 floating tensors, in three containers: `torch.save`
    (zip, the default since PyTorch 1.6), legacy `torch.save` and safetensors. A declared size
    agrees within 0.05 % plus a few bytes of alignment per tensor. A size copied from a sibling
    model is off by far more. The fix writes the fp32 size of the closest container.
    """, fixable=True)

declare("MI304", "flops-mismatch", "warning", """
    `Metadata.FLOPs` matches neither counting convention at the card's `Image Size`.

    A model whose forward pass cannot run on meta tensors has no FLOPs to compare; the run
    says so in a notice.

    The model is run once on a meta tensor under `torch.utils.flop_counter.FlopCounterMode`,
    which counts 2 FLOPs per multiply-accumulate of convolutions and matrix products. Cards mix
    conventions, so a value agrees when it is within 5 % of (or rounds to) either the FLOPs or
    the MACs (half of them). The message gives the declared value as a multiple of the MACs,
    which identifies the convention a card's tool used. The fix writes the FLOPs.
    """, fixable=True)

declare("MI305", "flops-below-parameters", "error", """
    `Metadata.FLOPs` is smaller than the model's parameter count.

    Every parameter of a convolution or linear layer takes part in at least one
    multiply-accumulate per forward pass, so a forward pass costs more operations than there are
    parameters; a smaller value is a unit slip (GFLOPs written as FLOPs) or a wrong model.
    """, fixable=True)

declare("MI306", "crop-pct-mismatch", "error", """
    `Metadata.Crop Pct` differs from the resolved configuration's `crop_pct` (or `test_crop_pct`)
    by more than the third decimal.
    """, fixable=True)

declare("MI307", "interpolation-mismatch", "error", """
    `Metadata.Interpolation` differs from the resolved configuration's `interpolation`
    (compared case-insensitively).
    """, fixable=True)

declare("MI308", "mean-std-mismatch", "error", """
    `Metadata.Mean` or `Metadata.Std` differs from the resolved configuration's normalization
    `mean` or `std` (each channel to three decimals).
    """, fixable=True)

declare("MI309", "deprecated-name", "warning", """
    `Metadata.ID` (or `Name` when there is no ID) is not timm's current name for the model.

    Either timm lists it in its deprecated-name table (`resnetv2_50x1_bitm` is now
    `resnetv2_50x1_bit.goog_in21k_ft_in1k`), or timm no longer knows it while the `Weights` file
    identifies the model. The message and the fix name the current `arch.tag`; when the Weights
    file and timm's alias disagree, the Weights file wins (see weights-alias-conflict).
    """, fixable=True)

declare("MI310", "weights-alias-conflict", "warning", """
    The `Weights` file and the card's ID or Name point to different timm models.

    The Weights file is the most exact evidence and is what the card is checked as. timm's own
    alias table has such mistakes: every `ig_resnext101_32x*d` maps to `resnext101_32x8d`, while
    `ig_resnext101_32x16-c6f796b0.pth` is `resnext101_32x16d.fb_wsl_ig1b_ft_in1k`.
    """)

declare("MI311", "unknown-model", "error", """
    Neither the `Weights` file, nor `Metadata.ID`, nor `Name` names a timm model.

    The message suggests the closest architecture of `timm.list_models()`. Nothing else of the
    card can be cross-checked.
    """)

declare("MI312", "training-data-mismatch", "warning", """
    `Metadata.Training Data` disagrees with the datasets the resolved pretrained tag names.

    Tags name their data: `goog_in21k_ft_in1k` is ImageNet-21k pre-training fine-tuned on
    ImageNet-1k, `fb_ssl_yfcc100m_ft_in1k` YFCC-100M, `ns_jft_in1k` JFT-300M. A card naming a
    dataset the tag does not (JFT-300M for an ImageNet-21k model), or omitting the pre-training
    dataset the tag names, is reported. Dataset names outside a small vocabulary are not judged,
    and a card that writes one is not reported as omitting a dataset (the name may be it).
    """)

declare("MI313", "code-url-mismatch", "warning", """
    `Code` does not point to the file that defines the model's entry point in the installed timm.

    Only the path is compared (`timm/models/resnet.py`); a line anchor cannot be checked offline
    against the commit a link names. The fix writes a link to the installed release's
    definition, line anchor included: in the card's repository when its link already points into
    a copy of timm (`timm/models/`), else in huggingface/pytorch-image-models.
    """, fixable=True)

declare("MI314", "top1-mismatch", "error", """
    A result's `Top 1 Accuracy` disagrees with the `top1` column of the `--results` CSV.

    Rows are matched by the card's ID, Name, resolved `arch.tag`, then architecture; only
    results on ImageNet (or with no dataset) are compared. A value agrees when it equals the
    CSV's rounded to the declared decimals.
    """, fixable=True)

declare("MI315", "top5-mismatch", "error", """
    A result's `Top 5 Accuracy` disagrees with the `top5` column of the `--results` CSV (matched
    like top1-mismatch).
    """, fixable=True)
