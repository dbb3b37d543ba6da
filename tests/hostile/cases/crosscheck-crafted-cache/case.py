import json
from pathlib import Path


def make(work: Path) -> None:
    from model_index.crosscheck.cache import Cache

    cache = Cache(work / "cache")
    crafted = {"timm_version": "1", "cfgs": {"nothing_known.tag": {"input_size": "abc", "crop_pct": "x"}},
               "default_tags": {"nothing_known": "tag"}, "deprecated": {}, "sources": {"nothing_known": "/dev/zero"},
               "files": {}, "hub_ids": {}}
    cache.put("registry", crafted)


def check(work: Path, run) -> None:
    from model_index.crosscheck.cache import Cache

    snapshot = json.loads(Cache(work / "cache").path("registry").read_text(encoding="utf-8"))
    assert "nothing_known" not in snapshot["default_tags"]  # the crafted entry was replaced
