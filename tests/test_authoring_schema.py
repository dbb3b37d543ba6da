"""`model-index schema`: a JSON Schema of the card format that real cards pass and mistakes fail."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from model_index import cli
from model_index.authoring.schema_json import card_schema, spelling_pattern
from model_index.extract import blocks_in_markdown
from model_index.schema import comparable_key

from test_openmmlab import EXTRA_KEYS, SAMPLE

MMPRETRAIN_KEYS = {"Models.Converted From": "mapping", "Models.Pretrain": "string"}


def errors(schema: dict, data) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_it_is_a_valid_draft_2020_12_schema_with_a_description_for_every_key():
    schema = card_schema(MMPRETRAIN_KEYS)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undescribed = [(name, key) for name, node in schema["$defs"].items()
                   for key, value in {**node.get("properties", {}), **node.get("patternProperties", {})}.items()
                   if not value.get("description")]
    assert undescribed == []
    assert "Converted From" in schema["$defs"]["Model"]["properties"]  # a declared key, in its scope only
    assert "Converted From" not in schema["$defs"]["Metadata"]["properties"]


def test_every_timm_card_of_2021_passes(shared):
    schema = card_schema()
    blocks = [block for path in sorted((shared / "corpus" / "timm-docs-2021" / "models").glob("*.md"))
              for block in blocks_in_markdown(str(path), path.read_text(encoding="utf-8"))]
    assert len(blocks) == 50
    assert {block.path: errors(schema, block.tree.data) for block in blocks} == {b.path: [] for b in blocks}


def test_every_mmpretrain_metafile_passes_with_its_extra_keys_declared(shared):
    files = sorted((shared / SAMPLE).rglob("*.yml"))
    assert len(files) == 6
    data = {path.name + str(i): yaml.safe_load(path.read_text(encoding="utf-8")) for i, path in enumerate(files)}
    assert {name: errors(card_schema(MMPRETRAIN_KEYS), d) for name, d in data.items()} == {n: [] for n in data}
    undeclared = [message for d in data.values() for message in errors(card_schema(), d)]
    assert undeclared and all("Converted From" in m or "Pretrain" in m for m in undeclared)


def test_this_projects_cards_pass():
    schema = card_schema()
    paths = sorted((Path(__file__).parents[1] / "docs" / "models").glob("*.md"))
    blocks = [b for path in paths for b in blocks_in_markdown(str(path), path.read_text(encoding="utf-8"))]
    assert len(blocks) == 4 and [errors(schema, block.tree.data) for block in blocks] == [[]] * 4


@pytest.mark.parametrize("model, wrong", [
    ({"Name": "m", "Metadata": {"Image Size": "large"}}, True),
    ({"Name": "m", "metadata": {"image_size": "large"}}, True),  # another spelling, the same type
    ({"Name": "m", "Metadata": {"Image Size": "224", "Crop Pct": "87.5%", "FLOPs": "4,100,000"}}, False),
    ({"Name": "m", "Metadata": {"Trainig Data": ["ImageNet"]}}, True),  # an unknown key
    ({"Name": "m", "In Collection": "ResNet", "Code": {"URL": "https://x.org", "Version": "v1"}}, False),
    ({"Name": "m", "Results": [{"Task": "t", "Dataset": "d", "Metrics": {"Top 1 Accuracy": "80.05%"}}]}, False),
    ({"Name": ["m"]}, True),
])
def test_types_and_keys_are_checked_in_any_spelling(model, wrong):
    assert bool(errors(card_schema(), {"Models": [model]})) is wrong


def test_declared_types_are_checked_and_numbers_may_be_text():
    schema = card_schema({"Metadata.Training Memory (GB)": "number", "Converted From": "mapping"})
    ok = {"Models": [{"Name": "m", "Metadata": {"training memory (gb)": "5.2"}, "Converted From": {"Code": "x"}}]}
    assert errors(schema, ok) == []
    assert errors(schema, {"Models": [{"Name": "m", "Metadata": {"Training Memory (GB)": "lots"}}]})
    assert errors(schema, {"Collections": [{"Name": "c", "Converted From": "text"}]})


@pytest.mark.parametrize("key", ["In Collection", "RMSProp $\\epsilon$", "FPS (GPU RTX 2070)", "Training Memory (GB)"])
def test_spelling_patterns_match_what_the_tool_equates(key):
    import re

    pattern = re.compile(spelling_pattern(key))
    for spelling in (key, key.lower(), key.upper(), key.replace(" ", "_"), " " + key.replace(" ", "-") + " "):
        assert pattern.search(spelling) and comparable_key(spelling) == comparable_key(key)
    assert not pattern.search(key + "x") and not pattern.search("x" + key)


def test_the_command_includes_the_configured_extra_keys(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(EXTRA_KEYS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["schema", "-o", "schema.json"])
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert {"Converted From", "Pretrain"} <= set(schema["$defs"]["Model"]["properties"])
