"""`model-index export` and `import`: every value survives a round trip, on generated indexes and
on real cards."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model_index import cli
from model_index.authoring import export, yaml_text
from model_index.authoring.hf_import import convert
from model_index.index import load
from model_index.lint import Options, validate

# Any text, control characters, quotes, YAML indicators and `-->` included (not surrogates, which
# no UTF-8 file holds).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
NAME = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
NUMBER = st.one_of(st.integers(min_value=-10**12, max_value=10**15),
                   st.floats(allow_nan=False, allow_infinity=False))
COUNT = st.integers(min_value=0, max_value=10**12)

METADATA = st.fixed_dictionaries({}, optional={
    "FLOPs": COUNT, "Parameters": COUNT, "File Size": COUNT, "Epochs": NUMBER, "Crop Pct": NUMBER,
    "Image Size": st.integers(min_value=1, max_value=4096), "Interpolation": st.one_of(st.none(), TEXT), "ID": TEXT,
    "Training Data": st.lists(TEXT, max_size=3), "Training Resources": TEXT,
})
RESULT = st.fixed_dictionaries({}, optional={
    "Task": st.one_of(st.none(), TEXT), "Dataset": TEXT,
    "Metrics": st.dictionaries(NAME, st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
                               max_size=3),
})
PAPER = st.one_of(TEXT, st.fixed_dictionaries({}, optional={"Title": TEXT, "URL": TEXT}))
CODE = st.one_of(TEXT, st.fixed_dictionaries({"URL": TEXT}, optional={"Version": TEXT}))  # a mapping needs its URL
EXTRA = st.one_of(TEXT, st.integers(), st.lists(TEXT, max_size=2), st.dictionaries(NAME, TEXT, max_size=2))
MODEL = st.fixed_dictionaries({"Name": TEXT}, optional={
    "In Collection": st.lists(TEXT, min_size=1, max_size=2), "Metadata": METADATA,
    "Results": st.one_of(st.none(), st.lists(RESULT, max_size=2)), "Paper": st.one_of(st.none(), PAPER), "Code": CODE, "Weights": TEXT, "Config": TEXT,
    "Converted From": st.dictionaries(NAME, TEXT, max_size=2), "Downstream": EXTRA,  # a zoo's own keys
})
COLLECTION = st.fixed_dictionaries({"Name": TEXT}, optional={"Paper": PAPER, "Code": CODE, "README": TEXT,
                                                              "Metadata": METADATA})
CARD = st.fixed_dictionaries({"Collections": st.lists(COLLECTION, max_size=2),
                              "Models": st.lists(MODEL, max_size=3)})
INDEX = st.lists(st.tuples(st.sampled_from(["md", "yml"]), CARD), min_size=1, max_size=3)


def write_cards(folder: Path, cards) -> None:
    """Each card as a Markdown page with its metadata in an HTML comment, or as a model-index.yml."""
    for i, (kind, data) in enumerate(cards):
        if kind == "md":
            (folder / f"card{i}.md").write_text(f"# Card {i}\n\n" + yaml_text.html_comment(data), encoding="utf-8")
        else:
            (folder / f"card{i}.yml").write_text(yaml_text.dump(data), encoding="utf-8")


def data_of(index) -> dict[str, list]:
    return {"Collections": [export.entity_data(e) for e in index.collections],
            "Models": [export.entity_data(e) for e in index.models]}


def names_and_results(models: list[dict]) -> list:
    """What Hugging Face's format holds of each model. A result's Task, Dataset or Metrics written
    empty (null) is no value there: such a key is left out."""
    return [(m.get("Name"), [{k: v for k, v in r.items() if v is not None} for r in m.get("Results") or []])
            for m in models]


def round_trips(folder: Path, index, result) -> None:
    """pwc, json and hf (through import) give back the values of `index`."""
    loaded = data_of(index)
    (folder / "out").mkdir()
    (folder / "out" / "model-index.yml").write_text(export.to_pwc(index), encoding="utf-8")
    assert data_of(load([folder / "out" / "model-index.yml"])) == loaded
    document = json.loads(export.to_json(index, result))
    assert [m["data"] for m in document["models"]] == loaded["Models"]
    assert [c["data"] for c in document["collections"]] == loaded["Collections"]
    (folder / "out" / "README.md").write_text(export.to_hf(index) + "\n# A model\n", encoding="utf-8")
    text, _ = convert(folder / "out" / "README.md")
    (folder / "out" / "card.md").write_text(text, encoding="utf-8")
    imported = data_of(load([folder / "out" / "card.md"]))["Models"]
    assert names_and_results(imported) == names_and_results(loaded["Models"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INDEX)
def test_every_value_survives_the_round_trips(cards):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write_cards(folder, cards)
        index, result = validate([folder], options=Options(cross_check="never"))
        assert [d for d in result.diagnostics if d.code in ("MI001", "MI002")] == []
        written = [data for _, card in cards for data in card["Collections"]]
        assert data_of(index)["Collections"] == written  # the loader keeps every value written
        assert data_of(index)["Models"] == [data for _, card in cards for data in card["Models"]]
        round_trips(folder, index, result)


@pytest.mark.parametrize("corpus", ["timm-docs-2021/models", "mmpretrain-sample"])
def test_real_cards_survive_the_round_trips(shared, tmp_path, corpus):
    index, result = validate([shared / "corpus" / corpus], options=Options(cross_check="never"))
    assert len(index.models) > 20
    round_trips(tmp_path, index, result)


def test_json_export_has_its_documented_shape(tmp_path):
    card = tmp_path / "card.md"
    card.write_text("# C\n\n<!--\nModels:\n- Name: m\n  Metadata:\n    Image Size: '224'\n    FLOPs: lots\n-->\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["export", str(card), "--to", "json"])
    document = json.loads(result.stdout)
    assert list(document) == ["version", "generator", "summary", "files", "collections", "models", "diagnostics"]
    assert document["version"] == 1 and document["summary"]["models"] == 1
    model = document["models"][0]
    assert (model["name"], model["line"], model["data"]) == ("m", 5, {"Name": "m", "Metadata": {"Image Size": 224}})
    assert {(d["code"], d["line"]) for d in document["diagnostics"]} == {("MI201", 7), ("MI002", 8)}
    # FLOPs could not be read: exit 1, and the value that was left out is named on stderr
    assert result.exit_code == 1 and "card.md:8:" in result.stderr and "MI002" in result.stderr


def test_pwc_export_merges_files_into_one_model_index(shared, tmp_path):
    out = tmp_path / "model-index.yml"
    result = CliRunner().invoke(cli.main, ["export", str(shared / "corpus" / "mmpretrain-sample"), "--to", "pwc",
                                           "-o", str(out)])
    assert result.exit_code == 0
    merged, separate = load([out]), load([shared / "corpus" / "mmpretrain-sample"])
    assert len(merged.files) == 1 and len(separate.files) > 1
    assert data_of(merged) == data_of(separate)


def test_hf_export_is_front_matter_with_library_and_tags(tmp_path):
    card = tmp_path / "card.md"
    card.write_text("<!--\nModels:\n- Name: m\n  Results:\n  - Task: Image Classification\n    Dataset: ImageNet\n"
                    "    Metrics:\n      Top 1 Accuracy: 80.05%\n-->\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["export", str(card), "--to", "hf"])
    assert result.exit_code == 0 and result.stdout.startswith("---\n") and result.stdout.endswith("---\n")
    data = next(yaml.safe_load_all(result.stdout))
    assert data["library_name"] == "timm" and data["tags"] == ["image-classification", "timm"]
    assert data["model-index"] == [{"name": "m", "results": [{
        "task": {"type": "image-classification", "name": "Image Classification"},
        "dataset": {"type": "imagenet", "name": "ImageNet"},
        "metrics": [{"type": "top-1-accuracy", "value": 80.05, "name": "Top 1 Accuracy"}]}]}]


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_keeps_the_card_and_its_other_front_matter(tmp_path):
    readme = _written(tmp_path / "README.md", "---\nlicense: apache-2.0\nmodel-index:\n- name: m\n  results:\n"
                      "  - task: {type: image-classification}\n    dataset: {type: imagenet-1k, name: ImageNet}\n"
                      "    metrics:\n    - {type: accuracy, value: 80.1, name: Top 1 Accuracy}\n"
                      "# the data\ndatasets:\n- imagenet-1k\n---\n\n# My model\n\nText.\n")
    out = tmp_path / "card.md"
    result = CliRunner().invoke(cli.main, ["import", str(readme), "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\nlicense: apache-2.0\n# the data\ndatasets:\n- imagenet-1k\n---\n\n# My model\n\nText.\n")
    index = load([out])
    assert [export.entity_data(m) for m in index.models] == [{"Name": "m", "Results": [{
        "Task": "image-classification", "Dataset": "ImageNet", "Metrics": {"Top 1 Accuracy": 80.1}}]}]
    assert [b.kind for b in index.blocks] == ["comment"]  # the front matter left holds no model-index


def test_imported_text_cannot_end_the_comment_early(tmp_path):
    readme = _written(tmp_path / "README.md", '---\nmodel-index:\n- name: "x --> <script>alert(1)</script> --!> y"\n'
                                              "---\n")
    text, _ = convert(readme)
    body = text[text.index("<!--") + 4:]
    assert "-->" not in body[:body.rindex("-->")] and "--!>" not in body
    assert [m.name for m in load([_written(tmp_path / "card.md", text)]).models] == [
        "x --> <script>alert(1)</script> --!> y"]


@pytest.mark.parametrize("text", ["# No metadata\n", "<!--\nModels:\n- Name: m\n-->\n",
                                  "---\nmodel-index:\n- name: a\n---\n<!--\nModels:\n- Name: b\n-->\n"])
def test_import_refuses_what_is_not_a_hugging_face_card(tmp_path, text):
    result = CliRunner().invoke(cli.main, ["import", str(_written(tmp_path / "x.md", text))])
    assert result.exit_code == 2 and result.stdout == ""


def test_export_of_nothing_is_a_usage_failure(tmp_path):
    result = CliRunner().invoke(cli.main, ["export", str(tmp_path), "--to", "pwc"])
    assert result.exit_code == 2 and result.stdout == ""
