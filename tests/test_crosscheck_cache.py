"""The cache and the pool: what is cached, what counts as a miss, and surviving a dead worker."""

import os
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")

from model_index.crosscheck import cache as cache_mod  # noqa: E402
from model_index.crosscheck import checkpoint, parallel, registry as registry_mod  # noqa: E402
from model_index.crosscheck.cache import Cache  # noqa: E402
from model_index.crosscheck.measure import FLOPS, MODEL, Unit  # noqa: E402
from model_index.lint import Options, validate  # noqa: E402

pytestmark = pytest.mark.timm

RESNET18 = "resnet18.tv_in1k"


def mi3_codes(path, cache_dir):
    _, result = validate([path], options=Options(cache_dir=str(cache_dir)))
    return [(d.code, d.span.line, d.expected) for d in result.diagnostics if d.code.startswith("MI3")]


@pytest.fixture
def card(tmp_path):
    path = tmp_path / "card.md"
    path.write_text(f"<!--\nType: model-index\nModels:\n- Name: {RESNET18}\n  Metadata:\n    Parameters: 1\n-->\n")
    return path


def test_a_registry_written_by_another_version_is_rebuilt(tmp_path, card):
    cache = Cache(tmp_path / "cache")
    cache.put("registry", {"timm_version": "0", "cfgs": {}, "written_by": "another model-index"})
    assert mi3_codes(card, tmp_path / "cache") == [("MI302", 6, 11689512)]
    assert registry_mod.Registry.from_dict(cache.get("registry")) is not None  # replaced by a readable one


@pytest.mark.parametrize("damaged", [{"parameters": 5}, {"parameters": 5, "tensors": 1, "checkpoint_sizes": []},
                                     [1, 2], "text"])
def test_cached_facts_of_another_shape_are_measured_again(tmp_path, card, damaged):
    cache = Cache(tmp_path / "cache")
    cache.put(Unit(RESNET18, 224, MODEL).key, damaged)
    assert mi3_codes(card, tmp_path / "cache") == [("MI302", 6, 11689512)]


def test_cached_facts_are_raw_measurements(tmp_path, card):
    mi3_codes(card, tmp_path / "cache")
    cache = Cache(tmp_path / "cache")
    model = cache.get(Unit(RESNET18, 224, MODEL).key)
    measures = {"tensors", "key_chars", "dims", "data", "safetensors_header"}
    assert set(model) == {"parameters", "without_counters", *measures}
    assert set(model["without_counters"]) == measures
    assert set(cache.get(Unit(RESNET18, 224, FLOPS).key)) == {"flops"}


def test_each_model_index_version_has_its_own_cache(tmp_path, monkeypatch):
    before = Cache(tmp_path).directory
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert Cache(tmp_path).directory != before


def test_the_registry_snapshot_holds_no_path_of_this_installation():
    import timm.models.resnet

    relative = registry_mod.build().sources["resnet18"]
    assert relative == "timm/models/resnet.py"  # resolved against whichever timm is installed
    assert Path(registry_mod.installed_source(relative)).samefile(timm.models.resnet.__file__)


def crash_on_resnet18(units):
    """A measure function whose process dies on resnet18 (as a segfault or an OOM kill would)."""
    if units[0].arch == "resnet18":
        os._exit(1)
    return [(unit, {"parameters": len(unit.arch)}) for unit in units]


def test_a_dead_worker_costs_only_its_own_group():
    units = {Unit(f"{arch}.x", 224, MODEL) for arch in ("resnet18", "resnet34", "resnet50", "efficientnet_b0")}
    facts = parallel.measure_all(units, Cache(enabled=False), workers=2, measure=crash_on_resnet18)
    assert set(facts) == units
    assert {unit.arch for unit, measured in facts.items() if "error" in measured} == {"resnet18"}
    assert facts[Unit("efficientnet_b0.x", 224, MODEL)]["parameters"] == len("efficientnet_b0")


def test_checkpoint_sizes_are_computed_when_checking(tmp_path, monkeypatch):
    path = tmp_path / "card.md"
    path.write_text(f"<!--\nType: model-index\nModels:\n- Name: {RESNET18}\n  Metadata:\n    File Size: 1\n-->\n")
    (cold,) = mi3_codes(path, tmp_path / "cache")
    shifted = {container: (per_file + 1000, *rest)
               for container, (per_file, *rest) in checkpoint.TORCH_OVERHEAD.items()}
    monkeypatch.setattr(checkpoint, "TORCH_OVERHEAD", shifted)
    monkeypatch.setattr(parallel, "_run", None)  # a warm run: nothing is measured again
    (warm,) = mi3_codes(path, tmp_path / "cache")
    assert cold[:2] == warm[:2] == ("MI303", 6) and warm[2] == cold[2] + 1000
