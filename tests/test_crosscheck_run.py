"""The cross-check stage end to end: findings by (code, line), the seed card, the cache, the pool."""

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
from model_index.crosscheck import parallel  # noqa: E402
from model_index.crosscheck.cache import Cache  # noqa: E402
from model_index.crosscheck.measure import Unit  # noqa: E402
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
    assert "timm/models/resnet.py#L" in by_code["MI313"].fix.replacement
    assert "resnet18.tv_in1k" in by_code["MI302"].message  # says how the model was resolved


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
    path = write_card(tmp_path, "- Name: resnet18\n  Metadata:\n    Parameters: 1\n")
    cold, _ = cross_findings(path, str(tmp_path / "cache"))

    def no_measuring(*args, **kwargs):
        raise AssertionError("a warm run measured something")

    monkeypatch.setattr(parallel, "_run", no_measuring)
    monkeypatch.setattr(crosscheck, "build", no_measuring)
    warm, _ = cross_findings(path, str(tmp_path / "cache"))
    assert codes_at(warm) == codes_at(cold) == [("MI302", 8)]


def test_no_cache_neither_reads_nor_writes(tmp_path):
    path = write_card(tmp_path, "- Name: resnet18\n")
    cross_findings(path, str(tmp_path / "cache"), use_cache=False)
    assert not (tmp_path / "cache").exists()


def test_process_pool_gives_the_same_facts(tmp_path):
    units = {Unit("resnet18.tv_in1k", 224), Unit("resnet18.tv_in1k", 160), Unit("efficientnet_b0.ra_in1k", 224)}
    pooled = parallel.measure_all(units, Cache(enabled=False), workers=2)
    single = parallel.measure_all(units, Cache(enabled=False), workers=1)
    assert pooled == single and pooled[Unit("resnet18.tv_in1k", 224)]["parameters"] == 11689512


def test_missing_torch_is_a_notice_or_under_always_an_error(tmp_path, monkeypatch):
    path = write_card(tmp_path, "- Name: resnet18\n")
    monkeypatch.setattr(crosscheck, "available", lambda: False)
    diagnostics, result = cross_findings(path, str(tmp_path / "cache"))
    assert diagnostics == [] and len(result.notices) == 1 and "torch and timm" in result.notices[0]
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
    # torchvision's half-precision wide_resnet101_2 checkpoint (fp32 norms) is a valid size
    assert "MI303" not in by_model.get("wide_resnet101_2", set())
    assert "MI310" not in by_model.get("ssl_resnext101_32x4d", set())  # its Weights file agrees with the alias
