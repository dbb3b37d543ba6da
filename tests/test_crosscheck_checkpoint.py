"""The checkpoint size model, calibrated against real files written here, and the seed's BiT sizes."""

import pytest

torch = pytest.importorskip("torch")
timm = pytest.importorskip("timm")
safetensors_torch = pytest.importorskip("safetensors.torch")

from model_index.crosscheck import checkpoint  # noqa: E402
from model_index.crosscheck.measure import Unit, measure_architecture  # noqa: E402

pytestmark = pytest.mark.timm

SMALL = ["resnet18.a1_in1k", "tf_mobilenetv3_small_075.in1k", "efficientnet_b0.ra_in1k"]
SEED_SIZES = {  # the seed card's File Size of each BiT-M model (fp32 .npz → .pth conversions)
    "resnetv2_152x4_bit.goog_in21k_ft_in1k": 3746270104,
    "resnetv2_152x2_bit.goog_in21k_ft_in1k": 945476668,
    "resnetv2_50x1_bit.goog_in21k_ft_in1k": 102242668,
    "resnetv2_101x3_bit.goog_in21k_ft_in1k": 1551830100,
    "resnetv2_50x3_bit.goog_in21k_ft_in1k": 869321580,
    "resnetv2_101x1_bit.goog_in21k_ft_in1k": 178256468,
}


def facts_of(full_name):
    (unit, facts), = measure_architecture([Unit(full_name, 224)])
    assert "error" not in facts
    return facts


def write(path, state_dict, container):
    if container == "safetensors":
        safetensors_torch.save_file({k: v.contiguous() for k, v in state_dict.items()}, str(path))
    else:
        torch.save(state_dict, path, _use_new_zipfile_serialization=container == "zip")
    return path.stat().st_size


def cast(state_dict, precision):
    def one(name, tensor):
        if not tensor.is_floating_point():
            return tensor
        if precision == "bf16":
            return tensor.to(torch.bfloat16)
        if precision == "fp16" or precision == "fp16 mixed" and tensor.dim() > 1:
            return tensor.half()
        return tensor
    return {k: one(k, v) for k, v in state_dict.items()}


@pytest.mark.parametrize("full_name", SMALL)
@pytest.mark.parametrize("container", ["zip", "legacy", "safetensors"])
def test_real_checkpoints_agree(tmp_path, full_name, container):
    facts = facts_of(full_name)
    state_dict = timm.create_model(full_name, pretrained=False).state_dict()
    for precision, label in [("fp32", "fp32"), ("fp16", "fp16"), ("bf16", "fp16"), ("fp16 mixed", "fp16 mixed")]:
        size = write(tmp_path / f"{precision}.{container}", cast(state_dict, precision), container)
        matching = [c for c in checkpoint.candidates(facts) if c.agrees(size)]
        assert (container, label) in [(c.container, c.precision) for c in matching], (precision, size)
        if container == "safetensors" and precision != "bf16":  # exact (bf16 only spells its dtype longer)
            assert [c.size for c in checkpoint.candidates(facts)
                    if (c.container, c.precision, c.counters) == (container, label, True)] == [size]


def test_seed_big_transfer_sizes_agree_within_five_hundredths_of_a_percent():
    for full_name, declared in SEED_SIZES.items():
        facts = facts_of(full_name)
        best = min(checkpoint.candidates(facts), key=lambda c: abs(c.size - declared))
        assert (best.container, best.precision) == ("zip", "fp32")
        assert abs(declared - best.size) / best.size < 0.0005, full_name
        assert best.agrees(declared)


@pytest.mark.parametrize("ratio", [0.69, 1.35, 2.2])
def test_a_size_copied_from_a_sibling_is_flagged(ratio):
    facts = facts_of("resnetv2_50x1_bit.goog_in21k_ft_in1k")
    declared = round(SEED_SIZES["resnetv2_50x1_bit.goog_in21k_ft_in1k"] * ratio)
    assert not any(c.agrees(declared) for c in checkpoint.candidates(facts))


@pytest.mark.parametrize("container", ["zip", "legacy", "safetensors"])
def test_checkpoints_without_batchnorm_counters_agree(tmp_path, container):
    facts = facts_of("resnet18.a1_in1k")
    state_dict = {k: v for k, v in timm.create_model("resnet18.a1_in1k").state_dict().items()
                  if not k.endswith("num_batches_tracked")}  # as PyTorch before 0.4.1 saved them
    size = write(tmp_path / f"old.{container}", state_dict, container)
    matching = [c for c in checkpoint.candidates(facts) if c.agrees(size)]
    (old,) = [c for c in matching if (c.container, c.precision, c.counters) == (container, "fp32", False)]
    assert old.label.endswith("without num_batches_tracked")
    if container == "safetensors":  # computed exactly
        assert old.size == size


def test_a_file_with_a_few_percent_of_extras_agrees_and_more_does_not(tmp_path):
    facts = facts_of("resnet18.a1_in1k")
    state_dict = timm.create_model("resnet18.a1_in1k").state_dict()
    tensor_bytes = sum(t.numel() * t.element_size() for t in state_dict.values())
    sizes = {}
    for share in (0.02, 0.06):  # an extra storage of 2 % and 6 % of the tensors' bytes
        extra = torch.zeros(int(tensor_bytes * share / 4))
        sizes[share] = write(tmp_path / f"{share}.pth", {**state_dict, "extra": extra}, "zip")
    options = checkpoint.candidates(facts)
    assert not any(c.agrees(size) for size in sizes.values() for c in options)
    assert checkpoint.holds_extras(sizes[0.02], options)
    assert not checkpoint.holds_extras(sizes[0.06], options)
