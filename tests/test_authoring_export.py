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
from huggingface_hub import ModelCard, metadata_load
from huggingface_hub.repocard_data import model_index_to_eval_results

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
# A metric value: ints (beyond a float's precision and a machine word too) stay ints.
METRIC = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=-10**3),
                   st.integers(min_value=2**53, max_value=10**30), st.just(12345678901234567890))

METADATA = st.fixed_dictionaries({}, optional={
    "FLOPs": COUNT, "Parameters": COUNT, "File Size": COUNT, "Epochs": NUMBER, "Crop Pct": NUMBER,
    "Image Size": st.integers(min_value=1, max_value=4096), "Interpolation": st.one_of(st.none(), TEXT), "ID": TEXT,
    "Training Data": st.lists(TEXT, max_size=3), "Training Resources": TEXT,
})
RESULT = st.fixed_dictionaries({}, optional={
    "Task": st.one_of(st.none(), TEXT), "Dataset": TEXT,
    "Metrics": st.dictionaries(NAME, METRIC, max_size=3),
})
PAPER = st.one_of(TEXT, st.fixed_dictionaries({}, optional={"Title": TEXT, "URL": TEXT}))
CODE = st.one_of(TEXT, st.fixed_dictionaries({"URL": TEXT}, optional={"Version": TEXT}))  # a mapping needs its URL
EXTRA = st.one_of(TEXT, st.integers(), st.lists(TEXT, max_size=2), st.dictionaries(NAME, TEXT, max_size=2))
MODEL = st.fixed_dictionaries({"Name": TEXT}, optional={
    "In Collection": st.lists(TEXT, min_size=1, max_size=2), "Metadata": METADATA,
    "Results": st.one_of(st.none(), st.lists(RESULT, max_size=2)), "Paper": st.one_of(st.none(), PAPER), "Code": CODE, "Weights": TEXT, "Config": TEXT,
    # a zoo's own keys, whose mappings' keys are any text, schema keys in any spelling included
    "Converted From": st.dictionaries(st.one_of(NAME, st.sampled_from(["DATASET", "image_size", "url"])), TEXT,
                                      max_size=2), "Downstream": EXTRA,
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


def typed(value):
    """`value` with every number tagged with its type, so that a comparison tells 5 from 5.0."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value) if isinstance(value, (int, float)) else value


def data_of(index) -> dict[str, list]:
    return typed({"Collections": [export.entity_data(e) for e in index.collections],
                  "Models": [export.entity_data(e) for e in index.models]})


def names_and_results(models: list[dict]) -> list:
    """What Hugging Face's format holds of each model: its name, and the results that have a Task
    and a Dataset (the export names the others on stderr), Metrics left empty being no metrics."""
    return [(m.get("Name"), [{**r, "Metrics": r.get("Metrics") or {}} for r in m.get("Results") or []
                             if r.get("Task") is not None and r.get("Dataset") is not None])
            for m in models]


def hugging_face_reads(path: Path, models: list[dict]) -> None:
    """huggingface_hub's own parser reads the front matter at `path`: every metric of every result
    becomes one of its eval results, under the model's name."""
    card = ModelCard.load(path)
    entries = metadata_load(path).get("model-index") or []
    evaluated = model_index_to_eval_results(entries)[1] if entries else []
    expected = [(r["Task"], r["Dataset"], name, value) for _, results in names_and_results(models)
                for r in results for name, value in r["Metrics"].items()]
    assert [(e.task_name, e.dataset_name, e.metric_name, typed(e.metric_value)) for e in evaluated] == expected
    assert len(card.data.eval_results or []) == len(expected)


def round_trips(folder: Path, index, result) -> None:
    """pwc, json and hf (through import) give back the values of `index`."""
    loaded = data_of(index)
    (folder / "out").mkdir()
    (folder / "out" / "model-index.yml").write_text(export.to_pwc(index), encoding="utf-8")
    assert data_of(load([folder / "out" / "model-index.yml"])) == loaded
    document = json.loads(export.to_json(index, result))
    assert typed([m["data"] for m in document["models"]]) == loaded["Models"]
    assert typed([c["data"] for c in document["collections"]]) == loaded["Collections"]
    front, _ = export.to_hf(index)
    (folder / "out" / "README.md").write_text(front + "\n# A model\n", encoding="utf-8")
    hugging_face_reads(folder / "out" / "README.md", [m for m in loaded["Models"] if m.get("Name") is not None])
    named = [m for m in loaded["Models"] if m.get("Name") is not None]  # Hugging Face needs a name
    if not named:
        assert "model-index" not in front
        return
    text, _, not_carried = convert(folder / "out" / "README.md")
    assert not_carried == []  # what the export writes, import reads back whole
    (folder / "out" / "card.md").write_text(text, encoding="utf-8")
    imported = data_of(load([folder / "out" / "card.md"]))["Models"]
    assert names_and_results(imported) == names_and_results(named)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INDEX)
def test_every_value_survives_the_round_trips(cards):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write_cards(folder, cards)
        index, result = validate([folder], options=Options(cross_check="never"))
        assert [d for d in result.diagnostics if d.code in ("MI001", "MI002")] == []
        written = [data for _, card in cards for data in card["Collections"]]
        assert data_of(index)["Collections"] == typed(written)  # the loader keeps every value written
        assert data_of(index)["Models"] == typed([data for _, card in cards for data in card["Models"]])
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
    # the dataset's type imagenet-1k is not the one its name ImageNet gives, nor the metric's: named, exit 1
    assert result.exit_code == 1 and [line.split("`")[1] for line in result.stderr.splitlines()] == [
        "results.0.dataset.type", "results.0.metrics.0.type"]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\nlicense: apache-2.0\n# the data\ndatasets:\n- imagenet-1k\n---\n\n# My model\n\nText.\n")
    index = load([out])
    assert [export.entity_data(m) for m in index.models] == [{"Name": "m", "Results": [{
        "Task": "image-classification", "Dataset": "ImageNet", "Metrics": {"Top 1 Accuracy": 80.1}}]}]
    assert [b.kind for b in index.blocks] == ["comment"]  # the front matter left holds no model-index


def test_import_keeps_the_hubs_models_key_and_its_card_reads_once(tmp_path):
    """The Hub's `models:` (repo ids) stays in the front matter and is not read as models."""
    readme = _written(tmp_path / "README.md", "---\nlicense: mit\nmodels:\n- microsoft/deberta-v3-base\nmodel-index:\n"
                      "- name: m\n  results:\n  - task: {type: text-classification, name: Text Classification}\n"
                      "    dataset: {type: glue, name: GLUE}\n    metrics:\n    - {type: accuracy, name: Accuracy, value: 0.9}\n"
                      "---\n# m\n")
    out = tmp_path / "card.md"
    assert CliRunner().invoke(cli.main, ["import", str(readme), "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("---\nlicense: mit\nmodels:\n- microsoft/deberta-v3-base\n---\n")
    index = load([out])
    assert [b.kind for b in index.blocks] == ["comment"] and [m.name for m in index.models] == ["m"]
    assert validate([out], options=Options(cross_check="never"))[1].diagnostics == []


def test_imported_text_cannot_end_the_comment_early(tmp_path):
    readme = _written(tmp_path / "README.md", '---\nmodel-index:\n- name: "x --> <script>alert(1)</script> --!> y"\n'
                                              "---\n")
    text, _, _ = convert(readme)
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


def test_hf_export_names_what_hugging_face_cannot_hold(tmp_path):
    """A model without Results, `Results: null` and a result without Metrics are written in the form
    huggingface_hub reads; a result without a Task cannot be written: stderr names it, exit 1."""
    card = _written(tmp_path / "card.md", "<!--\nModels:\n- Name: bare\n- Name: empty\n  Results: null\n"
                    "- Name: m\n  Results:\n  - Dataset: ImageNet\n    Metrics: {Top 1 Accuracy: 80.4}\n"
                    "  - Task: Image Classification\n    Dataset: ImageNet\n-->\n")
    out = tmp_path / "README.md"
    result = CliRunner().invoke(cli.main, ["export", str(card), "--to", "hf", "-o", str(out)])
    assert result.exit_code == 1
    assert [line.split(": ")[1].endswith("card.md:8") for line in result.stderr.splitlines()] == [True]
    assert "'m'" in result.stderr
    entries = metadata_load(out)["model-index"]
    assert entries == [{"name": "bare", "results": []}, {"name": "empty", "results": []}, {"name": "m", "results": [{
        "task": {"type": "image-classification", "name": "Image Classification"},
        "dataset": {"type": "imagenet", "name": "ImageNet"}, "metrics": []}]}]
    assert model_index_to_eval_results(entries) == ("m", [])


def test_openmmlab_null_results_export_reads_in_hugging_face(shared, tmp_path):
    out = tmp_path / "README.md"
    result = CliRunner().invoke(cli.main, ["export", str(shared / "corpus" / "mmpretrain-sample"), "--to", "hf",
                                           "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    entries = metadata_load(out)["model-index"]
    assert all(isinstance(entry["results"], list) for entry in entries)
    assert len(model_index_to_eval_results(entries)[1]) > 20


def test_import_names_every_value_the_pwc_card_cannot_hold(tmp_path):
    """A real Hub card's values beyond a name, a label and a value (its dataset's split, config and
    args, a verified metric's token, a type that is not its name's): stderr names each (card, line,
    model, key), exit 1; the values PwC's format holds are kept."""
    readme = _written(tmp_path / "README.md", (AUDIT_CARD))
    out = tmp_path / "card.md"
    result = CliRunner().invoke(cli.main, ["import", str(readme), "-o", str(out)])
    assert result.exit_code == 1
    named = sorted((line.split(": ")[1].rsplit(":", 1)[1], line.split("`")[1]) for line in result.stderr.splitlines())
    assert named == [("10", "results.0.dataset.type"), ("11", "results.0.dataset.config"),
                     ("12", "results.0.dataset.split"), ("13", "results.0.dataset.args"),
                     ("17", "results.0.metrics.0.verified"), ("18", "results.0.metrics.0.verifyToken"),
                     ("19", "results.0.metrics.1.type"), ("21", "results.0.source")]
    assert all("'deberta-qqp'" in line and "README.md:" in line for line in result.stderr.splitlines())
    assert [export.entity_data(m) for m in load([out]).models] == [{"Name": "deberta-qqp", "Results": [{
        "Task": "Text Classification", "Dataset": "qqp", "Metrics": {"Accuracy": 0.917969, "Validation loss": 0.21741}}]}]


# The shape of a Hugging Face Hub card (AI-Ahmed/deberta-v3-base-funetuned-cls-qqa, with a source and
# a renamed metric added).
AUDIT_CARD = """---
license: cc-by-4.0
model-index:
- name: deberta-qqp
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      type: glue
      config: qqp
      split: validation
      args: {num_labels: 2}
      name: qqp
    metrics:
    - {type: accuracy, value: 0.917969, name: Accuracy,
      verified: true,
      verifyToken: eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9}
    - {type: loss,
      value: 0.21741, name: Validation loss}
    source:
      name: Open LLM Leaderboard
      url: https://huggingface.co/spaces/x
---
Text.
"""


def test_two_metrics_of_one_name_are_both_kept(tmp_path):
    readme = _written(tmp_path / "README.md", "---\nmodel-index:\n- name: m1\n  results:\n"
                      "  - task: {type: image-classification}\n    dataset: {type: imagenet-1k}\n    metrics:\n"
                      "    - {type: accuracy, value: 80.4}\n    - {type: accuracy, value: 95.1}\n"
                      "    - {type: top-5, value: 96}\n---\nbody\n")
    text, _, not_carried = convert(readme)
    assert not_carried == []
    data = [export.entity_data(m) for m in load([_written(tmp_path / "card.md", text)]).models]
    assert data == [{"Name": "m1", "Results": [
        {"Task": "image-classification", "Dataset": "imagenet-1k", "Metrics": {"accuracy": 80.4}},
        {"Task": "image-classification", "Dataset": "imagenet-1k", "Metrics": {"accuracy": 95.1, "top-5": 96}}]}]


def test_a_zoo_keys_own_keys_keep_their_spelling(tmp_path):
    card = _written(tmp_path / "card.md", "<!--\nModels:\n- Name: m\n  Converted From:\n    DATASET: x\n-->\n")
    assert export.entity_data(load([card]).models[0]) == {"Name": "m", "Converted From": {"DATASET": "x"}}


def test_import_keeps_windows_line_ends(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(b"---\r\nlicense: mit\r\nmodel-index:\r\n- name: m\r\n  results:\r\n  - task: {type: t}\r\n"
                       b"    dataset: {type: d}\r\n    metrics:\r\n    - {type: acc, value: 81.2}\r\n---\r\n\r\n# M\r\n")
    text, _, _ = convert(readme)
    assert text.count("\n") == text.count("\r\n") > 10
    assert text.startswith("---\r\nlicense: mit\r\n---\r\n\r\n# M\r\n")
