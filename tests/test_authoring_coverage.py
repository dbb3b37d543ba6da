"""`model-index coverage` against the installed timm: documented and undocumented tags, cards that
name models timm no longer has, and measuring only what is printed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("timm")

import timm  # noqa: E402

from model_index import cli  # noqa: E402
from model_index.crosscheck.cache import Cache  # noqa: E402

pytestmark = pytest.mark.timm

TIMM_CARD = """\
# ResNet

<!--
Models:
- Name: my resnet
  Metadata:
    ID: resnet18.a1_in1k
- Name: torchvision's resnet18
  Weights: https://huggingface.co/timm/resnet18.tv_in1k
-->
"""
# One model of timm's that timm no longer has (its Code links timm), one of another zoo.
OTHER_CARD = """\
Models:
- Name: gluon_xception65
  Code: https://github.com/rwightman/pytorch-image-models/blob/master/timm/models/gluon_xception.py
- Name: swin-tiny_16xb64_in1k
  Code:
    URL: https://github.com/open-mmlab/mmpretrain/blob/v0.15.0/mmcls/models/backbones/swin_transformer.py
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("coverage-cache"))


@pytest.fixture
def cards(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "resnet.md").write_text(TIMM_CARD, encoding="utf-8")
    (tmp_path / "cards" / "zoo.yml").write_text(OTHER_CARD, encoding="utf-8")
    return tmp_path / "cards"


def coverage(*args):
    result = CliRunner().invoke(cli.main, ["coverage", *map(str, args)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_documented_tags_are_those_the_cards_resolve_to(cards, cache_dir):
    report = json.loads(coverage(cards, "--filter", "resnet18", "--output-format", "json", "--cache-dir", cache_dir))
    tags = timm.list_pretrained("resnet18.*")
    assert report["summary"] == {"available": len(tags), "documented": 2, "undocumented": len(tags) - 2, "gone": 0}
    listed = [t["name"] for group in report["undocumented"] for t in group["tags"]]
    assert sorted(listed) == sorted(set(tags) - {"resnet18.a1_in1k", "resnet18.tv_in1k"})
    assert [g["architecture"] for g in report["undocumented"]] == ["resnet18"]
    assert report["families"] == [{"family": "resnet", "available": len(tags), "documented": 2}]
    assert "parameters" not in report["undocumented"][0]["tags"][0]  # nothing measured unless asked


def test_a_timm_model_timm_no_longer_has_is_listed_and_another_zoos_is_not(cards, cache_dir):
    report = json.loads(coverage(cards, "--output-format", "json", "--cache-dir", cache_dir))
    assert [(g["name"], g["line"], g["suggestion"]) for g in report["gone"]] == [("gluon_xception65", 2, "xception65")]
    assert report["summary"]["available"] == len(timm.list_pretrained())
    families = {f["family"]: f for f in report["families"]}
    assert families["resnet"]["documented"] == 2 and sum(f["documented"] for f in families.values()) == 2


def test_table_and_markdown_formats(cards, cache_dir):
    table = coverage(cards, "--filter", "resnet18", "--cache-dir", cache_dir)
    rows = [line.split() for line in table.splitlines()]
    assert rows[1][0] == "resnet18" and len(rows[1]) == 1 + len(timm.list_pretrained("resnet18.*")) - 2
    assert ["resnet", "2", "/", str(len(timm.list_pretrained("resnet18.*")))] in [row[:4] for row in rows]
    markdown = coverage(cards, "--filter", "*xception*", "--output-format", "markdown", "--cache-dir", cache_dir)
    assert "| `xception65` |" in markdown
    assert "gluon\\_xception65" in markdown  # card text is escaped in a Markdown table
    # the filter is shown in a code span, where a backslash escape would show as a backslash
    summary = next(line for line in markdown.splitlines() if "of those matching" in line)
    assert "`*xception*`" in summary and "\\" not in summary


def test_parameters_are_measured_for_the_listed_tags_only(cards, tmp_path):
    fresh = tmp_path / "fresh-cache"
    report = json.loads(coverage(cards, "--filter", "resnet18", "--parameters", "--jobs", "1", "--output-format",
                                 "json", "--cache-dir", fresh))
    listed = {t["name"]: t["parameters"] for group in report["undocumented"] for t in group["tags"]}
    assert set(listed.values()) == {11689512}
    cached = {path.stem for path in Cache(fresh).directory.glob("*.json")}
    assert cached == {"registry"} | {f"model-{name}@{timm.models.get_pretrained_cfg(name).input_size[-1]}"
                                     for name in listed}


def test_names_only_coverage_does_not_import_torch(cards, cache_dir):
    coverage(cards, "--cache-dir", cache_dir)  # the registry snapshot is cached
    code = (
        "import sys\n"
        "from model_index.cli import main\n"
        "try:\n"
        f"    main(['coverage', {str(cards)!r}, '--cache-dir', {cache_dir!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('torch', 'timm') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "pretrained tags documented" in done.stdout and done.stderr.strip().splitlines()[-1] == "[]"
