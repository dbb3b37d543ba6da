"""MI3xx: the card disagrees with the model it names, measured on PyTorch's meta device.

These codes are reported by `model_index.crosscheck`, which imports torch and timm only when it
runs; declaring them here keeps `model-index rules` and static validation free of that cost.

Only models that something ties to timm are cross-checked: a `Weights` file or hub id that a timm
pretrained configuration lists, an `ID` or `Name` that is a timm name (current or deprecated), a
`Code` link into timm's repository (or a copy of it, a path holding `timm/models/`), or
`cross-check = "timm"` (for the whole zoo, or `per-file-cross-check` for some files) in the
configuration. A library key such as `Library: timm` (Hugging Face's `library_name: timm`) takes a
model only when it resolves to a timm model. Other models are counted in one notice, not reported;
so are the models of files that `per-file-cross-check` sets to `never`, in a notice of their own.

Every MI3xx message ends with the model the card was resolved to and how, e.g.
``[resnet50.ram_in1k (from its Weights file resnet50_ram-a26f946b.pth)]``. A resolution has a
confidence:

- **exact**: the `Weights` URL's hub id or file name is one a timm pretrained configuration lists
  (and the ID or Name does not name another model), or the ID or Name is a current `arch.tag`;
- **alias**: the ID or Name reaches the model through timm's deprecated-name table;
- **guess**: the ID or Name has no tag (the card's own Weights file, Image Size, Crop Pct,
  Interpolation, Mean, Std and Training Data choose among the architecture's pretrained tags; the
  default tag only when they do not tell the tags apart), or only the `Weights` file name without
  its content hash matches, or the `Weights` file and the ID or Name name different models
  (weights-alias-conflict: one of them is wrong).

Findings on a guess are reported one severity softer and their fixes are display-only; fixes on an
alias are unsafe (`--unsafe-fixes`); fixes on an exact resolution are safe, except renames, which
are always unsafe.
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
    `25560000` agrees with 25,557,032, `25557000` does not. A count of three or more significant
    digits that is off by one in its last digit (`55850000` for 55,843,464) was rounded the wrong
    way: it is reported one severity softer and says so. The fix writes the exact count.
    """, fixable=True)

declare("MI303", "file-size-mismatch", "error", """
    `Metadata.File Size` matches no checkpoint this model could have.

    The expected size is the state_dict's tensor bytes (buffers included) plus container
    overhead, for fp32 and for fp16/bf16 floating tensors, in three containers: `torch.save`
    (zip, the default since PyTorch 1.6), legacy `torch.save` and safetensors, each with and
    without BatchNorm's `num_batches_tracked` counters (which files saved before PyTorch 0.4.1,
    and many converted ones, lack). A declared size agrees within 0.05 % plus a few bytes of
    alignment per tensor. A size copied from a sibling model is off by far more. The fix writes
    the fp32 size of the closest container.

    A file may hold a little more than its tensors (storages larger than the tensors that view
    them, pickled extras such as an epoch): a size at most 3 % above every checkpoint of the model
    agrees. A size larger still may be right too: the file can hold tensors the model does not
    build (torchvision's Inception v3 checkpoint carries its auxiliary classifier, which timm's
    model leaves out). Such a finding is one severity softer and its fix display-only.
    """, fixable=True)

declare("MI304", "flops-mismatch", "warning", """
    `Metadata.FLOPs` matches neither counting convention at the card's `Image Size`, nor the
    convention the card keeps.

    The model is run once on a meta tensor and its operators are counted with the formulas of
    `torch.utils.flop_counter` (the totals of its `FlopCounterMode`, without the module tracking
    that stops it on CaiT, PiT or NaFlexViT): 2 FLOPs per multiply-accumulate of convolutions and
    matrix products. A value agrees when it is within 5 % of (or rounds to) either the FLOPs or
    the MACs (half of them).

    Counters differ beyond that: timm's 2021 cards, for one, declare about 1.29x the MACs
    throughout. When the declared FLOPs of a card's models stand in one steady ratio to their
    MACs (at least three models, two thirds of them within 10 % of the median ratio), that ratio
    is the card's convention: only the models more than 10 % off it are reported, and the run says
    the convention once, in a notice. A card with fewer models, or without a steady ratio of its
    own, borrows the run's convention when the run has one. Such findings offer no fix (the tool
    cannot count in the card's convention). A card whose models mostly (two thirds of three or
    more) declare plain MACs, or 2 FLOPs per MAC, keeps that convention: the fix of a model that
    breaks it writes the count in it. Otherwise the fix writes the FLOPs (2 per
    multiply-accumulate).

    FLOPs are counted at the card's `Image Size`: when that size is itself disputed
    (image-size-mismatch), whose fix may replace it in the same run, the FLOPs fix is display-only
    and the message says so; once the size is settled, the next pass counts the FLOPs again.

    A model whose forward pass cannot run on meta tensors has no FLOPs to compare; the run says
    so in a notice.
    """, fixable=True)

declare("MI305", "flops-below-parameters", "error", """
    `Metadata.FLOPs` is smaller than the model's parameter count.

    Every parameter of a convolution or linear layer takes part in at least one
    multiply-accumulate per forward pass, so a forward pass costs more operations than there are
    parameters; a smaller value is a unit slip (GFLOPs written as FLOPs) or a wrong model.

    The fix writes the FLOPs at the card's `Image Size` in the card's convention, so a card does
    not mix two: on a card that keeps a multiple of the MACs of its own (or borrows the run's, see
    flops-mismatch), the measured MACs times that multiple, an estimate rather than a count, so
    the fix is unsafe; on a card whose models mostly declare plain MACs, the MACs; on any other
    card, 2 FLOPs per multiply-accumulate. When the `Image Size` is
    itself disputed (image-size-mismatch), the fix is display-only, as flops-mismatch's is.
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

    The card is checked as the Weights file's model (a file or hub id that timm lists), but only
    as a guess: either may be wrong. timm's own alias table has such mistakes (every
    `ig_resnext101_32x*d` maps to `resnext101_32x8d`, while `ig_resnext101_32x16-c6f796b0.pth` is
    `resnext101_32x16d.fb_wsl_ig1b_ft_in1k`), and cards copy a sibling's weights link
    (`efficientnet_b2a` linking `efficientnet_b3_ra2-cf984f9c.pth`). So the other findings on such
    a model are one severity softer and their fixes display-only.
    """)

declare("MI311", "unknown-model", "error", """
    A model that claims to be timm's names no timm model: neither its `Weights` file, nor
    `Metadata.ID`, nor `Name` is one timm knows.

    A model claims timm with a `Code` link into timm's repository (or its collection's), or
    through the configuration: `cross-check = "timm"`, or `per-file-cross-check` saying `timm` for
    its file. A library key alone does not: on the Hugging Face hub, `library_name: timm` says the
    repository loads with timm, also for a model that another package registers
    (`vgg16_bn_cifar10`), not that the name is one of timm's. A model that does not claim timm and
    resolves to nothing is another zoo's model: it is counted in a notice, not reported.

    The message suggests a timm architecture only when one is close: the same name with other
    separators (`mobileone-s0` → `mobileone_s0`), without a prefix word (`gluon_xception65` →
    `xception65`), or two letters away. Nothing else of the card can be cross-checked.
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
    against the commit a link names. A link pinned to a full 40-hex commit
    (`.../blob/d8e69206be253892b2956341fea09fdebfaae4e3/timm/models/gluon_resnet.py`) still shows
    the file as it was at that commit, where it may well have defined the model (timm's 2021 cards
    link their Gluon models so): it is reported one severity softer (info), and the message names
    the commit. A link on a branch (`main`, `master`) or a release tag is reported at the rule's
    severity, as is one on a shorter hash, which cannot be told from a branch name.

    The fix writes a link to the installed release's definition, line anchor included: in the
    card's repository when its link already points into a copy of timm (`timm/models/`), else in
    huggingface/pytorch-image-models.
    """, fixable=True)

declare("MI314", "top1-mismatch", "error", """
    A result's `Top 1 Accuracy` disagrees with the `top1` column of the `--results` CSV.

    Rows are matched by the card's ID, Name, then resolved `arch.tag`; a row named by the bare
    architecture (`resnet50`) is used only when the card names the model so, as that row measured
    whichever tag was the default when the CSV was written. Only results on ImageNet (or with no
    dataset) are compared. A value agrees when it equals the CSV's rounded to the declared decimals.
    """, fixable=True)

declare("MI315", "top5-mismatch", "error", """
    A result's `Top 5 Accuracy` disagrees with the `top5` column of the `--results` CSV (matched
    like top1-mismatch).
    """, fixable=True)

declare("MI316", "doubtful-resolution", "warning", """
    The card's own numbers contradict the model that an alias or a guess reached.

    When only timm's deprecated-name table or a guess (a name without a tag, a weights file
    matched by its stem) led to a model, and the card's `Parameters` or `File Size` are more than
    twice or less than half that model's, the resolution is wrong, not the card: timm's alias table
    maps every `ig_resnext101_32x*d` to `resnext101_32x8d`, so the 828M-parameter
    `ig_resnext101_32x48d` would be "fixed" to 88.8M. The finding names the model reached and the
    numbers that contradict it; nothing else of the model is compared, nothing is fixed or renamed,
    and the docs site shows no timm snippet for it.
    """)
