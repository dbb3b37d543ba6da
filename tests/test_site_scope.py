"""Which models a site offers timm code for, in real `mkdocs build` and `model-index render` runs.

With the cross-check, the site goes by its own result: a model it doubted (MI316) keeps its card's
name and gets no snippet. Without it, what the cards say decides: a model of another library (a
Hugging Face card with `library_name: nemo`, a Code link into another repository) gets no timm
code, and neither does any model when the configuration says `cross-check = "never"`. The cards
are excerpts of real ones: timm's ig-resnext card (docs/models/ig-resnext.md of
huggingface/pytorch-image-models at 74fcd4c5), the front matter of NVIDIA's
stt_ka_fastconformer_hybrid_large_pc card on the Hugging Face hub, and the OpenMMLab sample zoo of
../shared.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import mkdocs_build  # noqa: E402

from model_index.index import load  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "site"
MMPRETRAIN = ROOT.parent / "shared" / "corpus" / "mmpretrain-sample"
CODE = "https://github.com/rwightman/pytorch-image-models/blob/d8e69206be253892b2956341fea09fdebfaae4e3/timm/models"
# (Name and ID, FLOPs, Parameters, File Size, line of resnet.py, weights file, Top 1) of the card.
IG_RESNEXT = [
    ("ig_resnext101_32x16d", 46623691776, 194030000, 777518664, 874, "ig_resnext101_32x16-c6f796b0.pth", "84.16%"),
    ("ig_resnext101_32x32d", 112225170432, 468530000, 1876573776, 885, "ig_resnext101_32x32-e4b90b00.pth", "85.09%"),
    ("ig_resnext101_32x48d", 197446554624, 828410000, 3317136976, 896, "ig_resnext101_32x48-3e41cc8a.pth", "85.42%"),
    ("ig_resnext101_32x8d", 21180417024, 88790000, 356056638, 863, "ig_resnext101_32x8-c38310e5.pth", "82.7%"),
]
NEMO = """\
---
language:
- ka
library_name: nemo
datasets:
- mozilla-foundation/common_voice_16_0
tags:
- automatic-speech-recognition
- NeMo
license: cc-by-4.0
model-index:
- name: stt_ka_fastconformer_hybrid_large_pc
  results:
  - task:
      name: Automatic Speech Recognition
      type: automatic-speech-recognition
    dataset:
      name: common-voice-16-0
      type: mozilla-foundation/common_voice_16_0
      split: test
    metrics:
    - name: Test WER
      type: wer
      value: 6.52
---

# NVIDIA FastConformer-Hybrid Large (ka)

A Georgian speech recognition model.
"""


def ig_resnext_card() -> str:
    models = "".join(f"""\
- Name: {name}
  In Collection: IG ResNeXt
  Metadata:
    FLOPs: {flops}
    Parameters: {parameters}
    File Size: {size}
    Training Data:
    - IG-3.5B-17k
    - ImageNet
    ID: {name}
    Crop Pct: '0.875'
    Image Size: '224'
    Interpolation: bilinear
  Code: {CODE}/resnet.py#L{line}
  Weights: https://download.pytorch.org/models/{weights}
  Results:
  - Task: Image Classification
    Dataset: ImageNet
    Metrics:
      Top 1 Accuracy: {top1}
""" for name, flops, parameters, size, line, weights, top1 in IG_RESNEXT)
    return ("# Instagram ResNeXt WSL\n\nTrained on billions of Instagram images.\n\n"
            "{% include 'code_snippets.md' %}\n\n<!--\nType: model-index\nCollections:\n- Name: IG ResNeXt\n"
            "  Paper:\n    Title: Exploring the Limits of Weakly Supervised Pretraining\n"
            "    URL: https://paperswithcode.com/paper/exploring-the-limits-of-weakly-supervised\n"
            f"Models:\n{models}-->\n")


class Usage(HTMLParser):
    """What a card page offers: the picker's options (value, selected), the first column of the
    models table, and the models its code creates."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.options: list[tuple[str, bool]] = []
        self.table_names: list[str] = []
        self._cell = 0  # the column of the table cell being read, 1-based; 0 outside the models table
        self._tables = 0
        self._text: list[str] | None = None
        self.code = ""  # the page's text
        self.feed(html[html.index("<article"):html.index("</article>")])
        self.created = [line.split("create_model(", 1)[1].split(",")[0].strip('"')
                        for line in self.code.splitlines() if "create_model(" in line]

    def handle_starttag(self, tag, attrs):
        if tag == "option":
            attributes = dict(attrs)
            self.options.append((attributes["value"], "selected" in attributes))
        self._tables += tag == "table"
        if tag == "tr":
            self._cell = 0
        if tag == "td" and self._tables == 1:
            self._cell += 1
            self._text = [] if self._cell == 1 else None

    def handle_endtag(self, tag):
        if tag == "td" and self._text is not None:
            self.table_names.append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        self.code += data


def site_project(tmp_path: Path, cards: dict[str, str], plugin: str = "  - model-index\n") -> Path:
    """A project with the fixture site's mkdocs.yml (its plugin entry replaced by `plugin`) and `cards`."""
    project = tmp_path / "project"
    (project / "docs" / "models").mkdir(parents=True)
    shutil.copyfile(FIXTURE / "docs" / "index.md", project / "docs" / "index.md")
    config = (FIXTURE / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("  - model-index\n", plugin), encoding="utf-8")
    for name, text in cards.items():
        (project / "docs" / "models" / name).write_text(text, encoding="utf-8")
    return project


def built(tmp_path: Path, project: Path, page: str) -> Usage:
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    return Usage((tmp_path / "site" / "models" / page / "index.html").read_text(encoding="utf-8"))


def rendered(tmp_path: Path, project: Path, page: str, *options: str) -> str:
    out = tmp_path / "rendered"
    run = subprocess.run([sys.executable, "-m", "model_index", "render", "docs", "-o", str(out), *options],
                         cwd=project, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return (out / "models" / page).read_text(encoding="utf-8")


@pytest.mark.timm
def test_a_doubted_model_keeps_its_card_name_and_gets_no_snippet(tmp_path):
    pytest.importorskip("timm")
    cache = tmp_path / "cache"
    project = site_project(tmp_path, {"ig-resnext.md": ig_resnext_card()},
                           f"  - model-index:\n      cross_check: true\n      cache_dir: {cache}\n")
    page = built(tmp_path, project, "ig-resnext")
    assert page.table_names[:4] == ["resnext101_32x16d.fb_wsl_ig1b_ft_in1k", "resnext101_32x32d.fb_wsl_ig1b_ft_in1k",
                                    "ig_resnext101_32x48d", "resnext101_32x8d.fb_wsl_ig1b_ft_in1k"]
    offered = [value.strip('"') for value, _ in page.options]
    assert offered == ["resnext101_32x16d.fb_wsl_ig1b_ft_in1k", "resnext101_32x32d.fb_wsl_ig1b_ft_in1k",
                       "resnext101_32x8d.fb_wsl_ig1b_ft_in1k"]
    assert [value for value, selected in page.options if selected] == ['"resnext101_32x8d.fb_wsl_ig1b_ft_in1k"']
    assert set(page.created) == {"resnext101_32x8d.fb_wsl_ig1b_ft_in1k"}  # the smallest model, never 32x48d's alias
    # `model-index render --cross-check` goes by the same result
    markdown = rendered(tmp_path, project, "ig-resnext.md", "--cross-check")
    assert "| `ig_resnext101_32x48d` |" in markdown
    assert markdown.count("<option ") == 3 and markdown.count(" selected>") == 1


def test_a_nemo_model_gets_no_timm_code_without_the_cross_check(tmp_path):
    resnet = (FIXTURE / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    project = site_project(tmp_path, {"stt-ka.md": NEMO, "resnet.md": resnet})
    nemo = built(tmp_path, project, "stt-ka")
    assert nemo.created == [] and nemo.options == [] and "timm" not in nemo.code
    assert nemo.table_names == ["stt_ka_fastconformer_hybrid_large_pc"]
    assert built(tmp_path, project, "resnet").created  # a card that names no other library keeps its snippets
    assert "create_model" not in rendered(tmp_path, project, "stt-ka.md")


def test_the_configuration_can_say_no_model_is_timms(tmp_path):
    resnet = (FIXTURE / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    project = site_project(tmp_path, {"resnet.md": resnet})
    (project / "pyproject.toml").write_text('[tool.model-index]\ncross-check = "never"\n', encoding="utf-8")
    page = built(tmp_path, project, "resnet")
    assert page.created == [] and page.options == []
    assert "create_model" not in rendered(tmp_path, project, "resnet.md")


def test_a_picker_offers_each_timm_model_once(tmp_path):
    # Two models of a card that name one timm model (an ID written twice) are one choice of the picker.
    card = ig_resnext_card().replace("ID: ig_resnext101_32x8d", "ID: ig_resnext101_32x16d")
    page = built(tmp_path, site_project(tmp_path, {"ig-resnext.md": card}), "ig-resnext")
    assert [value.strip('"') for value, _ in page.options] == [
        "ig_resnext101_32x16d", "ig_resnext101_32x32d", "ig_resnext101_32x48d"]
    assert [value for value, selected in page.options if selected] == ['"ig_resnext101_32x16d"']


@pytest.mark.parametrize("keys, timm", [
    ("  Code: https://github.com/open-mmlab/mmpretrain/blob/v1.0.0/mmpretrain/models/backbones/resnet.py\n", False),
    ("  Code:\n    URL: https://github.com/open-mmlab/mmpretrain/blob/v1.0.0/mmpretrain/models/backbones/resnet.py\n"
     "    Version: v1.0.0\n", False),
    ("  Metadata:\n    Library: PaddleClas\n", False),
    ("  Metadata:\n    Library: PaddleClas\n  Code: https://github.com/huggingface/pytorch-image-models\n", True),
    ("  Code: https://github.com/open-mmlab/mmpretrain\n  Library: timm\n", True),
    ("  Code: not a link\n", True),
    ("", True),
])
@pytest.mark.parametrize("owner", ["model", "collection", "collection named in a list"])
def test_what_the_card_says_decides_without_the_cross_check(tmp_path, keys, timm, owner):
    from model_index.render import Site

    in_collection = "[Family]" if owner.endswith("list") else "Family"
    on_collection, on_model = (keys, "") if owner.startswith("collection") else ("", keys)
    card = tmp_path / "models" / "card.md"
    card.parent.mkdir()
    card.write_text(f"# Card\n\n<!--\nCollections:\n- Name: Family\n{on_collection}Models:\n- Name: resnet18\n"
                    f"  In Collection: {in_collection}\n{on_model}-->\n", encoding="utf-8")
    page = Site(load([card.parent]), tmp_path).card(card, card.read_text(encoding="utf-8"))
    assert ('timm.create_model("resnet18"' in page) is timm


def test_another_zoos_code_links_offer_no_timm_code(shared):
    from model_index.config import Config
    from model_index.render.timm_models import timm_names

    index = load([MMPRETRAIN])
    assert index.models and timm_names(index) == {}  # every model's collection links open-mmlab's repository
    assert len(timm_names(index, config=Config(cross_check="timm"))) == len(index.models)  # unless the zoo is declared timm's


def test_a_files_per_file_cross_check_decides_its_timm_code(shared):
    from model_index.config import Config
    from model_index.render.timm_models import timm_names

    index = load([MMPRETRAIN])
    vgg = [m for m in index.models if m.path.endswith("vgg/metafile.yml")]
    assert vgg
    config = Config(per_file_cross_check={"**/vgg/*.yml": "timm"})
    assert set(timm_names(index, config=config)) == set(vgg)  # that file's models are declared timm's
    config = Config(cross_check="timm", per_file_cross_check={"**/vgg/*.yml": "never"})
    assert set(timm_names(index, config=config)) == set(index.models) - set(vgg)
