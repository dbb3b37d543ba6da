"""Measuring on the meta device: the lean FLOPs counter against torch's FlopCounterMode, the
models it could not count before, and building without writing initial values."""

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")

import timm  # noqa: E402
import torch  # noqa: E402
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from model_index.crosscheck import flop_count, measure  # noqa: E402
from model_index.crosscheck.measure import FLOPS, MODEL, Unit  # noqa: E402
from model_index.crosscheck.meta_init import SkipValueWrites  # noqa: E402

pytestmark = pytest.mark.timm

# a convnet with batch norm, a ViT, an EfficientNet (batch norm, depthwise, squeeze-excite), a ConvNeXt (layer norm)
MODELS = ["resnet18", "vit_tiny_patch16_224", "efficientnet_b0", "convnext_atto"]


def plain_build(name, **kwargs):
    """The model as timm builds it on the meta device, every initialiser run."""
    with torch.device("meta"):
        return timm.create_model(name, pretrained=False, **kwargs).eval()


def flop_counter_mode(model, size):
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.empty(1, 3, size, size, device="meta"))
    return counter.get_total_flops()


def tensors(model):
    return [(key, tuple(t.shape), t.dtype, t.stride()) for key, t in model.state_dict().items()]


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("size", [224, 160])
def test_the_lean_counter_gives_flop_counter_modes_totals(name, size):
    model = plain_build(name, **({"img_size": size} if name.startswith("vit") else {}))  # a ViT's size is fixed
    expected = flop_counter_mode(model, size)
    assert expected > 0
    assert flop_count.count(model, size) == expected
    assert flop_count.count(model, size) == expected  # again, answered from what the first pass remembered


@pytest.mark.parametrize("name", MODELS)
def test_skipping_initial_values_keeps_parameters_and_state_dict(name):
    plain = plain_build(name)
    built = measure._build(name, {})
    assert sum(p.numel() for p in built.parameters()) == sum(p.numel() for p in plain.parameters())
    assert tensors(built) == tensors(plain)
    assert measure._model_facts(built) == measure._model_facts(plain)


class Recorder(TorchDispatchMode):
    """Records the packets of the operators that reach it."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.seen.append(func._overloadpacket)
        return func(*args, **(kwargs or {}))


def test_value_writes_into_meta_tensors_are_skipped_and_nothing_else():
    aten = torch.ops.aten
    weight = torch.empty(4, 3, device="meta")
    on_cpu = torch.zeros(3)
    with Recorder() as below, SkipValueWrites():
        torch.nn.init.trunc_normal_(weight, std=0.02)
        torch.nn.init.kaiming_normal_(weight)
        weight.fill_(1.0)
        weight.unsqueeze_(0)  # changes the shape: runs
        on_cpu.fill_(2.0)  # a real tensor: written
    assert not {aten.uniform_, aten.normal_, aten.erfinv_, aten.mul_, aten.clamp_} & set(below.seen)
    assert below.seen.count(aten.fill_) == 1 and aten.unsqueeze_ in below.seen
    assert weight.shape == (1, 4, 3) and on_cpu.tolist() == [2.0, 2.0, 2.0]


class Calls(TorchDispatchMode):
    """Records every call with the metadata of its real outputs."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        self.calls.append((func, args, kwargs or {}, metadata(out)))
        return out


def metadata(out):
    if isinstance(out, torch.Tensor):
        return ("tensor", tuple(out.shape), out.stride(), out.dtype, out.device.type)
    if isinstance(out, (list, tuple)):
        return [metadata(o) for o in out]
    return out


@pytest.mark.parametrize("name", ["efficientnet_b0", "vit_tiny_patch16_224"])
def test_remembered_outputs_have_the_real_outputs_metadata(name, monkeypatch):
    model = plain_build(name)
    with Calls() as recorded, torch.no_grad():
        model(torch.empty(1, 3, 224, 224, device="meta"))
    answered = []
    fresh = flop_count._fresh
    monkeypatch.setattr(flop_count, "_fresh", lambda shape: answered.append(shape) or fresh(shape))
    for func, args, kwargs, real in recorded.calls:
        flop_count._run(func, args, kwargs)  # remembers the call where it may
        assert metadata(flop_count._run(func, args, kwargs)) == real, func
    assert len(answered) > len(recorded.calls) / 2  # most calls were answered from memory, not run


@pytest.mark.parametrize("full_name", ["cait_xxs24_224.fb_dist_in1k", "pit_ti_224.in1k",
                                       "naflexvit_base_patch16_gap.e300_s576_in1k"])
def test_models_whose_module_hooks_stopped_flop_counter_mode_are_counted(full_name):
    facts = dict(measure.measure_architecture([Unit(full_name, 224, MODEL), Unit(full_name, 224, FLOPS)]))
    counted, parameters = facts[Unit(full_name, 224, FLOPS)], facts[Unit(full_name, 224, MODEL)]["parameters"]
    assert set(counted) == {"flops"}
    # a transformer applies every weight to each of its tokens at least once: 2 FLOPs per use
    assert counted["flops"] > 2 * parameters


def test_the_operators_flop_counter_mode_would_decompose_are_ones_it_counts_nothing_in():
    """FlopCounterMode runs an operator's Python decomposition where torch has one that the
    dispatcher itself does not use; the lean counter runs the operator. That gives the same totals
    only while those operators contain no counted one. A torch that adds such an operator fails
    here, so that it is looked at."""
    from torch._C import DispatchKey

    import torch._decomp  # noqa: F401  (registers the Python decompositions)

    implicit = DispatchKey.CompositeImplicitAutograd
    decomposed = set()
    for qualified in torch._C._dispatch_get_all_op_names():  # "aten::name.overload", every one registered
        namespace, _, full = qualified.partition("::")
        name, _, overload = full.partition(".")
        if namespace != "aten":
            continue
        op = getattr(getattr(torch.ops.aten, name), overload or "default")
        if implicit in op.py_kernels and not torch._C._dispatch_has_kernel_for_dispatch_key(qualified, implicit):
            decomposed.add(name)
    assert decomposed <= {"native_batch_norm", "upsample_nearest1d", "upsample_nearest2d", "upsample_nearest3d",
                          "_upsample_nearest_exact1d", "_upsample_nearest_exact2d", "_upsample_nearest_exact3d"}
    assert "native_batch_norm" in decomposed  # the enumeration sees them


def test_flops_that_cannot_be_counted_at_a_size_say_the_size_the_model_is_configured_for():
    atto = "convnext_atto.d2_in1k"
    configured = timm.models.get_pretrained_cfg(atto).input_size[-1]
    facts = dict(measure.measure_architecture([Unit(atto, 17, FLOPS), Unit(atto, configured, FLOPS)]))
    assert set(facts[Unit(atto, configured, FLOPS)]) == {"flops"}
    (why,) = facts[Unit(atto, 17, FLOPS)].values()  # 17 px shrink below a downsampling kernel
    assert f"{configured} px" in why
