"""A card cannot make the cross-check count FLOPs at an unbounded number of image sizes."""

import importlib.util

import pytest

from model_index.crosscheck.budget import OTHER_SIZES, FlopsBudget
from model_index.crosscheck.measure import FLOPS, MODEL, Unit
from model_index.crosscheck.registry import Registry

CFGS = {"resnet18.a1_in1k": {"input_size": [3, 224, 224], "test_input_size": [3, 288, 288]},
        "resnet18.tv_in1k": {"input_size": [3, 224, 224], "test_input_size": None},
        "vit_tiny_patch16_384.augreg_in21k_ft_in1k": {"input_size": [3, 384, 384]}}


def registry():
    return Registry("0", CFGS, {name.partition(".")[0]: name.partition(".")[2] for name in CFGS}, {}, {})


def offer(budget, path, full_name, size):
    default = CFGS[full_name]["input_size"][-1]
    unit = Unit(full_name, size, FLOPS)
    budget.offer(path, Unit(full_name, default, MODEL), unit)
    return unit


def test_config_sizes_are_free_and_other_sizes_bounded_per_architecture_and_file():
    budget = FlopsBudget(registry())
    free = [offer(budget, "a.md", "resnet18.a1_in1k", size) for size in (224, 288)]
    others = [offer(budget, "a.md", "resnet18.a1_in1k", size) for size in range(300, 310)]
    again = offer(budget, "a.md", "resnet18.tv_in1k", 300)  # another tag, a size already taken: free
    assert budget.units == {*free, *others[:OTHER_SIZES], again}
    assert budget.notice() is not None


def test_each_file_and_each_architecture_has_its_own_bound():
    budget = FlopsBudget(registry())
    units = [offer(budget, path, name, size) for path in ("a.md", "b.md")
             for name in ("resnet18.tv_in1k", "vit_tiny_patch16_384.augreg_in21k_ft_in1k")
             for size in range(500, 500 + OTHER_SIZES)]
    assert budget.units == set(units) and budget.notice() is None


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("torch", "timm")), reason="needs torch and timm")
@pytest.mark.timm
def test_a_card_declaring_a_thousand_image_sizes_counts_a_bounded_number(tmp_path, monkeypatch):
    import timm

    from model_index.crosscheck import measure
    from model_index.lint import Options, validate

    sizes = list(range(100, 1100))
    lines = ["<!--", "Type: model-index", "Models:"]
    line_of = {}
    for size in sizes:
        lines += [f"- Name: m{size}", "  Metadata:", "    ID: resnet18.a1_in1k",
                  f"    Image Size: {size}", "    FLOPs: 99999999999999"]
        line_of[len(lines)] = size  # the FLOPs line (1-based: the block starts on line 1)
    card = tmp_path / "amplifier.md"
    card.write_text("\n".join(lines + ["-->", ""]), encoding="utf-8")

    built, counted = [], []
    build, count = measure._build, measure.flops
    monkeypatch.setattr(measure, "_build", lambda *args: built.append(args) or build(*args))
    monkeypatch.setattr(measure, "flops", lambda model, size, *rest: counted.append(size) or count(model, size, *rest))
    _, result = validate([card], options=Options(cache_dir=str(tmp_path / "cache"), jobs=1))

    cfg = timm.models.get_pretrained_cfg("resnet18.a1_in1k")
    config_sizes = {s[-1] for s in (cfg.input_size, cfg.test_input_size) if s}
    expected = set(sizes[:OTHER_SIZES]) | config_sizes
    assert sorted(counted) == sorted(expected) and len(built) == 1
    flops_lines = {d.span.line for d in result.diagnostics if d.code == "MI304"}
    assert {line_of[line] for line in flops_lines} == expected  # nothing said of the sizes not measured
    assert len(result.notices) == 1

