"""`model-index new` on real timm models (built on the meta device): what the card holds, and that
the cross-check finds nothing wrong with it."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("timm")

import timm  # noqa: E402
import torch  # noqa: E402

from model_index import cli  # noqa: E402
from model_index.crosscheck import checkpoint  # noqa: E402
from model_index.crosscheck.measure import flops  # noqa: E402
from model_index.index import load  # noqa: E402

pytestmark = pytest.mark.timm


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("new-cache"))


def run(*args):
    result = CliRunner().invoke(cli.main, list(args))
    return result.exit_code, result.stdout, result.stderr


def new_card(tmp_path, cache_dir, *names, extra=()):
    """Write a card with `new` and return (exit code, path, the models' data by Name, the card's text)."""
    path = tmp_path / "card.md"
    code, _, err = run("new", *names, "-o", str(path), "--cache-dir", cache_dir, "--jobs", "1", *extra)
    assert code == 0, err
    index = load([path])
    return path, {m.name: m.raw for m in index.models}, index.collections, path.read_text(encoding="utf-8")


def validate_json(path, cache_dir, *extra):
    code, out, err = run("validate", str(path), "--cross-check", "always", "--cache-dir", cache_dir,
                         "--output-format", "json", *extra)
    return code, json.loads(out)


def cpu_state_dict(name):
    return timm.create_model(name, pretrained=False).state_dict()


def test_a_convnet_architecture_gets_every_pretrained_tag_and_validates_clean(tmp_path, cache_dir):
    path, models, collections, text = new_card(tmp_path, cache_dir, "resnet18")
    assert sorted(models) == timm.list_pretrained("resnet18.*")  # Name is the current arch.tag
    assert list(models)[0] == "resnet18." + timm.models.get_pretrained_cfg("resnet18").tag  # the default first
    for name, model in models.items():
        cfg = timm.models.get_pretrained_cfg(name)
        meta = model["Metadata"]
        assert meta["ID"] == name and model["In Collection"] == "resnet18"
        assert meta["Parameters"] == 11689512
        assert (meta["Image Size"], meta["Crop Pct"], meta["Interpolation"]) == (
            cfg.input_size[-1], cfg.crop_pct, cfg.interpolation)
        assert model["Weights"] == f"https://huggingface.co/{cfg.hf_hub_id}"
        assert model["Code"].startswith(
            f"https://github.com/huggingface/pytorch-image-models/blob/v{timm.__version__}/timm/models/resnet.py#L")
    with torch.device("meta"):
        model = timm.create_model("resnet18.a3_in1k", pretrained=False).eval()
    assert models["resnet18.a3_in1k"]["Metadata"]["FLOPs"] == flops(model, 160)  # at the tag's own input size
    assert [c.name for c in collections] == ["resnet18"]
    assert "{% include 'code_snippets.md' %}" in text
    assert ["## How do I train this model?", "## Citation", "## License"] == [
        line for line in text.splitlines() if line.startswith("## ")]
    code, report = validate_json(path, cache_dir, "--strict")
    assert (code, report["diagnostics"]) == (0, [])


def test_a_hub_tag_states_the_size_of_its_safetensors_file(tmp_path, cache_dir):
    from safetensors.torch import save_file

    path, models, _, text = new_card(tmp_path, cache_dir, "resnet18.tv_in1k")
    save_file(cpu_state_dict("resnet18.tv_in1k"), str(tmp_path / "model.safetensors"))
    assert models["resnet18.tv_in1k"]["Metadata"]["File Size"] == os.path.getsize(tmp_path / "model.safetensors")
    assert "`model.safetensors`" in text and "`torch.save`" not in text  # the card says which file it measured
    assert "`bsd-3-clause`" in text  # torchvision's weights, as timm's config says
    assert validate_json(path, cache_dir)[1]["diagnostics"] == []


def test_a_tag_downloaded_from_a_url_states_a_torch_save_size(tmp_path, cache_dir):
    path, models, _, text = new_card(tmp_path, cache_dir, "legacy_seresnet18.in1k")
    model = models["legacy_seresnet18.in1k"]
    assert model["Weights"] == timm.models.get_pretrained_cfg("legacy_seresnet18.in1k").url
    torch.save(cpu_state_dict("legacy_seresnet18.in1k"), tmp_path / "seresnet18.pth")
    real = os.path.getsize(tmp_path / "seresnet18.pth")
    declared = model["Metadata"]["File Size"]
    assert abs(declared - real) <= checkpoint.tolerance(real, len(cpu_state_dict("legacy_seresnet18.in1k")), "zip")
    assert "`torch.save`" in text and "`model.safetensors`" not in text
    assert validate_json(path, cache_dir)[1]["diagnostics"] == []


def test_a_vit_with_a_fixed_input_size_is_measured_at_its_size(tmp_path, cache_dir):
    path, models, _, _ = new_card(tmp_path, cache_dir, "vit_tiny_patch16_384")
    assert sorted(models) == timm.list_pretrained("vit_tiny_patch16_384.*")
    meta = models["vit_tiny_patch16_384.augreg_in21k_ft_in1k"]["Metadata"]
    with torch.device("meta"):
        model = timm.create_model("vit_tiny_patch16_384", pretrained=False).eval()
    assert timm.models.get_pretrained_cfg("vit_tiny_patch16_384.augreg_in21k_ft_in1k").fixed_input_size
    assert (meta["Image Size"], meta["FLOPs"]) == (384, flops(model, 384))
    assert validate_json(path, cache_dir, "--strict")[1]["diagnostics"] == []


def test_a_non_square_input_is_measured_at_its_height_and_width(tmp_path, cache_dir):
    """Image Size is one number, a square's side: a 1024 × 768 input is said in the text instead,
    and the FLOPs, the card's and the cross-check's, are counted at 1024 × 768."""
    name = "vit_base_patch16_sapiens2.fb"
    assert tuple(timm.models.get_pretrained_cfg(name).input_size) == (3, 1024, 768)
    path, models, _, text = new_card(tmp_path, cache_dir, name)
    meta = models[name]["Metadata"]
    with torch.device("meta"):
        model = timm.create_model(name, pretrained=False).eval()
    assert "Image Size" not in meta and meta["FLOPs"] == flops(model, (1024, 768)) != flops(model, 768)
    assert f"`{name}` takes 1024 × 768 pixels" in text
    assert validate_json(path, cache_dir, "--strict")[1]["diagnostics"] == []
    square = path.read_text(encoding="utf-8").replace(f"    ID: {name}\n", f"    ID: {name}\n    Image Size: 768\n")
    path.write_text(square, encoding="utf-8")  # a card that says 768 means 768 × 768: its FLOPs are off
    assert [d["code"] for d in validate_json(path, cache_dir)[1]["diagnostics"]] == ["MI304"]


def test_paper_and_license_come_from_the_pretrained_config(tmp_path, cache_dir):
    path, models, collections, text = new_card(tmp_path, cache_dir, "convnextv2_atto.fcmae_ft_in1k")
    cfg = timm.models.get_pretrained_cfg("convnextv2_atto.fcmae_ft_in1k")
    paper = collections[0].raw["Paper"]
    assert paper == {"Title": cfg.paper_name, "URL": "https://arxiv.org/abs/" + cfg.paper_ids.removeprefix("arXiv:")}
    assert f"`{cfg.license}`" in text and cfg.paper_name in text  # the license, and the paper to cite
    assert validate_json(path, cache_dir)[1]["diagnostics"] == []


def test_weights_of_another_organisation_get_no_file_size(tmp_path, cache_dir):
    path, models, _, text = new_card(tmp_path, cache_dir, "cspnext_tiny.rsb_a1_in1k")
    model = models["cspnext_tiny.rsb_a1_in1k"]
    assert "File Size" not in model["Metadata"] and "Parameters" in model["Metadata"]
    assert model["Weights"] == "https://huggingface.co/" + timm.models.get_pretrained_cfg(
        "cspnext_tiny.rsb_a1_in1k").hf_hub_id
    assert "meta device. A model whose weights are another project's file has no File Size." in text
    assert validate_json(path, cache_dir)[1]["diagnostics"] == []


def test_results_come_from_the_csv_row_of_the_exact_tag(tmp_path, cache_dir):
    results = tmp_path / "results.csv"
    # columns are found by their header, in any order; a bare architecture's row is not used
    results.write_text("top5,model,top1\n95.1,resnet18.a1_in1k,81.2\n90.0,resnet18,70.0\n", encoding="utf-8")
    path, models, _, _ = new_card(tmp_path, cache_dir, "resnet18.a1_in1k", "resnet18.gluon_in1k",
                                  extra=("--results", str(results)))
    assert models["resnet18.a1_in1k"]["Results"] == [
        {"Task": "Image Classification", "Dataset": "ImageNet",
         "Metrics": {"Top 1 Accuracy": 81.2, "Top 5 Accuracy": 95.1}}]
    assert "Results" not in models["resnet18.gluon_in1k"]
    assert validate_json(path, cache_dir, "--results", str(results))[1]["diagnostics"] == []


def test_an_existing_file_is_refused_unless_forced(tmp_path, cache_dir):
    path = tmp_path / "card.md"
    path.write_text("mine\n", encoding="utf-8")
    code, _, err = run("new", "resnet18.a1_in1k", "-o", str(path), "--cache-dir", cache_dir)
    assert code == 2 and "--force" in err and path.read_text(encoding="utf-8") == "mine\n"
    code, _, _ = run("new", "resnet18.a1_in1k", "-o", str(path), "--cache-dir", cache_dir, "--force", "--jobs", "1")
    assert code == 0 and "resnet18.a1_in1k" in path.read_text(encoding="utf-8")


def test_without_output_the_card_goes_to_stdout(cache_dir):
    code, out, _ = run("new", "resnet18.a1_in1k", "--family", "ResNet", "--cache-dir", cache_dir, "--jobs", "1")
    assert code == 0 and out.startswith("# ResNet\n") and "- Name: resnet18.a1_in1k\n" in out


@pytest.mark.parametrize("names", [["nosuchnet"], ["resnet50.untrained"], ["ig_resnext101_32x48d"],
                                   ["resnet18.a1_in1k", "vit_tiny_patch16_384"]])
def test_names_that_do_not_pin_weights_or_a_family_are_refused(tmp_path, cache_dir, names):
    # unknown; a config without weights; a deprecated alias (timm maps it to 32x8d); two modules, no --family
    code, out, err = run("new", *names, "--cache-dir", cache_dir, "-o", str(tmp_path / "card.md"))
    assert code == 2 and out == "" and err.startswith("model-index: ")
    assert not (tmp_path / "card.md").exists()


def test_several_architectures_of_one_module_make_one_family(cache_dir):
    code, out, _ = run("new", "resnet18.a1_in1k", "resnet34.a1_in1k", "--cache-dir", cache_dir, "--jobs", "1")
    assert code == 0 and out.startswith("# resnet\n")


def test_results_of_timms_2021_csv_are_found_by_the_deprecated_name_of_the_tag(tmp_path, cache_dir, shared):
    # 2021's rows name tf_efficientnet_b0_ap and tf_efficientnet_b0_ns; timm maps both to today's tags.
    # Its bare tf_efficientnet_b0 row measured other weights, and the card is not checked against it.
    csv_path = shared / "corpus" / "timm-results-2021" / "results-imagenet.csv"
    path, models, _, _ = new_card(tmp_path, cache_dir, "tf_efficientnet_b0.ap_in1k", "tf_efficientnet_b0.ns_jft_in1k",
                                  extra=("--results", str(csv_path)))
    top1 = {name: model["Results"][0]["Metrics"]["Top 1 Accuracy"] for name, model in models.items()}
    assert top1 == {"tf_efficientnet_b0.ap_in1k": 77.072, "tf_efficientnet_b0.ns_jft_in1k": 78.6}
    assert validate_json(path, cache_dir, "--results", str(csv_path))[1]["diagnostics"] == []


@pytest.mark.parametrize("rows, metrics", [
    ("model,top1\nresnet18.a1_in1k,abc\n", None),  # no accuracy is a number: no Results
    ("model,top1,top5\nresnet18.a1_in1k,71.5,abc\n", {"Top 1 Accuracy": 71.5}),  # one is: the other is named
])
def test_a_results_value_that_is_not_a_number_is_named(tmp_path, cache_dir, rows, metrics):
    results = tmp_path / "results.csv"
    results.write_text(rows, encoding="utf-8")
    path = tmp_path / "card.md"
    code, _, err = run("new", "resnet18.a1_in1k", "-o", str(path), "--cache-dir", cache_dir, "--jobs", "1",
                       "--results", str(results))
    raw = load([path]).models[0].raw
    assert code == 0 and (raw["Results"][0]["Metrics"] if metrics else raw.get("Results")) == metrics
    assert [line for line in err.splitlines() if "resnet18.a1_in1k" in line and f"{results}:2:" in line
            and "'abc'" in line]


def test_a_results_file_name_reaches_the_terminal_escaped(tmp_path, cache_dir):
    results = tmp_path / "r\x1b[2J\n::error::x.csv"
    results.write_text("model,top1\nresnet18.a1_in1k,abc\n", encoding="utf-8")
    code, _, err = run("new", "resnet18.a1_in1k", "-o", str(tmp_path / "card.md"), "--cache-dir", cache_dir,
                       "--jobs", "1", "--results", str(results))
    assert code == 0 and "'abc'" in err
    assert "\x1b" not in err and not [line for line in err.splitlines() if line.startswith("::")]


@pytest.mark.parametrize("family", ["Mix {{ 7*7 }}", "A <!-- B", "A --> B", "{% raw %}", "[x](javascript:1)",
                                    "Mix\tTab", "#1"])
def test_a_family_that_markdown_html_or_jinja_would_read_is_refused_before_anything_is_written(tmp_path, family):
    path = tmp_path / "card.md"
    code, out, err = run("new", "resnet18.a1_in1k", "--family", family, "-o", str(path))
    assert (code, out, path.exists()) == (2, "", False) and err


def test_a_family_of_plain_punctuation_is_written_as_it_is(tmp_path, cache_dir):
    import markdown

    family = "ResNet (RSB) - v2.1, A/B 'x' \"y\" 50% $5 snake_case: ok!"
    path, _, collections, text = new_card(tmp_path, cache_dir, "resnet18.a1_in1k", extra=("--family", family))
    assert [c.name for c in collections] == [family]
    heading = markdown.markdown(text.splitlines()[0])
    assert heading.startswith("<h1>") and "<em>" not in heading and "<code>" not in heading
    assert family.replace('"', "&quot;") in heading or family in heading
