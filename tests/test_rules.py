"""Every static rule: one failing and one passing case, asserted as (code, line).

The YAML of `lint_card` starts on line 4 of the card, so `Models:` is line 4 and the first model's
`- Name:` line 5 in every case below.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from model_index.config import Config
from model_index.rules import all_rules, checks

CLEAN = textwrap.dedent("""
    Models:
    - Name: resnet50
      In Collection: ResNet
      Metadata:
        Parameters: 25557032
        FLOPs: 5282531328
        File Size: 102502400
        Epochs: 90
        Image Size: 224
        Crop Pct: 0.875
        Interpolation: bicubic
        Training Data:
        - ImageNet
      Code: https://github.com/rwightman/pytorch-image-models/blob/master/timm/models/resnet.py
      Weights: https://github.com/rwightman/pytorch-image-models/releases/download/v0.1/resnet50.pth
      README: docs/models/resnet.md
      Config: configs/resnet50.yaml
      Results:
      - Task: Image Classification
        Dataset: ImageNet
        Metrics:
          Top 1 Accuracy: 80.05%
          Top 5 Accuracy: 94.97
    Collections:
    - Name: ResNet
      Paper:
        Title: Deep Residual Learning for Image Recognition
        URL: https://paperswithcode.com/paper/deep-residual-learning-for-image
    """).lstrip("\n")


def test_clean_card_has_no_diagnostics(lint_card):
    assert lint_card(CLEAN) == []


def test_every_static_rule_is_documented():
    for rule in checks():
        assert rule.doc and "\n\n" in rule.doc, rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_rule_codes_keep_their_families():
    codes = {r.code for r in all_rules()}
    assert {"MI008", "MI101", "MI102", "MI103", "MI104", "MI105", "MI106", "MI107",
            "MI201", "MI202", "MI203", "MI204", "MI205", "MI206", "MI207", "MI208", "MI209"} <= codes


# MI008 unknown-key

def test_unknown_key_in_metadata_suggests_the_known_key(write_file, run_static, make_card):
    path = write_file("card.md", make_card(CLEAN.replace("    Training Data:", "    Trainig Data:")))
    _, result = run_static([path])
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line) == ("MI008", 15)
    assert diagnostic.suggestion == "Training Data"
    assert diagnostic.field == "Metadata.Trainig Data"


@pytest.mark.parametrize("old, new, line", [
    ("  Code:", "  Kode:", 17),  # the model itself
    ("    Dataset:", "    Datasett:", 23),  # a result
    ("    Title:", "    Titel:", 30),  # a paper
    ("- Name: ResNet", "- Name: ResNet\n  Colour: red", 29),  # a collection
])
def test_unknown_key_at_every_level(lint_card, old, new, line):
    assert ("MI008", line) in lint_card(CLEAN.replace(old, new), select="MI008")


def test_keys_are_case_insensitive(lint_card):
    text = CLEAN.replace("In Collection", "in_collection").replace("Title:", "title:").replace("URL:", "url:")
    assert lint_card(text) == []


def test_unknown_top_level_key(lint_card):
    assert lint_card(CLEAN + "Modles: []\n", select="MI008") == [("MI008", 32)]


# MI101 unknown-collection

def test_unknown_collection(write_file, run_static, make_card):
    _, result = run_static([write_file("card.md", make_card(CLEAN.replace("In Collection: ResNet",
                                                                          "In Collection: ResNett")))])
    assert [(d.code, d.span.line, d.suggestion) for d in result.diagnostics] == [("MI101", 6, "ResNet")]


def test_collection_defined_in_another_file(lint_card, write_file, run_static, make_card, lines_of):
    model = make_card(CLEAN.split("Collections:")[0])
    collection = make_card("Collections:\n- Name: ResNet\n")
    _, result = run_static([write_file("a.md", model), write_file("b.md", collection)])
    assert lines_of(result) == []
    assert lint_card(CLEAN.split("Collections:")[0], select="MI101") == [("MI101", 6)]


def test_in_collection_as_a_list(lint_card):
    text = CLEAN.replace("In Collection: ResNet", "In Collection: [ResNet, Other]")
    assert lint_card(text, select="MI101") == [("MI101", 6)]


# MI102 duplicate-name

def test_duplicate_model_name_across_files(write_file, run_static, make_card, lines_of):
    first = write_file("a.md", make_card(CLEAN))
    second = write_file("b.md", make_card("Models:\n- Name: resnet50\n  In Collection: ResNet\n"))
    _, result = run_static([first, second])
    assert [(d.code, d.path.endswith("b.md"), d.span.line) for d in result.diagnostics] == [("MI102", True, 5)]
    assert "a.md:5" in result.diagnostics[0].message
    [first_use] = result.diagnostics[0].related
    assert os.path.samefile(first_use.path, first) and first_use.span.line == 5


def test_duplicate_collection_name_in_one_file(lint_card):
    text = CLEAN + "- Name: ResNet\n"
    assert lint_card(text, select="MI102") == [("MI102", 32)]


def test_distinct_names_pass(lint_card):
    text = CLEAN.replace("Collections:", "- Name: resnet101\n  In Collection: ResNet\nCollections:")
    assert lint_card(text, select="MI1") == []


# MI103 missing-name

@pytest.mark.parametrize("replacement, line", [("- Name: ''", 5), ("- Name:", 5), ("- Name: '  '", 5)])
def test_blank_name(lint_card, replacement, line):
    assert lint_card(CLEAN.replace("- Name: resnet50", replacement), select="MI103") == [("MI103", line)]


def test_absent_name(lint_card):
    text = "Models:\n- In Collection: X\n  Code: https://github.com/x/y\n"
    assert lint_card(text, select="MI103") == [("MI103", 5)]


def test_present_names_pass(lint_card):
    assert lint_card(CLEAN, select="MI103") == []


# MI104 incomplete-result

@pytest.mark.parametrize("old, new", [
    ("    Dataset: ImageNet\n", ""),
    ("- Task: Image Classification\n    Dataset", "- Dataset"),
    ("    Metrics:\n      Top 1 Accuracy: 80.05%\n      Top 5 Accuracy: 94.97\n", "    Metrics: {}\n"),
])
def test_incomplete_result(lint_card, old, new):
    assert old in CLEAN
    assert lint_card(CLEAN.replace(old, new), select="MI104") == [("MI104", 22)]


def test_complete_result_passes(lint_card):
    assert lint_card(CLEAN, select="MI104") == []


# MI105 non-numeric-metric

def test_non_numeric_metric(lint_card):
    assert lint_card(CLEAN.replace("94.97", "about 95"), select="MI105") == [("MI105", 26)]


@pytest.mark.parametrize("value", ["94.97", "94.97%", "'94.97'", "95"])
def test_numeric_metrics_pass(lint_card, value):
    assert lint_card(CLEAN.replace("94.97", value), select="MI105") == []


# MI201 number-as-string

def test_number_as_string_is_fixable(write_file, run_static, make_card):
    text = CLEAN.replace("Crop Pct: 0.875", "Crop Pct: '0.875'").replace("Image Size: 224", 'Image Size: "224"')
    _, result = run_static([write_file("card.md", make_card(text))])
    assert [(d.code, d.span.line, d.fix.replacement) for d in result.diagnostics] == [
        ("MI201", 12, "224"), ("MI201", 13, "0.875")]


def test_percent_metrics_are_not_numbers_as_strings(lint_card):
    assert lint_card(CLEAN.replace("94.97", "'94.97%'"), select="MI201") == []


# MI202 non-positive

@pytest.mark.parametrize("old, new, line", [
    ("Parameters: 25557032", "Parameters: 0", 8),
    ("Epochs: 90", "Epochs: -1", 11),
    ("Image Size: 224", "Image Size: '0'", 12),
])
def test_non_positive(lint_card, old, new, line):
    assert lint_card(CLEAN.replace(old, new), select="MI202") == [("MI202", line)]


def test_positive_sizes_pass(lint_card):
    assert lint_card(CLEAN, select="MI202") == []


# MI203 crop-pct-range

@pytest.mark.parametrize("value", ["87.5", "0", "-0.5", "1.6"])
def test_crop_pct_out_of_range(lint_card, value):
    assert lint_card(CLEAN.replace("Crop Pct: 0.875", f"Crop Pct: {value}"), select="MI203") == [("MI203", 13)]


@pytest.mark.parametrize("value", ["0.875", "1.0", "1.5", "'0.95'"])
def test_crop_pct_in_range(lint_card, value):
    assert lint_card(CLEAN.replace("Crop Pct: 0.875", f"Crop Pct: {value}"), select="MI203") == []


# MI204 unknown-interpolation

@pytest.mark.parametrize("value, fix", [("bicubc", "bicubic"), ("Bilinear", "bilinear"), ("cubic-spline", None)])
def test_unknown_interpolation(write_file, run_static, make_card, value, fix):
    text = CLEAN.replace("Interpolation: bicubic", f"Interpolation: {value}")
    _, result = run_static([write_file("card.md", make_card(text))])
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MI204", 14)]
    assert (result.diagnostics[0].fix.replacement if result.diagnostics[0].fix else None) == fix


@pytest.mark.parametrize("value", ["nearest", "bilinear", "bicubic", "lanczos", "box", "hamming", "random"])
def test_timm_interpolations_pass(lint_card, value):
    assert lint_card(CLEAN.replace("Interpolation: bicubic", f"Interpolation: {value}"), select="MI204") == []


# MI205 empty-value

def test_empty_values(lint_card):
    text = CLEAN.replace("Config: configs/resnet50.yaml", "Config: ''").replace(
        "    Training Data:", "    Training Time:\n    Training Data:")
    assert lint_card(text, select="MI205") == [("MI205", 15), ("MI205", 21)]


def test_empty_value_in_a_list(lint_card):
    assert lint_card(CLEAN.replace("- ImageNet", "- ''"), select="MI205") == [("MI205", 16)]


def test_filled_values_pass(lint_card):
    assert lint_card(CLEAN, select="MI205") == []


# MI206 invalid-url, MI207 url-double-slash, MI208 insecure-url

@pytest.mark.parametrize("old, new, line", [
    ("Code: https://github.com/", "Code: github.com/", 17),
    ("URL: https://paperswithcode.com/", "URL: https:/paperswithcode.com/", 31),
    ("README: docs/models/resnet.md", "README: www.example.com/resnet", 19),
    ("Weights: https://github.com/", "Weights: https://github com/", 18),
])
def test_invalid_url(lint_card, old, new, line):
    assert lint_card(CLEAN.replace(old, new), select="MI206") == [("MI206", line)]


def test_paths_are_not_urls(lint_card):
    assert lint_card(CLEAN, select="MI206") == []


def test_url_double_slash_is_fixable(write_file, run_static, make_card):
    text = CLEAN.replace("paperswithcode.com/paper", "paperswithcode.com//paper")
    _, result = run_static([write_file("card.md", make_card(text))])
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line) == ("MI207", 31)
    assert diagnostic.fix.replacement == "https://paperswithcode.com/paper/deep-residual-learning-for-image"


@pytest.mark.parametrize("host, known", [
    ("papperswithcode.com", "paperswithcode.com"), ("githb.com", "github.com"), ("www.arxv.org", "arxiv.org"),
    ("downloads.pytorch.org", "download.pytorch.org"),
])
def test_misspelt_host_is_fixable(write_file, run_static, make_card, host, known):
    text = CLEAN.replace("https://paperswithcode.com/paper", f"https://{host}/paper")
    _, result = run_static([write_file("card.md", make_card(text))])
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.suggestion) == ("MI209", 31, known)
    assert diagnostic.fix.replacement == f"https://{host.replace(host.removeprefix('www.'), known)}/paper/" \
        "deep-residual-learning-for-image"


@pytest.mark.parametrize("host", ["gitlab.com", "rwightman.github.io", "github.io", "paperswithcode.com",
                                  "example.org"])
def test_real_hosts_are_not_misspellings(lint_card, host):
    assert lint_card(CLEAN.replace("paperswithcode.com", host), select="MI209") == []


def test_double_slash_in_query_passes(lint_card):
    text = CLEAN.replace("deep-residual-learning-for-image", "x?next=https://a.org//b")
    assert lint_card(text, select="MI207") == []


def test_insecure_url_is_fixable(write_file, run_static, make_card):
    text = CLEAN.replace("Weights: https://", "Weights: http://")
    _, result = run_static([write_file("card.md", make_card(text))])
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MI208", 18)]
    assert result.diagnostics[0].fix.replacement.startswith("https://github.com/")


def test_library_links_are_checked(lint_card):
    text = CLEAN + "Library:\n  Name: timm\n  Website: http://timm.fast.ai\n  Repository: github.com/x\n"
    assert lint_card(text, select="MI20") == [("MI208", 34), ("MI206", 35)]


def test_selecting_a_rule_runs_only_that_rule(lint_card):
    text = CLEAN.replace("Crop Pct: 0.875", "Crop Pct: '87.5'")
    assert lint_card(text) == [("MI201", 13), ("MI203", 13)]
    assert lint_card(text, select="MI203") == [("MI203", 13)]
    assert Config(select=["MI201"]).rule_severity(next(r for r in checks() if r.code == "MI203")) is None


# MI106 import-no-match, MI107 import-outside

def test_import_glob_without_match(write_file, run_static, lines_of):
    index_file = write_file("zoo/model-index.yml", "Import:\n- cards/*.md\n- missing/*.md\n")
    write_file("zoo/cards/a.md", "<!--\nModels:\n- Name: a\n-->\n")
    _, result = run_static([index_file])
    assert lines_of(result) == [("MI106", 3)]


def test_import_lines_stay_right_after_an_item_that_is_not_a_string(write_file, run_static, lines_of):
    index_file = write_file("zoo/model-index.yml", "Import:\n- 42\n- missing/*.md\n- '../*.md'\n")
    _, result = run_static([index_file])
    assert sorted(lines_of(result)) == [("MI002", 2), ("MI106", 3), ("MI107", 4)]


def test_single_import_string(write_file, run_static, lines_of):
    _, result = run_static([write_file("zoo/model-index.yml", "Library:\n  Name: zoo\nImport: nothing/*.md\n")])
    assert lines_of(result) == [("MI106", 3)]


@pytest.mark.parametrize("pattern", ["../*.md", "cards/../../*.md", "/etc/*.yml"])
def test_import_outside_the_tree(write_file, run_static, lines_of, pattern):
    write_file("outside.md", "<!--\nModels:\n- Name: outside\n-->\n")
    index_file = write_file("zoo/model-index.yml", f"Models: []\nImport:\n- '{pattern}'\n")
    index, result = run_static([index_file])
    assert lines_of(result) == [("MI107", 3)]
    assert index.models == [] and result.summary.files == 1


def test_file_given_and_imported_is_read_once(write_file, run_static, lines_of, tmp_path):
    card = write_file("zoo/cards/a.md", "<!--\nModels:\n- Name: a\n  Metadata:\n    Epochs: '90'\n-->\n")
    index_file = write_file("zoo/model-index.yml", "Import:\n- cards/*.md\n")
    index, result = run_static([card, index_file, tmp_path / "zoo"])
    assert [m.name for m in index.models] == ["a"]
    assert lines_of(result) == [("MI201", 5)]
    assert result.summary.files == 2


def test_a_problem_on_an_alias_is_reported_at_its_key_and_offers_no_fix(write_file, run_static, make_card):
    # The alias's text is its anchor's: rewriting it would change 'Image Size' of another model too.
    path = write_file("card.md", make_card("""
        Models:
        - Name: a
          Metadata:
            Image Size: &size '224'
        - Name: b
          Metadata:
            Image Size: *size
            Trainig Data: *size
        """))
    diagnostics = run_static([path])[1].diagnostics
    assert [(d.code, d.span.line, d.fix is not None) for d in diagnostics] == [
        ("MI201", 7, True), ("MI201", 10, False), ("MI008", 11, False)]


def test_an_import_that_leaves_and_reenters_its_folder_is_followed_quietly(write_file, run_static, lines_of):
    write_file("docs/base.md", "<!--\nModels:\n- Name: base\n  Metadata:\n    Epochs: 0\n-->\n")
    index_file = write_file("docs/model-index.yml", "Import:\n- ../docs/*.md\n")
    index, result = run_static([index_file])
    assert [m.name for m in index.models] == ["base"]
    assert lines_of(result) == [("MI202", 5)]


def test_import_from_a_folder_whose_name_looks_like_a_glob(write_file, run_static, lines_of):
    write_file("cards[v1]/sub/a.md", "<!--\nModels:\n- Name: a\n  Metadata:\n    Epochs: 0\n-->\n")
    index, result = run_static([write_file("cards[v1]/model-index.yml", "Import:\n- sub/*.md\n")])
    assert [m.name for m in index.models] == ["a"]
    assert lines_of(result) == [("MI202", 5)]


def test_unknown_key_is_reported_at_the_key(write_file, run_static, make_card):
    path = write_file("card.md", make_card("Models:\n- Name: a\n  Metadata:\n    Trainig Data: [ImageNet]\n"))
    [d] = run_static([path])[1].diagnostics
    assert (d.code, d.span.line, d.span.column) == ("MI008", 7, 5)
