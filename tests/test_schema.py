"""The schema: numbers in card style, case-insensitive keys, wrong types kept local to their field."""

from __future__ import annotations

import pytest

from model_index import schema, shape


@pytest.mark.parametrize("written, number", [
    ("0.875", 0.875), ("224", 224), ("25,557,032", 25557032), ("80.05%", 80.05), (" 1e3 ", 1000.0), ("-3", -3),
])
def test_parse_number(written, number):
    parsed = schema.parse_number(written)
    assert parsed == number and type(parsed) is type(number)


@pytest.mark.parametrize("written", ["large", "", "%", "1.2.3", "v2", None, [1]])
def test_parse_number_leaves_other_values(written):
    assert schema.parse_number(written) == written


def test_as_number_reads_numbers_written_as_strings():
    assert (schema.as_number("25,557,032"), schema.as_number("0.875"), schema.as_number("80.05%"),
            schema.as_number("n/a")) == (25557032, 0.875, 80.05, None)


@pytest.mark.parametrize("written, canonical", [
    ("in collection", "In Collection"), ("in_collection", "In Collection"), ("Crop-Pct", "Crop Pct"),
    ("title", "Title"), ("url", "URL"), ("Trainig Data", "Trainig Data"),
])
def test_canonical_key(written, canonical):
    assert schema.canonical_key(written) == canonical


def test_keys_are_respelled_only_in_mappings_the_schema_defines():
    from model_index.extract import blocks_in_data_file

    text = ("models:\n- name: a\n  metadata: {image_size: 224}\n  paper: {url: u}\n"
            "  results:\n  - task: t\n    metrics: {flops: 1}\n  Converted From: {image_size: x, Weights: w}\n"
            "collections:\n- name: c\n  code: {url: u}\nlibrary: {name: l}\nother: {name: o}\n")
    assert blocks_in_data_file("z.yml", text)[0].tree.data == {
        "Models": [{"Name": "a", "Metadata": {"Image Size": 224}, "Paper": {"URL": "u"},
                    "Results": [{"Task": "t", "Metrics": {"flops": 1}}],
                    "Converted From": {"image_size": "x", "Weights": "w"}}],
        "Collections": [{"Name": "c", "Code": {"URL": "u"}}], "Library": {"Name": "l"}, "other": {"name": "o"}}
    bare = blocks_in_data_file("z.yml", "- name: a\n  metadata: {crop_pct: 1}\n  Extra: {crop_pct: 1}\n")
    assert bare[0].tree.data == [{"Name": "a", "Metadata": {"Crop Pct": 1}, "Extra": {"crop_pct": 1}}]


def test_numeric_keys_of_metadata():
    keys = shape.numeric_keys("Metadata")
    assert {"Parameters", "FLOPs", "File Size", "Crop Pct", "Image Size", "Epochs"} <= keys
    assert not keys & {"Interpolation", "Training Data", "ID"}


def test_validate_drops_only_the_bad_field():
    node, errors = schema.validate(schema.Model, {
        "Name": "a", "Metadata": {"Image Size": "large", "Crop Pct": "0.9"}, "Code": "https://github.com/a/b"})
    assert [path for path, _ in errors] == [("Metadata", "Image Size")]
    assert node.name == "a" and node.metadata.crop_pct == 0.9 and node.metadata.image_size is None
    assert node.code == "https://github.com/a/b"


def test_validate_keeps_unknown_keys():
    node, errors = schema.validate(schema.Model, {"Name": "a", "Metadata": {"Trainig Data": ["x"]}})
    assert errors == [] and node.metadata.model_extra == {"Trainig Data": ["x"]}


def test_validate_rejects_a_non_mapping():
    node, errors = schema.validate(schema.Model, ["not", "a", "model"])
    assert node is None and [path for path, _ in errors] == [()]


@pytest.mark.parametrize("line, field", [
    ("    Image Size: large", "Metadata.Image Size"),
    ("    Training Data: 3", "Metadata.Training Data"),
    ("    Parameters: [1, 2]", "Metadata.Parameters"),
    ("  Code: [https://x.org/a.py]", "Code"),
])
def test_wrong_type_at_the_value_line(write_file, run_static, make_card, line, field):
    text = make_card(f"Models:\n- Name: m\n  Metadata:\n    Crop Pct: 0.9\n{line}\n  Weights: https://x.org/m.pth\n")
    index, result = run_static([write_file("card.md", text)])
    assert [(d.code, d.span.line, d.field) for d in result.diagnostics] == [("MI002", 8, field)]
    [model] = index.models
    assert model.name == "m" and model.data.metadata.crop_pct == 0.9 and model.data.weights == "https://x.org/m.pth"


def test_wrong_type_in_a_block_list_points_at_its_key(lint_card):
    assert lint_card("Models:\n- Name: m\n  Metadata:\n    Image Size:\n    - 224\n    - 224\n") == [("MI002", 7)]


def test_models_must_be_a_list(lint_card):
    assert lint_card("Models:\n  Name: m\n") == [("MI002", 5)]


def test_each_model_must_be_a_mapping(lint_card):
    assert lint_card("Models:\n- resnet50\n- Name: b\n") == [("MI002", 5)]


@pytest.mark.parametrize("line, field", [
    ("    Parameters: true", "Metadata.Parameters"),
    ("    FLOPs: false", "Metadata.FLOPs"),
    ("    Image Size: yes", "Metadata.Image Size"),
])
def test_a_boolean_is_not_a_number(write_file, run_static, make_card, line, field):
    """YAML reads `true` (and YAML 1.1's `yes`) as a boolean: where a number belongs it is a wrong
    type, as the JSON Schema says, not the number 1."""
    text = make_card(f"Models:\n- Name: m\n  Metadata:\n    Crop Pct: 0.9\n{line}\n")
    index, result = run_static([write_file("card.md", text)])
    assert [(d.code, d.span.line, d.field) for d in result.diagnostics] == [("MI002", 8, field)]
    assert index.models[0].data.metadata.model_dump(exclude_unset=True, by_alias=True) == {"Crop Pct": 0.9}


def test_a_boolean_is_not_a_metric_value(lint_card):
    """Reported once, as the wrong type it is (the schema leaves it out), not also as a metric that
    is not a number."""
    assert lint_card("Models:\n- Name: m\n  Results:\n  - Task: t\n    Dataset: d\n    Metrics:\n      Top 1: true\n"
                     ) == [("MI002", 10)]


@pytest.mark.parametrize("value", [5, 0, -3, 2 ** 63, 12345678901234567890, 10 ** 30])
def test_whole_metric_values_stay_ints(value):
    node, errors = schema.validate(schema.Result, {"Metrics": {"Count": value}})
    assert errors == [] and node.metrics["Count"] == value and type(node.metrics["Count"]) is int
