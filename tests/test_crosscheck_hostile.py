"""The cross-check on hostile input: URLs that do not parse, cache entries of the wrong shape (a
damaged or crafted cache is a miss, never a crash), and a cache folder that cannot be written."""

from __future__ import annotations

import copy
import json
import os

import pytest

from model_index.crosscheck.measure import FLOPS, MODEL, Unit, valid
from model_index.crosscheck.registry import Registry, hub_id, weights_file

SNAPSHOT = {
    "timm_version": "1.0.0",
    "cfgs": {"resnet18.tv_in1k": {"input_size": [3, 224, 224], "test_input_size": None, "crop_pct": 0.875,
                                  "test_crop_pct": None, "interpolation": "bilinear", "mean": [0.485, 0.456, 0.406],
                                  "std": [0.229, 0.224, 0.225], "num_classes": 1000, "fixed_input_size": False,
                                  "hf_hub_id": "timm/resnet18.tv_in1k", "hf_hub_filename": None,
                                  "url": "https://download.pytorch.org/models/resnet18-f37072fd.pth",
                                  "license": "bsd-3-clause", "paper_ids": None, "paper_name": None}},
    "default_tags": {"resnet18": "tv_in1k"},
    "deprecated": {"old_resnet": "resnet18", "gone": None},
    "sources": {"resnet18": "timm/models/resnet.py"},
    "files": {"resnet18-f37072fd.pth": ["resnet18.tv_in1k"]},
    "hub_ids": {"timm/resnet18.tv_in1k": ["resnet18.tv_in1k"]},
}


@pytest.mark.parametrize("url", ["http://[oops/x.pth", "https://[::1/x", "http://]/x.pth"])
def test_a_url_that_does_not_parse_ties_to_nothing(url):
    assert hub_id(url) is None and weights_file(url) == ""


def test_a_good_snapshot_is_read():
    registry = Registry.from_dict(copy.deepcopy(SNAPSHOT))
    assert registry is not None and registry.full_name("resnet18") == "resnet18.tv_in1k"


def test_a_snapshot_without_the_published_fields_is_not_read():
    older = copy.deepcopy(SNAPSHOT)  # as a model-index that did not keep license and paper wrote it
    del older["cfgs"]["resnet18.tv_in1k"]["license"]
    assert Registry.from_dict(older) is None


@pytest.mark.parametrize("path, bad", [
    (("cfgs", "resnet18.tv_in1k", "input_size"), "224"),
    (("cfgs", "resnet18.tv_in1k", "input_size"), []),
    (("cfgs", "resnet18.tv_in1k", "input_size"), [3, 224, 10**30]),
    (("cfgs", "resnet18.tv_in1k", "crop_pct"), "0.875"),
    (("cfgs", "resnet18.tv_in1k", "crop_pct"), float("nan")),
    (("cfgs", "resnet18.tv_in1k", "num_classes"), True),
    (("cfgs", "resnet18.tv_in1k", "mean"), {"r": 1}),
    (("cfgs", "resnet18.tv_in1k"), [1, 2]),
    (("cfgs", "resnet18.tv_in1k", "extra"), 1),
    (("default_tags", "resnet18"), 5),
    (("deprecated", "old_resnet"), ["resnet18"]),
    (("sources", "resnet18"), "../../../../etc/passwd.py"),
    (("sources", "resnet18"), "/dev/zero"),
    (("files", "resnet18-f37072fd.pth"), "resnet18.tv_in1k"),
    (("hub_ids", "timm/resnet18.tv_in1k"), [1]),
    (("timm_version",), None),
    (("cfgs",), []),
])
def test_a_snapshot_of_another_shape_is_not_used(path, bad):
    data = copy.deepcopy(SNAPSHOT)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    assert Registry.from_dict(data) is None


@pytest.mark.parametrize("data", [None, [], "text", {"timm_version": "1"}, {**SNAPSHOT, "written_by": "x"}])
def test_what_is_not_a_snapshot_is_not_used(data):
    assert Registry.from_dict(data) is None


@pytest.mark.parametrize("unit, facts, expected", [
    (Unit("a.b", 224, FLOPS), {"flops": 123}, True),
    (Unit("a.b", 224, FLOPS), {"flops_error": "meta"}, True),
    (Unit("a.b", 224, FLOPS), {"flops": 10**400}, False),
    (Unit("a.b", 224, FLOPS), {"flops": -1}, False),
    (Unit("a.b", 224, FLOPS), {"flops": "123"}, False),
    (Unit("a.b", 224, MODEL), {"parameters": 5, "tensors": 1, "key_chars": 3, "dims": 2,
                               "data": {"fp32": 4, "fp16": 2, "fp16 mixed": 4},
                               "safetensors_header": {"fp32": 10**400, "fp16": 1, "fp16 mixed": 1}}, False),
])
def test_cached_facts_are_checked_before_use(unit, facts, expected):
    assert valid(unit, facts) is expected


@pytest.fixture
def cache_class():
    pytest.importorskip("torch")
    pytest.importorskip("timm")
    from model_index.crosscheck.cache import Cache

    return Cache


@pytest.mark.parametrize("content", [b"[[[[" * 100_000, b"\xff\xfe", b"{\"a\": 1"])
def test_an_unreadable_cache_entry_is_a_miss(cache_class, tmp_path, content):
    cache = cache_class(tmp_path)
    cache.put("key", {"a": 1})
    cache.path("key").write_bytes(content)
    assert cache.get("key") is None


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_cache_entry_linked_elsewhere_is_a_miss(cache_class, tmp_path):
    cache = cache_class(tmp_path / "cache")
    cache.put("key", {"a": 1})
    (tmp_path / "elsewhere.json").write_text(json.dumps({"a": 2}), encoding="utf-8")
    cache.path("key").unlink()
    cache.path("key").symlink_to(tmp_path / "elsewhere.json")
    assert cache.get("key") is None
    cache.path("key").unlink()
    cache.path("key").symlink_to("/dev/zero")
    assert cache.get("key") is None


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_the_cache_is_not_written_through_a_linked_folder(cache_class, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = cache_class(tmp_path / "cache")
    cache.directory.parent.mkdir(parents=True)
    cache.directory.symlink_to(elsewhere)  # as a pull request could commit it
    cache.put("key", {"a": 1})
    assert list(elsewhere.iterdir()) == [] and not cache.writable and cache.notice


def test_a_cache_that_cannot_be_written_stops_writing_with_one_notice(cache_class, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = cache_class(blocker / "cache")  # its folder cannot be made, as root too
    cache.put("a", {"x": 1})
    cache.put("b", {"x": 2})
    assert not cache.writable and cache.notice and "cannot be written" in cache.notice
    assert cache.get("a") is None


@pytest.mark.timm
def test_the_cross_check_goes_on_with_an_unwritable_cache_and_bad_urls(cache_class, tmp_path):
    from model_index.lint import Options, validate

    card = tmp_path / "card.md"
    card.write_text("<!--\nModels:\n- Name: resnet18\n  Metadata:\n    ID: resnet18.tv_in1k\n"
                    "  Code: \"http://[oops/resnet.py\"\n  Weights: \"http://[oops/x.pth\"\n-->\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    _, result = validate([card], options=Options(cache_dir=str(blocker / "cache")))
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MI206", 6), ("MI206", 7)]
    assert sum("cannot be written" in notice for notice in result.notices) == 1


@pytest.mark.timm
def test_a_crafted_registry_entry_is_rebuilt(cache_class, tmp_path):
    from model_index.lint import Options, validate

    cache = cache_class(tmp_path / "cache")
    crafted = copy.deepcopy(SNAPSHOT)
    crafted["cfgs"]["resnet18.tv_in1k"]["input_size"] = "abc"
    cache.put("registry", crafted)
    card = tmp_path / "card.md"
    card.write_text("<!--\nModels:\n- Name: resnet18\n  Metadata:\n    ID: resnet18.tv_in1k\n"
                    "    Image Size: 225\n-->\n", encoding="utf-8")
    _, result = validate([card], options=Options(cache_dir=str(tmp_path / "cache")))
    assert ("MI301", 6) in [(d.code, d.span.line) for d in result.diagnostics]
    assert Registry.from_dict(cache.get("registry")) is not None


@pytest.mark.timm
def test_the_snapshot_timm_builds_passes_its_own_check():
    pytest.importorskip("timm")
    from model_index.crosscheck.registry import build

    assert Registry.from_dict(json.loads(json.dumps(build().as_dict()))) is not None



@pytest.mark.skipif(os.name != "posix", reason="FIFOs and devices")
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_results_csv_that_is_no_regular_file_is_a_configuration_error(tmp_path, special):
    from model_index.config import ConfigError
    from model_index.crosscheck import results

    path = tmp_path / "results.csv"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(special)
    with pytest.raises(ConfigError):
        results.read(str(path))
