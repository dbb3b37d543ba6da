"""The type check that spares valid cards pydantic (`model_index.typecheck`): it vouches only for what
pydantic accepts, and whether it runs or not, every report is the same, byte for byte."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_fuzz import _mutate, _sources

from model_index import schema, shape, typecheck
from model_index.lint import Options, validate
from model_index.report import format_report
from model_index.schema_table import NODES

FIXTURES = Path(__file__).parent / "fixtures"

# Values of every type a YAML card can hold, right and wrong for each kind of key: numbers as
# numbers and as strings, booleans, floats where ints belong, huge and non-finite numbers, mappings
# and nested lists where strings belong, text with a lone surrogate.
VALUES = [None, "x", "", "224", "0.875", "25,557,032", "80.05%", "1e999", "nan", "about 80", "\ud800", "1,0", 0, 1,
          -5, 224, 2 ** 63 - 1, 2 ** 63, -2 ** 63, 10 ** 30, 10 ** 400, 224.0, 224.5, 0.875, -0.0, float("inf"),
          float("nan"), True, False, [], ["a"], ["a", 1], ["a", True], [1, 2.5], ["0.5", "1"], [[1]], [["a"]],
          [None], [{"a": 1}], {}, {"a": 1}, {"URL": "https://x.org", "Title": "t"}, {"URL": 5}, {"Version": True},
          {"Version": "v1", "URL": "u"}, {"Version": 1.5}, {"Top 1 Accuracy": "80%"}, {"Top 1": 10 ** 400},
          {"Top 1": True}, {"Top 1": None}, {"Top 1": [80]}]
EXTRA_KEYS = ["Trainig Data", "fps_gpu_rtx_2070", "_private", "model_config", "__dict__", "Converted From"]


def random_mapping(node: str, rng: random.Random, depth: int = 0) -> dict:
    """A mapping for `node` with random keys of its own (and a few it does not know), each with a
    random value: often a right one, often a wrong one."""
    raw = {}
    aliases = shape.aliases(node)
    children = {alias: (child, many) for alias, child, many in shape.children(node)}
    for key in rng.sample(aliases, rng.randint(0, len(aliases))) + rng.sample(EXTRA_KEYS, rng.randint(0, 1)):
        if key in children and depth < 2 and rng.random() < 0.7:
            child, many = children[key]
            value = random_mapping(child, rng, depth + 1)
            raw[key] = [value, random_mapping(child, rng, depth + 1)][:rng.randint(1, 2)] if many else value
        elif rng.random() < 0.5:
            raw[key] = right_value(node, key, rng)
        else:
            raw[key] = rng.choice(VALUES)
    return raw


def right_value(node: str, key: str, rng: random.Random):
    """A value the schema takes for `key`, often in the forms cards write it."""
    kind = NODES[node].get(key, "any")
    if kind in ("number", "integer"):
        return rng.choice([224, "224", "25,557,032", 0.875 if kind == "number" else 5, "1e3" if kind == "number" else 7])
    if kind == "words":
        return rng.choice(["ImageNet", ["ImageNet", "JFT-300M"], []])
    if kind == ("list", "number"):
        return [0.485, "0.456", 0]
    if kind == ("dict", "metric"):
        return {"Top 1 Accuracy": rng.choice([80.1, "80.05%", "n/a", None, 81])}
    return rng.choice(["text", "https://example.org/x"])


@pytest.mark.parametrize("node", ["Model", "Collection", "ModelIndex"])
def test_what_the_check_vouches_for_validates_without_an_error(node):
    rng = random.Random(20240611)
    model = getattr(schema, node)
    vouched = refused = 0
    for _ in range(3000):
        raw = random_mapping(node, rng)
        if typecheck.fits(node, raw):
            vouched += 1
            assert schema.validate(model, raw)[1] == [], raw
        else:
            refused += 1
    assert vouched > 300 and refused > 300, (vouched, refused)


@pytest.mark.parametrize("raw", [
    {"Metadata": {"Parameters": True}},  # a boolean for a number
    {"Metadata": {"Image Size": 224.5}},
    {"Metadata": {"Image Size": 224.0}},  # pydantic takes it; only pydantic may say so
    {"Metadata": {"Image Size": "224.0"}},
    {"Name": {"a": 1}},  # a mapping for a string
    {"Metadata": {"Training Data": [["ImageNet"]]}},  # a nested list
    {"Metadata": {"Mean": [0.5, [0.5]]}},
    {"Metadata": ["a list", "for a mapping"]},
    {"Results": [{"Metrics": {"Top 1 Accuracy": 10 ** 400}}]},
    {"Metadata": {"FLOPs": 10 ** 30}},
    {"Metadata": {"Crop Pct": float("nan")}},
    {"Code": {"URL": "https://x.org", "Version": False}},
])
def test_what_it_cannot_vouch_for_goes_to_pydantic(raw):
    assert not typecheck.fits("Model", raw)


def test_the_values_of_valid_cards_are_vouched_for():
    assert typecheck.fits("Model", {
        "Name": "resnet50", "In Collection": "ResNet", "Paper": {"Title": "t", "URL": "https://arxiv.org/abs/1"},
        "Code": {"URL": "https://github.com/x", "Version": "v0.20.1"}, "Unknown Key": {"anything": [1, True]},
        "Metadata": {"Parameters": "25,557,032", "FLOPs": 5.4e9, "Crop Pct": "0.875", "Image Size": "224",
                     "Training Data": ["ImageNet"], "Tasks": "Image Classification", "Mean": [0.485, "0.456", 0]},
        "Results": [{"Task": "Image Classification", "Dataset": "ImageNet",
                     "Metrics": {"Top 1 Accuracy": "80.05%", "Top 5 Accuracy": 95, "Note": "n/a"}}]})


# Values of the wrong type written into real cards: each replaces the value of a key.
WRONG = ["true", "no", "224.5", "224.0", "'224.0'", "{a: 1}", "[[1, 2]]", "[a, [b]]", "[]", "{}", "~", "1" * 30,
         ".inf", ".nan", "'1e999'", "[0.5, [0.5]]", "'\\ud800'", "2001-12-14", "- a\n    - b"]
VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z][\w ()$\\]*:)[ \t]+\S.*$", re.M)


def wrong_typed(text: str, rng: random.Random) -> str:
    """`text` with one to three values replaced by values of the wrong type."""
    for _ in range(rng.randint(1, 3)):
        values = list(VALUE.finditer(text))
        if values:
            found = rng.choice(values)
            text = text[:found.start()] + found.group(1) + " " + rng.choice(WRONG) + text[found.end():]
    return text


def write_mutants(shared: Path, folder: Path) -> None:
    """Real cards with values of the wrong type, and as test_fuzz mutates them (bits, lines, markers)."""
    rng = random.Random(20240612)
    for source in _sources(shared):
        text = source.read_text(encoding="utf-8")
        for i in range(3):
            (folder / f"{source.parent.name}-{source.stem}-typed-{i}{source.suffix}").write_text(
                wrong_typed(text, rng), encoding="utf-8")
        (folder / f"{source.parent.name}-{source.stem}-fuzzed{source.suffix}").write_bytes(
            _mutate(source.read_bytes(), rng))


def run(paths: list[Path]) -> tuple[str, list]:
    """The JSON report of a static run, and every entity's validated node as data."""
    index, result = validate([str(p) for p in paths], options=Options(cross_check="never"))
    nodes = [repr(e.data.model_dump(by_alias=True)) if e.data is not None else None for e in index.entities]
    return format_report(result, "json", index.texts), nodes


def test_reports_are_byte_identical_with_and_without_the_type_check(shared, tmp_path, monkeypatch):
    mutants = tmp_path / "mutants"
    mutants.mkdir()
    write_mutants(shared, mutants)
    runs = [[shared / "corpus/timm-docs-2021/models"], [shared / "corpus/mmpretrain-sample/model-index.yml"],
            sorted((shared / "seed").glob("*.txt")), [FIXTURES], [Path(__file__).parents[1] / "docs/models"],
            [mutants]]
    checked = [run(paths) for paths in runs]
    monkeypatch.setattr(typecheck, "fits", lambda node, raw: False)  # pydantic validates everything
    validated = [run(paths) for paths in runs]
    assert checked == validated
    wrong_types = checked[-1][0].count('"code": "MI002"')
    assert wrong_types > 100, wrong_types
