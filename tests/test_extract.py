"""Bad input at the file and YAML level: every problem at its file line, the rest still checked."""

from __future__ import annotations

import json
import os
import time

import pytest

from model_index.extract import blocks_in_markdown

PROSE = "".join(f"Line {n} of prose.\n" for n in range(1, 20))  # lines 1-19; `<!--` is line 20
GOOD_BLOCK = "<!--\nModels:\n- Name: good\n  Metadata:\n    Crop Pct: '0.9'\n-->\n"


@pytest.mark.parametrize("broken, line", [
    ("Models:\n- Name: a\n  Metadata:\n\tImage Size: 224\n", 24),  # tab where indentation belongs
    ("Models:\n- Name: a\n  Metadata:\n    Image Size: 224\n\tCrop Pct: 0.9\n", 25),  # tab after spaces
    ("Models:\n- Name: a\n  Metadata:\n    Image Size: 224\n   Crop Pct: 0.9\n", 25),  # bad indentation
    ("Models:\n- Name: a\n  Metadata:\n    Training Data: [ImageNet, JFT\n    Image Size: 224\n", 25),
])
def test_yaml_syntax_error_at_the_file_line(lint_text, broken, line):
    text = PROSE + "<!--\n" + broken + "-->\n\n" + GOOD_BLOCK
    good_line = 20 + broken.count("\n") + 2 + 1 + 4  # the second block's `Crop Pct:` line
    assert lint_text("card.md", text) == [("MI001", line), ("MI201", good_line)]


def test_syntax_error_on_the_comment_line_counts_its_column(write_file, run_static):
    path = write_file("card.md", "<!-- Models: [a: b: c]\n-->\n")
    _, result = run_static([path])
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MI001" and diagnostic.span.line == 1 and diagnostic.span.column > len("<!-- ")


def test_python_tag_is_never_constructed(lint_text, tmp_path):
    marker = tmp_path / "pwned"
    text = f"<!--\nModels:\n- Name: a\n  Config: !!python/object/apply:os.system ['touch {marker}']\n-->\n"
    assert lint_text("card.md", text) == [("MI003", 4)]
    assert not marker.exists()


def test_custom_tag_is_read_as_null(lint_text):
    text = "<!--\nModels:\n- Name: a\n  Metadata: !metadata\n    Image Size: 224\n-->\n"
    assert lint_text("card.md", text) == [("MI003", 4)]


def _alias_bomb(levels: int = 9) -> str:
    lines = ["  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghijklmnop"
    for previous, name in zip(names, names[1:levels]):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "<!--\nModels:\n- Name: bomb\n  Bomb:\n" + "\n".join("  " + line for line in lines) + "\n-->\n"


def test_alias_bomb_is_stopped_quickly(lint_text):
    started = time.perf_counter()
    found = lint_text("card.md", _alias_bomb())
    assert time.perf_counter() - started < 5
    assert [code for code, _ in found] == ["MI004"]
    assert found[0][1] in range(5, 14)


def test_recursive_alias(lint_text):
    assert lint_text("card.md", "<!--\nModels: &m\n- Name: a\n  Self: *m\n-->\n") == [("MI004", 2)]


@pytest.mark.parametrize("second", ["Name", "name", "NAME"])
def test_duplicate_key_at_the_second_occurrence(lint_text, second):
    text = f"<!--\nModels:\n- Name: a\n  Code: https://github.com/a/b\n  {second}: b\n-->\n"
    assert lint_text("card.md", text) == [("MI005", 5)]


def test_missing_file_counts_and_the_batch_goes_on(write_file, run_static, tmp_path, lines_of):
    good = write_file("good.md", "<!--\nModels:\n- Name: x\n  Metadata:\n    Image Size: '224'\n-->\n")
    _, result = run_static([tmp_path / "missing.md", good])
    assert sorted(lines_of(result)) == [("MI000", 1), ("MI201", 5)]
    assert result.summary.files == 2


@pytest.mark.parametrize("content", [
    b"<!--\nModels:\n- Name: caf\xe9\n-->\n",  # Latin-1, not UTF-8
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # binary
    b"Models:\x00\n",  # NUL bytes in valid UTF-8
])
def test_unreadable_file_is_mi000(write_file, run_static, lines_of, content):
    bad = write_file("bad.md", content)
    good = write_file("good.md", "<!--\nModels:\n- Name: x\n  Metadata:\n    Image Size: '224'\n-->\n")
    _, result = run_static([bad, good])
    assert [(d.code, d.span.line, d.path.endswith("bad.md")) for d in result.diagnostics] == [
        ("MI000", 1, True), ("MI201", 5, False)]
    assert result.summary.files == 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without permission")
def test_file_without_permission(write_file, run_static, lines_of):
    path = write_file("locked.md", "<!--\nModels: []\n-->\n")
    path.chmod(0)
    _, result = run_static([path])
    assert lines_of(result) == [("MI000", 1)]


def test_comment_inside_a_code_fence_is_not_a_block(lint_text):
    text = "# Card\n\n```markdown\n<!--\nModels:\n- Name: [unclosed\n-->\n```\n\n~~~\n<!--\nModels: x\n~~~\n"
    assert lint_text("card.md", text) == []


def test_markdown_without_a_block(write_file, run_static, lines_of):
    _, result = run_static([write_file("card.md", "# Just prose\n\n<!-- a comment -->\n")])
    assert lines_of(result) == [] and result.summary.files == 1 and result.summary.models == 0


def test_unterminated_comment_with_model_index_keys(lint_text):
    assert lint_text("card.md", "# Card\n\nText <!--\nModels:\n- Name: a\n") == [("MI006", 3)]


def test_unterminated_comment_without_keys(lint_text):
    assert lint_text("card.md", "# Card\n\n<!-- TODO: write more\n\nprose\n") == []


def test_two_comments_on_one_line(lint_text):
    text = "<!-- note --> text <!--\nModels:\n- Name: a\n  Metadata:\n    Epochs: 0\n-->\n"
    assert lint_text("card.md", text) == [("MI202", 5)]


HF_CARD = """---
language: en
license: apache-2.0
model-index:
- name: vit-base
  results:
  - task:
      type: image-classification
      name: Image Classification
    dataset:
      type: imagenet-1k
      name: ImageNet
    metrics:
    - type: accuracy
      name: Top 1 Accuracy
      value: {value}
---

# ViT
"""


def test_hugging_face_front_matter(write_file, run_static, lines_of):
    index, result = run_static([write_file("README.md", HF_CARD.format(value="81.1"))])
    assert [m.name for m in index.models] == ["vit-base"]
    assert index.models[0].data.results[0].metrics == {"Top 1 Accuracy": 81.1}
    assert lines_of(result) == []


def test_hugging_face_bad_metric_at_its_line(lint_text):
    assert lint_text("README.md", HF_CARD.format(value="high")) == [("MI105", 16)]


def test_hugging_face_field_is_the_key_path_as_written(write_file, run_static):
    _, result = run_static([write_file("README.md", HF_CARD.format(value="high"))])
    assert [d.field for d in result.diagnostics] == ["results.0.metrics.0.value"]


def test_yml_imports_relative_to_the_importing_file(write_file, run_static, make_card, lines_of):
    write_file("zoo/cards/a.md", make_card("Models:\n- Name: a\n  Metadata:\n    Epochs: 0\n"))
    write_file("zoo/cards/b.md", make_card("Models:\n- Name: b\n"))
    index_file = write_file("zoo/model-index.yml", "Import:\n- cards/*.md\n")
    index, result = run_static([index_file])
    assert sorted(m.name for m in index.models) == ["a", "b"]
    assert lines_of(result) == [("MI202", 7)]
    assert result.summary.files == 3


def test_json_model_index_file(write_file, run_static, lines_of):
    data = {"Models": [{"Name": "a", "Metadata": {"Image Size": "224"}}]}
    index, result = run_static([write_file("model-index.json", json.dumps(data, indent=2))])
    assert [m.name for m in index.models] == ["a"]
    assert lines_of(result) == [("MI201", 6)]


def test_directory_walk_skips_yaml_that_is_not_model_index(write_file, run_static, make_card, tmp_path):
    write_file("docs/models/a.md", make_card("Models:\n- Name: a\n"))
    write_file("docs/models/extra.yaml", "Models:\n- Name: b\n")
    write_file("docs/mkdocs.yml", "site_name: Zoo\nnav:\n- models/a.md\nplugins:\n- search\n")
    write_file("docs/.github/workflow.yml", "on: push\n")
    index, result = run_static([tmp_path / "docs"])
    assert sorted(m.name for m in index.models) == ["a", "b"]
    assert result.summary.files == 2


def test_explicit_yaml_without_metadata_is_mi007(write_file, run_static, lines_of):
    _, result = run_static([write_file("mkdocs.yml", "site_name: Zoo\n")])
    assert lines_of(result) == [("MI007", 1)]


def test_front_matter_and_comment_in_one_card(lint_text):
    text = ("---\nModels:\n- Name: a\n  Metadata: {Epochs: '90'}\n---\n\n"
            "<!--\nModels:\n- Name: b\n  Metadata: {Epochs: '3'}\n-->\n")
    assert lint_text("card.md", text) == [("MI201", 4), ("MI201", 10)]


# The front matter of Spaces on the Hugging Face Hub (sdk, app_file, ...) names the model repos
# they use under `models:`, in block or flow style.
SPACE_FRONT = ("---\ntitle: Background removal\nemoji: 🔥\ncolorFrom: yellow\ncolorTo: blue\nsdk: gradio\n"
               "sdk_version: 4.10.0\napp_file: app.py\npinned: false\nlicense: apache-2.0\nmodels:\n- doevent/dis\n---\n")


@pytest.mark.parametrize("front", [SPACE_FRONT, SPACE_FRONT.replace("models:\n- doevent/dis",
                                                                    "models: [deepset/roberta-base-squad2]"),
                                   "---\nlicense: mit\nmodels: microsoft/deberta-v3-base\n---\n",
                                   "---\nlicense: mit\nmodels:\n---\n"])
def test_the_hubs_models_key_is_not_model_index_metadata(lint_text, front):
    assert blocks_in_markdown("README.md", front + "# A demo\n") == []
    assert lint_text("README.md", front + "# A demo\n\n<!--\nModels:\n- Name: a\n  Metadata: {Epochs: '9'}\n-->\n") \
        == [("MI201", front.count("\n") + 6)]


def test_the_hubs_models_key_beside_model_index_front_matter_is_not_read_as_models(run_static, write_file):
    card = write_file("README.md", "---\nlicense: mit\nmodels:\n- microsoft/deberta-v3-base\nmodel-index:\n"
                                   "- name: m\n  results:\n  - task: {type: text-classification}\n"
                                   "    dataset: {type: glue, name: GLUE}\n    metrics:\n    - {type: accuracy, value: 0.9}\n"
                                   "---\n# m\n")
    index, result = run_static([card])
    assert [m.name for m in index.models] == ["m"] and result.diagnostics == []


@pytest.mark.parametrize("models, found", [
    ("Models:\n- resnet50\n", [("MI002", 3)]),  # Papers with Code's spelling: its entries must be mappings
    ("models:\n- Name: a\n  Metadata: {Epochs: '9'}\n", [("MI201", 4)]),  # mappings: Papers with Code's models
    ("models: [a]\nCollections:\n- Name: c\n", []),  # beside other metadata: set aside, the rest is read
])
def test_front_matter_models_that_are_not_the_hubs_are_read(lint_text, models, found):
    assert lint_text("card.md", "---\n" + models + "---\n# Card\n") == found


def test_block_spans_are_file_lines():
    text = PROSE + "<!--\nModels:\n- Name: a\n-->\n"
    [block] = blocks_in_markdown("card.md", text)
    assert block.line == 20 and block.tree.span(("Models", 0, "Name")).line == 22


def test_directory_walk_finds_json_model_index(write_file, run_static, tmp_path):
    write_file("zoo/model-index.json", json.dumps({"Models": [{"Name": "a"}]}))
    write_file("zoo/package.json", json.dumps({"name": "zoo", "version": "1.0.0"}))
    index, result = run_static([tmp_path / "zoo"])
    assert [m.name for m in index.models] == ["a"]
    assert result.summary.files == 1


def test_walked_json_with_a_nested_models_key_is_not_a_card(write_file, run_static, tmp_path, lines_of):
    write_file("docs/config.json", '{"app": {"models": ["a"]}}')
    write_file("docs/a.md", "<!--\nModels:\n- Name: a\n-->\n")
    _, result = run_static([tmp_path / "docs"])
    assert lines_of(result) == [] and result.summary.files == 1


def test_deep_nesting_is_mi004(lint_text):
    text = "<!--\nModels:\n- Name: a\n  Deep: " + "[" * 150 + "]" * 150 + "\n-->\n"
    assert lint_text("card.md", text) == [("MI004", 4)]


def test_lines_count_newlines_only_even_after_unicode_line_separators(lint_text, make_card):
    # PyYAML's marks also break lines at U+2028; editors and --fix count "\n" only.
    text = make_card('Models:\n- Name: a\n  Metadata:\n    Training Time: "x\u2028y"\n    Epochs: 0\n')
    assert lint_text("card.md", text) == [("MI202", 8)]


def test_a_control_character_is_one_error_at_its_line(lint_text, make_card):
    text = make_card('Models:\n- Name: a\n  Metadata:\n    Training Time: "x\x07y"\n')
    assert lint_text("card.md", text) == [("MI001", 7)]


def test_a_uniformly_indented_block_is_read(lint_text):
    text = "# Card\n\n<!--\n  Models:\n  - Name: a\n    Metadata: {Epochs: 0}\n-->\n"
    assert lint_text("card.md", text) == [("MI202", 6)]


def test_comment_opener_in_inline_code_is_example_text(lint_text):
    text = "# Card\n\nWrite `<!--` to open a comment.\n\n<!--\nModels:\n- Name: a\n  Metadata: {Epochs: 0}\n-->\n"
    assert lint_text("card.md", text) == [("MI202", 8)]
