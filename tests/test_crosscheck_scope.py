"""The parts of trust that need no torch: scope, close names, tag evidence, FLOPs conventions, rounding."""

from __future__ import annotations

import pytest

from model_index import index as index_mod
from model_index.crosscheck import conventions, evidence, scope
from model_index.crosscheck.numbers import off_in_last_digit
from model_index.crosscheck.registry import Registry
from model_index.crosscheck.resolve import Resolution, Step, candidates

NAMES = ["xception65", "mobileone_s0", "mobileone_s3", "resnet18", "resnet50x16_clip", "resnet101"]


@pytest.mark.parametrize("written, suggested", [
    ("gluon_xception65", "xception65"),  # a prefix word timm dropped
    ("mobileone-s0", "mobileone_s0"),  # other separators, not the nearest other size
    ("resnet19x", "resnet18"),  # two letters away
    ("resnet18_8xb16_cifar10", None),  # another zoo's name that shares a stem
    ("convnext-tiny_32xb128_in1k", None),
])
def test_a_name_is_suggested_only_when_close(written, suggested):
    assert scope.close_name(written, NAMES) == suggested


@pytest.mark.parametrize("url, timm", [
    ("https://github.com/rwightman/pytorch-image-models/blob/d8e6920/timm/models/hrnet.py#L800", True),
    ("https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/resnet.py", True),
    ("https://github.com/someone/fork/blob/main/timm/models/resnet.py", True),  # a copy of timm
    ("https://github.com/open-mmlab/mmpretrain/blob/v0.15.0/mmcls/models/backbones/swin_transformer.py", False),
    ("https://github.com/huggingface/pytorch-image-models-fork/blob/main/x.py", False),
])
def test_code_links_into_timm(url, timm):
    assert scope.links_timm(url) is timm


def _models(tmp_path, yaml_text: str, name: str = "card.md"):
    path = tmp_path / name
    path.write_text(f"<!--\n{yaml_text}-->\n", encoding="utf-8")
    return index_mod.load([path])


def test_what_a_card_claims(tmp_path):
    index = _models(tmp_path, """\
Collections:
- Name: Family
  Code:
    URL: https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/hrnet.py
Models:
- Name: by code
  Code: https://github.com/rwightman/pytorch-image-models/blob/master/timm/models/x.py
- Name: by library
  Library: timm
- Name: by metadata
  Metadata:
    Framework: [PyTorch, timm]
- Name: by collection
  In Collection: Family
- Name: another zoo's
  Code: https://github.com/open-mmlab/mmpretrain/blob/v1/x.py
- Name: by one of its collections
  In Collection: [Elsewhere, Family]
- Name: by a collection of a strange name
  In Collection: {Family: 1}
""")
    collections = {c.name: c for c in index.collections}
    claims = {m.name: scope.claim(m, collections, {}, timm_zoo=False) for m in index.models}
    assert claims == {"by code": scope.CODE_CLAIM, "by library": scope.LIBRARY_CLAIM,
                      "by metadata": scope.LIBRARY_CLAIM, "by collection": scope.CODE_CLAIM, "another zoo's": None,
                      "by one of its collections": scope.CODE_CLAIM, "by a collection of a strange name": None}
    assert all(scope.claim(m, collections, {}, timm_zoo=True) is scope.ZOO_CLAIM for m in index.models)


def test_a_hub_cards_library_name_claims_timm_but_vouches_for_no_name(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("---\nlibrary_name: timm\nmodel-index:\n- name: vgg16_bn_cifar10\n  results: []\n---\n",
                    encoding="utf-8")
    index = index_mod.load([path])
    front_matter = {b.path: b.tree.data for b in index.blocks}
    (model,) = index.models
    assert scope.claim(model, {}, front_matter, timm_zoo=False) is scope.LIBRARY_CLAIM


@pytest.mark.parametrize("resolution, claimed, checked", [
    (Resolution(None), scope.CODE_CLAIM, True),  # unknown-model
    (Resolution(None), scope.ZOO_CLAIM, True),  # unknown-model
    (Resolution(None), scope.LIBRARY_CLAIM, False),  # another package's model that loads with timm
    (Resolution(None), None, False),
    (Resolution("net.in1k", Step.WEIGHTS_STEM), scope.LIBRARY_CLAIM, True),  # resolved, if only by a guess
    (Resolution("net.in1k", Step.WEIGHTS_STEM), None, False),  # a file name alone ties nothing
    (Resolution("net.in1k", Step.NAME, tied=True), None, True),
])
def test_which_models_the_cross_check_takes(resolution, claimed, checked):
    assert scope.is_timm(resolution, claimed) is checked


def _registry() -> Registry:
    """Two releases of one architecture that only Crop Pct and Training Data tell apart."""
    cfg = {"input_size": [3, 224, 224], "test_input_size": None, "interpolation": "bilinear",
           "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "num_classes": 1000,
           "fixed_input_size": False, "test_crop_pct": None}
    return Registry("1.0", {"net.aug_in1k": {**cfg, "crop_pct": 0.95}, "net.in1k": {**cfg, "crop_pct": 0.875},
                            "net.in21k_ft_in1k": {**cfg, "crop_pct": 0.875}},
                    {"net": "aug_in1k"}, {}, {}, {"net-8cb57bb9.pth": ["net.in1k"]})


@pytest.mark.parametrize("metadata, chosen, reasons", [
    ("Crop Pct: '0.875'\n    Training Data: [ImageNet]", "net.in1k", ["Crop Pct", "Training Data"]),
    ("Crop Pct: 0.95", "net.aug_in1k", ["Crop Pct"]),
    ("Interpolation: bilinear", "net.aug_in1k", []),  # nothing tells the tags apart: the default
    ("Crop Pct: 0.875", "net.in1k", []),  # two fit equally: the first of them, and no reason claimed
])
def test_the_cards_facts_choose_the_tag(tmp_path, metadata, chosen, reasons):
    model, = _models(tmp_path, f"Models:\n- Name: net\n  Metadata:\n    {metadata}\n").models
    registry = _registry()
    assert evidence.choose(model, candidates("net", registry), registry) == (chosen, reasons)


def test_a_weights_file_stem_is_evidence(tmp_path):
    model, = _models(tmp_path, "Models:\n- Name: net\n  Weights: https://example.org/net-00000000.pth\n").models
    registry = _registry()
    assert evidence.choose(model, ["net.aug_in1k", "net.in1k", "net.in21k_ft_in1k"], registry) == (
        "net.in1k", ["Weights file"])


def test_a_stated_fact_outweighs_a_weights_file_of_the_same_name(tmp_path):
    # another release's file of the same name (another hash) against the card's Crop Pct
    model, = _models(tmp_path, "Models:\n- Name: net\n  Metadata:\n    Crop Pct: 0.95\n"
                                "  Weights: https://example.org/net-00000000.pth\n").models
    registry = _registry()
    assert evidence.choose(model, ["net.in1k", "net.aug_in1k"], registry) == ("net.aug_in1k", ["Crop Pct"])


def test_a_steady_ratio_is_a_convention():
    assert conventions.learn([1.28, 1.29, 1.29, 1.30]) == pytest.approx(1.29)
    assert conventions.learn([1.29, 1.29]) is None  # too few to show one
    assert conventions.learn([1.0, 1.01, 0.99]) is None  # MACs: a standard convention, nothing to learn
    assert conventions.learn([1.2, 2.6, 0.5, 1.9]) is None  # no steady ratio
    assert conventions.learn([0.001, 0.001, 0.001]) is None  # a steady unit slip


def test_a_small_card_borrows_the_runs_convention():
    learned = conventions.by_card([("a.md", 1.29), ("a.md", 1.28), ("a.md", 1.30), ("b.md", 1.29),
                                   ("c.md", 1.0), ("c.md", 1.0), ("c.md", 1.01)])
    assert set(learned) == {"a.md", "b.md", "c.md"} and learned["b.md"] == pytest.approx(1.29)
    assert learned["c.md"] == 1.0  # c.md keeps plain MACs, a standard convention
    assert "2 card(s)" in conventions.notice(learned)  # which goes without saying


@pytest.mark.parametrize("declared, measured, off", [
    (55850000, 55_843_464, True),  # 55.85M for 55.84M
    (16820000, 16_806_976, True),
    (16830000, 16_806_976, False),  # two units off: not a rounding slip
    (25000000, 26_400_000, False),  # two significant digits say too little to call it rounding
    (11690000, 11_689_512, False),  # agrees
])
def test_a_last_digit_off_is_a_rounding_slip(declared, measured, off):
    assert off_in_last_digit(declared, measured) is off
