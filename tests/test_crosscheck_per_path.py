"""The cross-check's scope on real cards: a Hugging Face library key alone does not make a name
timm's, and `per-file-cross-check` scopes a zoo's files (timm, auto, never)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("timm")

from model_index import cli  # noqa: E402
from model_index.config import load_config  # noqa: E402
from model_index.lint import Options, validate  # noqa: E402

pytestmark = pytest.mark.timm

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MMPRETRAIN_VGG = CORPUS / "mmpretrain-sample" / "configs" / "vgg" / "metafile.yml"  # 8 OpenMMLab models
GLUON_XCEPTION = CORPUS / "timm-docs-2021" / "models" / "gloun-xception.md"  # links timm; a name timm dropped

# The front matter of a community card on the Hugging Face hub: a CIFAR-10 VGG that the `detectors`
# package registers with timm, loaded with timm.create_model. `library_name: timm` says the
# repository loads with timm; `vgg16_bn_cifar10` is not one of timm's names.
HUB_CARD = """\
---
language: en
license: mit
library_name: timm
tags:
- image-classification
- vgg16_bn
- cifar10
datasets: cifar10
metrics:
- accuracy
model-index:
- name: vgg16_bn_cifar10
  results:
  - task:
      type: image-classification
    dataset:
      name: CIFAR-10
      type: cifar10
    metrics:
    - type: accuracy
      value: 0.9337
---

# Model Card for Model ID
"""
HUB_NAME_LINE = 13


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("mi-cache"))


@pytest.fixture
def zoo(tmp_path, shared) -> Path:
    """A zoo with a hub card (hub/), OpenMMLab's VGG metafile (third_party/) and a timm card (models/)."""
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "vgg16_bn_cifar10.md").write_text(HUB_CARD, encoding="utf-8")
    (tmp_path / "third_party").mkdir()
    shutil.copy(MMPRETRAIN_VGG, tmp_path / "third_party" / "metafile.yml")
    (tmp_path / "models").mkdir()
    shutil.copy(GLUON_XCEPTION, tmp_path / "models" / "gloun-xception.md")
    return tmp_path


def run_zoo(zoo: Path, cache_dir: str, settings: str, *paths: str):
    """Validate `paths` of the zoo (default all) with `settings` as its [tool.model-index] table."""
    pyproject = zoo / "pyproject.toml"
    pyproject.write_text("[tool.model-index]\n" + settings, encoding="utf-8")
    config = load_config(pyproject)
    targets = [str(zoo / p) for p in paths or ("hub", "third_party", "models")]
    return validate(targets, config, Options(cross_check=config.cross_check, cache_dir=cache_dir))[1]


def unknown_models(result) -> dict[str, list[int]]:
    """The lines of MI311 (unknown-model) per folder of the zoo."""
    found: dict[str, list[int]] = {}
    for d in result.diagnostics:
        if d.code == "MI311":
            found.setdefault(Path(d.path).parent.name, []).append(d.span.line)
    return found


def cross_checked(result) -> set[str]:
    """The folders whose files got any cross-check finding."""
    return {Path(d.path).parent.name for d in result.diagnostics if d.code.startswith("MI3")}


def test_a_hub_library_key_alone_does_not_make_a_name_timms(tmp_path, cache_dir):
    card = tmp_path / "README.md"
    card.write_text(HUB_CARD, encoding="utf-8")
    _, result = validate([str(card)], None, Options(cache_dir=cache_dir))
    assert result.diagnostics == [] and result.resolved == {}
    assert any(notice.startswith("1 model(s) are not timm models") for notice in result.notices)
    outcome = CliRunner().invoke(cli.main, ["validate", str(card), "--cache-dir", cache_dir])
    assert outcome.exit_code == 0


def test_the_configuration_still_vouches_for_a_hub_cards_name(zoo, cache_dir):
    result = run_zoo(zoo, cache_dir, 'cross-check = "timm"\n', "hub")
    assert unknown_models(result) == {"hub": [HUB_NAME_LINE]}
    (found,) = result.diagnostics
    assert found.suggestion == "vgg16_bn"
    result = run_zoo(zoo, cache_dir, '[tool.model-index.per-file-cross-check]\n"hub/" = "timm"\n', "hub")
    assert unknown_models(result) == {"hub": [HUB_NAME_LINE]}


def test_per_file_auto_takes_another_zoos_files_out_of_a_timm_zoo(zoo, cache_dir):
    result = run_zoo(zoo, cache_dir, 'cross-check = "timm"\n', "hub", "third_party")
    assert sorted(unknown_models(result)) == ["hub", "third_party"]  # all eight VGGs, without the table
    result = run_zoo(zoo, cache_dir, 'cross-check = "timm"\n[tool.model-index.per-file-cross-check]\n'
                                     '"third_party/" = "auto"\n', "hub", "third_party")
    assert unknown_models(result) == {"hub": [HUB_NAME_LINE]}  # the rest of the zoo is still timm's
    assert any(notice.startswith("8 model(s) are not timm models") for notice in result.notices)


def test_per_file_timm_ties_a_files_models_in_an_auto_zoo(zoo, cache_dir):
    result = run_zoo(zoo, cache_dir, '[tool.model-index.per-file-cross-check]\n"*.md" = "timm"\n')
    assert unknown_models(result) == {"hub": [HUB_NAME_LINE], "models": [54]}  # not the OpenMMLab .yml
    assert any(notice.startswith("8 model(s) are not timm models") for notice in result.notices)


def test_per_file_never_leaves_a_files_models_out_with_a_notice_of_their_own(zoo, cache_dir):
    result = run_zoo(zoo, cache_dir, "")
    assert unknown_models(result) == {"models": [54]}  # its Code links timm, and timm dropped the name
    result = run_zoo(zoo, cache_dir, '[tool.model-index.per-file-cross-check]\n"gloun-*.md" = "never"\n')
    assert cross_checked(result) == set()
    assert {d.code for d in result.diagnostics} == {"MI201"}  # the static rules still see the file
    assert any(notice.startswith("1 model(s) were not cross-checked: per-file-cross-check") for notice in
               result.notices)


@pytest.mark.parametrize("table, checked", [
    ('"hub/vgg16_*" = "never"\n"hub/" = "timm"\n', set()),  # the narrower glob first: it decides
    ('"hub/" = "timm"\n"hub/vgg16_*" = "never"\n', {"hub"}),  # the first that matches decides, as in ruff
])
def test_the_first_matching_glob_decides(zoo, cache_dir, table, checked):
    result = run_zoo(zoo, cache_dir, "[tool.model-index.per-file-cross-check]\n" + table, "hub")
    assert cross_checked(result) == checked


def test_a_suppression_in_a_file_left_out_is_not_unused(zoo, cache_dir):
    card = zoo / "models" / "gloun-xception.md"
    card.write_text(card.read_text().replace("    ID: gluon_xception65\n",
                                             "    ID: gluon_xception65  # model-index: ignore[MI311]\n"))
    assert not {"MI311", "MI009"} & {d.code for d in run_zoo(zoo, cache_dir, "", "models").diagnostics}  # used
    result = run_zoo(zoo, cache_dir, '[tool.model-index.per-file-cross-check]\n"models/" = "never"\n', "models")
    assert not {"MI311", "MI009"} & {d.code for d in result.diagnostics}  # the rule did not run there
    unchanged = Options(cache_dir=cache_dir, changed=frozenset())  # --changed-since: no card changed
    _, result = validate([str(card)], None, unchanged)
    assert not {"MI311", "MI009"} & {d.code for d in result.diagnostics}
