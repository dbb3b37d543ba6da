"""The cross-check stage end to end: findings by (code, line), the seed card, the cache, the pool."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")

import model_index.crosscheck as crosscheck  # noqa: E402
from model_index.config import ConfigError  # noqa: E402
import timm  # noqa: E402
from model_index.crosscheck import checkpoint, measure, parallel  # noqa: E402
from model_index.crosscheck.cache import Cache  # noqa: E402
from model_index.crosscheck.measure import FLOPS, MODEL, Unit  # noqa: E402
from model_index.lint import Options, validate  # noqa: E402

pytestmark = pytest.mark.timm

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "big-transfer.md"
SHARED = ROOT.parent / "shared" / "corpus"
RESNET18_TV = "https://download.pytorch.org/models/resnet18-f37072fd.pth"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("mi-cache"))


def write_card(directory, models_yaml):
    path = Path(directory) / "card.md"
    path.write_text("# Card\n\n<!--\nType: model-index\nModels:\n" + textwrap.dedent(models_yaml) + "-->\n")
    return path


def cross_findings(path, cache_dir, **options):
    _, result = validate([path], options=Options(cache_dir=cache_dir, **options))
    return [d for d in result.diagnostics if d.code.startswith("MI3")], result


def codes_at(diagnostics):
    return sorted((d.code, d.span.line) for d in diagnostics)


def test_agreeing_card_has_no_findings(tmp_path, cache_dir):
    path = write_card(tmp_path, f"""\
        - Name: resnet18
          Metadata:
            FLOPs: 1814073344
            Parameters: 11690000
            ID: resnet18
            Crop Pct: '0.875'
            Image Size: '224'
            Interpolation: bilinear
            Mean: [0.485, 0.456, 0.406]
            Training Data: [ImageNet]
          Code: https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/resnet.py#L1
          Weights: {RESNET18_TV}
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    assert diagnostics == []


def test_every_check_fires_at_its_field(tmp_path, cache_dir):
    path = write_card(tmp_path, f"""\
        - Name: resnet18
          Metadata:
            FLOPs: 1000
            Parameters: 12690000
            File Size: 87290831
            ID: resnet18
            Crop Pct: '0.9'
            Image Size: '256'
            Interpolation: bicubic
            Std: [0.5, 0.5, 0.5]
            Training Data: [ImageNet, JFT-300M]
          Code: https://github.com/rwightman/pytorch-image-models/blob/abc123/timm/models/resnest.py#L9
          Weights: {RESNET18_TV}
        - Name: resnet18 with 2021 FLOPs
          Metadata:
            FLOPs: 2337073152
            ID: resnet18
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    assert codes_at(diagnostics) == [
        ("MI301", 13), ("MI302", 9), ("MI303", 10), ("MI304", 21), ("MI305", 8), ("MI306", 12),
        ("MI307", 14), ("MI308", 15), ("MI312", 16), ("MI313", 17)]
    by_code = {d.code: d for d in diagnostics}
    assert by_code["MI302"].expected == 11689512 and by_code["MI302"].fix.replacement == "11689512"
    assert by_code["MI301"].expected == 224 and by_code["MI301"].field == "Metadata.Image Size"
    assert by_code["MI303"].model == "resnet18" and by_code["MI303"].actual == 87290831
    # the card links a copy of timm: the fix keeps its repository, at the installed release
    assert by_code["MI313"].fix.replacement.startswith(
        f"https://github.com/rwightman/pytorch-image-models/blob/v{timm.__version__}/timm/models/resnet.py#L")


def test_flops_are_measured_at_the_declared_image_size(tmp_path, cache_dir):
    path = write_card(tmp_path, """\
        - Name: resnet18
          Metadata:
            FLOPs: 3628146688
            Image Size: 256
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    flops = [d for d in diagnostics if d.code == "MI304"]
    assert len(flops) == 1 and flops[0].expected > 3628146688  # 256 px costs more than 224 px


def test_results_csv_checks_top1_and_top5(tmp_path, cache_dir):
    csv_path = tmp_path / "results.csv"
    csv_path.write_text('top5,model,param_count,top1\n89.078,resnet18,"11,690",69.758\n')
    path = write_card(tmp_path, """\
        - Name: resnet18
          Results:
          - Task: Image Classification
            Dataset: ImageNet
            Metrics:
              Top 1 Accuracy: 69.76%
              Top 5 Accuracy: 89.10%
        """)
    diagnostics, _ = cross_findings(path, cache_dir, results=str(csv_path))
    assert codes_at(diagnostics) == [("MI315", 12)]
    assert diagnostics[0].fix.replacement == "89.08%"


def test_a_results_value_that_is_not_a_number_is_a_notice_and_the_other_is_checked(tmp_path, cache_dir):
    csv_path = tmp_path / "results.csv"
    csv_path.write_text("model,top1,top5\nresnet18,69.758,abc\n")
    path = write_card(tmp_path, """\
        - Name: resnet18
          Results:
          - Task: Image Classification
            Dataset: ImageNet
            Metrics:
              Top 1 Accuracy: 69.00%
              Top 5 Accuracy: 89.10%
        """)
    diagnostics, result = cross_findings(path, cache_dir, results=str(csv_path))
    assert [d.code for d in diagnostics] == ["MI314"]  # the good value is compared as before
    assert [n for n in result.notices if f"{csv_path}:2:" in n and "'abc'" in n and "top5" in n]


def test_a_card_of_an_exact_tag_is_not_checked_against_its_architectures_row(tmp_path, cache_dir):
    csv_path = tmp_path / "results.csv"
    csv_path.write_text("model,top1,top5\nresnet18,69.758,89.078\n")  # the default tag of its day
    path = write_card(tmp_path, """\
        - Name: ResNet-18 (RSB A1)
          Metadata:
            ID: resnet18.a1_in1k
          Results:
          - Task: Image Classification
            Dataset: ImageNet
            Metrics:
              Top 1 Accuracy: 71.49%
        """)
    diagnostics, _ = cross_findings(path, cache_dir, results=str(csv_path))
    assert [d for d in diagnostics if d.code in ("MI314", "MI315")] == []


def test_seed_card_findings(cache_dir):
    diagnostics, _ = cross_findings(SEED, cache_dir)
    image = [d for d in diagnostics if d.code == "MI301"]
    assert sorted(d.span.line for d in image) == [70, 108, 147, 186, 225]
    assert {(d.expected, d.actual) for d in image} == {(448, "480")}
    assert "resnetv2_152x4_bitm" not in {d.model for d in image}
    deprecated = [d for d in diagnostics if d.code == "MI309"]
    assert len(deprecated) == 6 and {d.field for d in deprecated} == {"Metadata.ID"}
    assert not [d for d in diagnostics if d.code in ("MI302", "MI303")]


def test_warm_run_measures_nothing(tmp_path, monkeypatch):
    path = write_card(tmp_path, "- Name: resnet18.tv_in1k\n  Metadata:\n    Parameters: 1\n")
    cold, _ = cross_findings(path, str(tmp_path / "cache"))

    def no_measuring(*args, **kwargs):
        raise AssertionError("a warm run measured something")

    monkeypatch.setattr(parallel, "_run", no_measuring)
    monkeypatch.setattr(crosscheck, "build", no_measuring)
    warm, _ = cross_findings(path, str(tmp_path / "cache"))
    assert codes_at(warm) == codes_at(cold) == [("MI302", 8)]


def test_no_cache_neither_reads_nor_writes(tmp_path):
    path = write_card(tmp_path, "- Name: resnet18.tv_in1k\n  Metadata:\n    Parameters: 1\n")
    diagnostics, _ = cross_findings(path, str(tmp_path / "cache"), use_cache=False)
    assert codes_at(diagnostics) == [("MI302", 8)]  # it measured
    assert not (tmp_path / "cache").exists()


def test_process_pool_gives_the_same_facts(tmp_path):
    units = {Unit("resnet18.tv_in1k", 224, MODEL), Unit("resnet18.tv_in1k", 160, FLOPS),
             Unit("efficientnet_b0.ra_in1k", 224, MODEL), Unit("efficientnet_b0.ra_in1k", 224, FLOPS)}
    pooled = parallel.measure_all(units, Cache(enabled=False), workers=2)
    single = parallel.measure_all(units, Cache(enabled=False), workers=1)
    assert pooled == single and pooled[Unit("resnet18.tv_in1k", 224, MODEL)]["parameters"] == 11689512
    assert pooled[Unit("resnet18.tv_in1k", 160, FLOPS)]["flops"] > 0


def test_missing_torch_is_a_notice_or_under_always_an_error(tmp_path, monkeypatch):
    path = write_card(tmp_path, "- Name: resnet18\n")
    monkeypatch.setattr(crosscheck, "available", lambda: False)
    diagnostics, result = cross_findings(path, str(tmp_path / "cache"))
    assert diagnostics == [] and len(result.notices) == 1
    with pytest.raises(ConfigError):
        cross_findings(path, str(tmp_path / "cache"), cross_check="always")


def test_a_936m_parameter_model_costs_no_real_memory(tmp_path):
    script = textwrap.dedent("""
        import resource, torch, timm
        from model_index.crosscheck.measure import Unit, measure_architecture
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        (unit, facts), = measure_architecture([Unit("resnetv2_152x4_bit.goog_in21k_ft_in1k", 480)])
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(facts["parameters"], (after - before) // 1024)
        """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"}).stdout.split()
    parameters, grown_mb = int(out[0]), int(out[1])
    assert parameters == 936_533_224
    assert grown_mb < 200  # real fp32 weights alone would be 3.7 GB


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared corpus not available")
def test_shared_cards(cache_dir):
    cards = SHARED / "timm-docs-2021" / "models"
    paths = [cards / name for name in ("big-transfer.md", "wide-resnet.md", "ssl-resnext.md")]
    _, result = validate(paths, options=Options(cache_dir=cache_dir))
    by_model = {}
    for d in result.diagnostics:
        by_model.setdefault(d.model, set()).add(d.code)
    # the corpus's BiT card writes FLOPs smaller than the parameter count
    assert sum("MI305" in codes for model, codes in by_model.items() if model.endswith("_bitm")) == 6
    # torchvision's half-precision wide_resnet101_2 checkpoint (fp32 norms) is a valid size: it was
    # resolved and measured, and its File Size agrees with the mixed-precision checkpoint
    assert not by_model.get("wide_resnet101_2", set()) & {"MI303", "MI311"}
    measured, = Cache(cache_dir).directory.glob("model-wide_resnet101_2.*@224.json")
    facts = json.loads(measured.read_text())
    assert {c.precision for c in checkpoint.candidates(facts) if c.agrees(254695146)} == {"fp16 mixed"}
    assert "MI310" not in by_model.get("ssl_resnext101_32x4d", set())  # its Weights file agrees with the alias


def test_safetensors_weights_with_a_query_are_compared_as_safetensors(tmp_path, cache_dir):
    path = write_card(tmp_path, """\
        - Name: resnet18
          Metadata:
            File Size: 1000000
          Weights: https://huggingface.co/timm/resnet18.a1_in1k/resolve/main/model.safetensors?download=true
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    (found,) = [d for d in diagnostics if d.code == "MI303"]
    (facts,) = [f for _, f in measure.measure_architecture([Unit("resnet18.a1_in1k", 224, MODEL)])]
    fp32 = {c.container: c.size for c in checkpoint.candidates(facts) if c.precision == "fp32" and c.counters}
    assert found.expected == fp32["safetensors"] != fp32["zip"]


def test_code_fix_leaves_a_repository_that_is_not_timm(tmp_path, cache_dir):
    path = write_card(tmp_path, """\
        - Name: resnetv2_50x1_bit
          Metadata:
            ID: resnetv2_50x1_bit.goog_in21k_ft_in1k
          Code: https://github.com/google-research/big_transfer/blob/master/bit_pytorch/models.py
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    (found,) = [d for d in diagnostics if d.code == "MI313"]
    assert found.fix.replacement.startswith(
        f"https://github.com/huggingface/pytorch-image-models/blob/v{timm.__version__}/timm/models/resnetv2.py#L")


def test_training_data_with_an_unknown_name_is_not_said_to_omit_one(tmp_path, cache_dir):
    path = write_card(tmp_path, """\
        - Name: unknown name
          Metadata:
            ID: resnetv2_50x1_bit.goog_in21k_ft_in1k
            Training Data: [ImageNet, Some Private Set]
        - Name: known spelling
          Metadata:
            ID: resnetv2_50x1_bit.goog_in21k_ft_in1k
            Training Data: [ImageNet 21k (fall 2011), ImageNet]
        - Name: omitted
          Metadata:
            ID: resnetv2_50x1_bit.goog_in21k_ft_in1k
            Training Data: [ImageNet]
        """)
    diagnostics, _ = cross_findings(path, cache_dir)
    assert codes_at([d for d in diagnostics if d.code == "MI312"]) == [("MI312", 17)]


def test_flops_that_cannot_be_counted_are_a_notice(tmp_path, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("data-dependent forward")

    monkeypatch.setattr(measure, "flops", fails)
    path = write_card(tmp_path, "- Name: resnet18.tv_in1k\n  Metadata:\n    FLOPs: 1\n    Parameters: 1\n")
    diagnostics, result = cross_findings(path, str(tmp_path / "cache"), jobs=1)  # measured here, patched
    assert codes_at(diagnostics) == [("MI302", 9)]  # no FLOPs finding, the parameters still checked
    assert len(result.notices) == 1 and "resnet18" in result.notices[0]


def test_zero_measured_flops_do_not_divide_by_zero(tmp_path, monkeypatch):
    monkeypatch.setattr(measure, "flops", lambda *args, **kwargs: 0)
    path = write_card(tmp_path, "- Name: resnet18\n  Metadata:\n    FLOPs: 2000000000\n")
    diagnostics, _ = cross_findings(path, str(tmp_path / "cache"), jobs=1)  # measured here, patched
    assert [(d.code, d.expected) for d in diagnostics] == [("MI304", 0)]


def test_a_bad_results_path_fails_before_measuring(tmp_path, monkeypatch):
    def no_measuring(*args, **kwargs):
        raise AssertionError("measured before reading the results CSV")

    monkeypatch.setattr(crosscheck, "measure_all", no_measuring)
    path = write_card(tmp_path, "- Name: resnet18\n")
    with pytest.raises(ConfigError):
        cross_findings(path, str(tmp_path / "cache"), results=str(tmp_path / "missing.csv"))


def test_another_image_size_builds_once_and_counts_flops_once(monkeypatch):
    built, counted = [], []
    build, count = measure._build, measure.flops
    monkeypatch.setattr(measure, "_build", lambda *args: built.append(args) or build(*args))
    monkeypatch.setattr(measure, "flops", lambda *args: counted.append(args[1:]) or count(*args))
    facts = dict(measure.measure_architecture([Unit("resnet18.tv_in1k", 224, MODEL),
                                               Unit("resnet18.tv_in1k", 256, FLOPS)]))
    assert len(built) == 1 and counted == [(256, 3)]
    assert "parameters" in facts[Unit("resnet18.tv_in1k", 224, MODEL)]
    assert set(facts[Unit("resnet18.tv_in1k", 256, FLOPS)]) == {"flops"}


def test_the_run_records_each_models_current_timm_name(tmp_path, cache_dir):
    # The docs site names models by what the validation run resolved, model by model.
    path = write_card(tmp_path, """\
        - Name: resnetv2_50x1_bitm
          Metadata:
            ID: resnetv2_50x1_bitm
        - Name: plain
          Metadata:
            ID: resnet18
        - Name: nothing_timm_knows
        """)
    index, result = validate([path], options=Options(cache_dir=cache_dir))
    assert {m.name: result.resolved.get(m) for m in index.models} == {
        "resnetv2_50x1_bitm": "resnetv2_50x1_bit.goog_in21k_ft_in1k",
        "plain": f"resnet18.{timm.models.get_pretrained_cfg('resnet18').tag}",
        "nothing_timm_knows": None,
    }
