"""Which timm model a card means: Weights file, then ID, then Name, then the default tag."""

import textwrap

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")

from model_index import index as index_mod  # noqa: E402
from model_index.crosscheck import registry as registry_mod  # noqa: E402
from model_index.crosscheck.resolve import Confidence, Step, resolve  # noqa: E402

pytestmark = pytest.mark.timm


@pytest.fixture(scope="module")
def registry():
    return registry_mod.build()


def resolved(tmp_path, registry, models_yaml):
    path = tmp_path / "card.md"
    path.write_text("<!--\nType: model-index\nModels:\n" + textwrap.dedent(models_yaml) + "-->\n")
    model, = index_mod.load([path]).models
    resolution = resolve(model, registry)
    return resolution, {f.code: f for f in resolution.findings}


def test_weights_file_outranks_the_name_and_timms_wrong_alias(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, """\
        - Name: ig_resnext101_32x16d
          Metadata:
            ID: ig_resnext101_32x16d
          Weights: https://download.pytorch.org/models/ig_resnext101_32x16-c6f796b0.pth
        """)
    assert resolution.full_name == "resnext101_32x16d.fb_wsl_ig1b_ft_in1k"
    assert resolution.step == Step.WEIGHTS_FILE
    assert resolution.confidence == Confidence.GUESS  # the name says otherwise: one of them is wrong
    assert set(findings) == {"MI309", "MI310"}
    assert findings["MI309"].replacement == "resnext101_32x16d.fb_wsl_ig1b_ft_in1k"
    assert findings["MI310"].actual == "resnext101_32x8d.fb_wsl_ig1b_ft_in1k"  # what timm's alias table says
    assert findings["MI310"].at == ("Weights",)


def test_deprecated_id_names_the_current_name(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, """\
        - Name: resnetv2_50x1_bitm
          Metadata:
            ID: resnetv2_50x1_bitm
        """)
    assert resolution.full_name == "resnetv2_50x1_bit.goog_in21k_ft_in1k"
    assert resolution.step == Step.DEPRECATED
    assert set(findings) == {"MI309"}
    assert findings["MI309"].at == ("Metadata", "ID")
    assert findings["MI309"].replacement == "resnetv2_50x1_bit.goog_in21k_ft_in1k"


def test_name_is_used_without_an_id_and_the_default_tag_completes_it(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, "- Name: resnet18\n")
    assert resolution.arch == "resnet18"
    assert resolution.tag == registry.default_tags["resnet18"] != ""
    assert resolution.step == Step.DEFAULT_TAG and findings == {}


def test_id_comes_before_name(tmp_path, registry):
    resolution, _ = resolved(tmp_path, registry, """\
        - Name: resnet50
          Metadata:
            ID: efficientnet_b0
        """)
    assert resolution.arch == "efficientnet_b0" and resolution.step == Step.DEFAULT_TAG


def test_an_older_weights_file_of_the_same_checkpoint_name_chooses_the_tag_by_its_stem(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, """\
        - Name: resnet18
          Weights: https://download.pytorch.org/models/resnet18-5c106cde.pth
        """)
    assert resolution.full_name == "resnet18.tv_in1k" and resolution.step == Step.CHOSEN_TAG
    assert resolution.evidence == ["Weights file"] and resolution.confidence == Confidence.GUESS
    assert findings == {}


def test_a_weights_stem_alone_is_a_guess_that_ties_nothing_to_timm(tmp_path, registry):
    # OpenMMLab's converted Swin checkpoint: only the file name without its hash is timm's.
    resolution, _ = resolved(tmp_path, registry, """\
        - Name: swin-tiny_3rdparty_in1k
          Weights: https://download.openmmlab.com/mmclassification/v0/swin-transformer/convert/swin_tiny_patch4_window7_224-160bb0a5.pth
        """)
    assert resolution.full_name == "swin_tiny_patch4_window7_224.ms_in1k" and resolution.step == Step.WEIGHTS_STEM
    assert resolution.confidence == Confidence.GUESS and not resolution.tied


def test_hugging_face_hub_weights_resolve_by_hub_id(tmp_path, registry):
    resolution, _ = resolved(tmp_path, registry, """\
        - Name: resnet50
          Weights: https://huggingface.co/timm/resnet50.a1h_in1k
        """)
    assert resolution.full_name == "resnet50.a1h_in1k" and resolution.step == Step.WEIGHTS_HUB_ID


def test_a_hub_id_shared_by_two_models_resolves_to_the_one_the_card_names(tmp_path, registry):
    shared = registry.hub_ids["timm/vit_base_patch32_clip_224.openai"]
    assert sorted(shared) == ["vit_base_patch32_clip_224.openai", "vit_base_patch32_clip_quickgelu_224.openai"]
    for full_name in shared:
        resolution, findings = resolved(tmp_path, registry, f"""\
            - Name: {full_name}
              Metadata:
                ID: {full_name}
              Weights: https://huggingface.co/timm/vit_base_patch32_clip_224.openai
            """)
        assert resolution.full_name == full_name and resolution.step == Step.WEIGHTS_HUB_ID
        assert findings == {}  # no MI310: the Weights hub id is the ID's too


def test_an_explicit_tag_resolves_by_id_or_name(tmp_path, registry):
    by_id, _ = resolved(tmp_path, registry, "- Name: a resnet\n  Metadata:\n    ID: resnet50.a1_in1k\n")
    by_name, _ = resolved(tmp_path, registry, "- Name: resnet50.a1_in1k\n")
    assert (by_id.full_name, by_id.step) == ("resnet50.a1_in1k", Step.ID)
    assert (by_name.full_name, by_name.step) == ("resnet50.a1_in1k", Step.NAME)


def test_unknown_model_is_an_error_with_a_did_you_mean(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, """\
        - Name: ResNet 19
          Metadata:
            ID: resnet19x
        """)
    assert resolution.full_name is None and resolution.step == Step.UNRESOLVED
    assert set(findings) == {"MI311"} and findings["MI311"].suggestion == "resnet18"


def test_an_unknown_id_with_identifying_weights_is_a_rename(tmp_path, registry):
    resolution, findings = resolved(tmp_path, registry, """\
        - Name: old name
          Metadata:
            ID: resnet_eighteen
          Weights: https://download.pytorch.org/models/resnet18-f37072fd.pth
        """)
    assert resolution.full_name == "resnet18.tv_in1k"
    assert set(findings) == {"MI309"} and findings["MI309"].replacement == "resnet18.tv_in1k"
