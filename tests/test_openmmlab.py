"""A real non-timm zoo (OpenMMLab's mmpretrain): `Code` as a mapping and keys declared in extra-keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from model_index import schema
from model_index.config import load_config

SAMPLE = Path("corpus") / "mmpretrain-sample"
EXTRA_KEYS = '[tool.model-index.extra-keys]\n"Models.Converted From" = "mapping"\n"Models.Pretrain" = "string"\n'


@pytest.fixture
def mmpretrain(shared, tmp_path) -> Path:
    """A copy of the mmpretrain sample (model-index.yml importing five metafiles)."""
    shutil.copytree(shared / SAMPLE, tmp_path / "mmpretrain")
    return tmp_path / "mmpretrain"


def _lines_with(folder: Path, text: str) -> list[tuple[str, int]]:
    return sorted((str(path), number) for path in folder.rglob("metafile.yml")
                  for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def _found(result, code: str) -> list[tuple[str, int]]:
    return sorted((str(Path(d.path).resolve()), d.span.line) for d in result.diagnostics if d.code == code)


def test_code_as_a_mapping_is_accepted_and_its_url_checked(shared, run_static):
    index, result = run_static([shared / SAMPLE / "model-index.yml"])
    assert len(index.models) == 51 and len(index.collections) == 5
    assert "MI002" not in {d.code for d in result.diagnostics}
    codes = [schema.url_of_code(c.data.code) for c in index.collections]
    assert all(url.startswith("https://github.com/open-mmlab/") for url in codes)
    assert {d.code for d in result.diagnostics} == {"MI008", "MI205"}  # the zoo's own keys, and empty Results


def test_declared_extra_keys_are_not_unknown(mmpretrain, run_static):
    (mmpretrain / "pyproject.toml").write_text(EXTRA_KEYS, encoding="utf-8")
    _, before = run_static([mmpretrain / "model-index.yml"])
    assert _found(before, "MI008") == _lines_with(mmpretrain, "Converted From:") + _lines_with(mmpretrain, "Pretrain:")
    _, after = run_static([mmpretrain / "model-index.yml"], load_config(mmpretrain / "pyproject.toml"))
    assert _found(after, "MI008") == [] and _found(after, "MI002") == []
    assert _found(after, "MI205") == _found(before, "MI205") != []  # its real problems stay


def test_a_declared_key_of_another_type_is_wrong_type_at_its_line(mmpretrain, run_static):
    (mmpretrain / "pyproject.toml").write_text(EXTRA_KEYS.replace('"mapping"', '"string"'), encoding="utf-8")
    _, result = run_static([mmpretrain / "model-index.yml"], load_config(mmpretrain / "pyproject.toml"))
    assert _found(result, "MI002") == _lines_with(mmpretrain, "Converted From:")
    assert _found(result, "MI008") == []


def test_a_scoped_extra_key_is_known_only_in_its_scope(lint_text, write_file):
    config = load_config(write_file("pyproject.toml", '[tool.model-index.extra-keys]\n'
                                    '"Metadata.Training Memory (GB)" = "number"\n"downstream" = "list"\n'))
    text = ("<!--\nModels:\n- Name: a\n  Metadata:\n    Training Memory (GB): 5.2\n    training_memory_gb: 1\n"
            "  Training Memory (GB): 3\n  Downstream: [b, c]\n- Name: b\n  Metadata:\n"
            "    Training Memory (GB): lots\n  Downstream: b\n-->\n")
    assert lint_text("card.md", text, config) == [("MI008", 6), ("MI008", 7), ("MI002", 11), ("MI002", 12)]


def test_code_url_in_a_mapping_gets_the_url_rules(lint_card):
    found = lint_card("""\
        Collections:
        - Name: C
          Code:
            URL: http://github.com/open-mmlab/mmpretrain/blob/v1.0/mmpretrain/models/backbones/vgg.py
            Version: 1.0
        Models:
        - Name: m
          Code: {URL: github.com/open-mmlab/mmpretrain, Versoin: v1.0}
        """)
    assert found == [("MI208", 7), ("MI206", 11), ("MI008", 11)]


@pytest.mark.parametrize("code, url", [
    ("https://x.org/a.py", "https://x.org/a.py"),
    ({"URL": "https://x.org/a.py", "Version": "v1"}, "https://x.org/a.py"),
    (schema.CodeRef.model_validate({"URL": "https://x.org/a.py"}), "https://x.org/a.py"),
    ({"Version": "v1"}, None),
    (["https://x.org/a.py"], None),
    (None, None),
])
def test_url_of_code_knows_both_shapes(code, url):
    assert schema.url_of_code(code) == url


def test_a_code_mapping_without_a_url_is_one_wrong_type_at_code(lint_card):
    # The swin metafile's Collection Code with its URL left out, and one whose URL is not a string:
    # one finding each, at Code and at URL, never a second "input should be a valid string" at Code.
    found = lint_card("""\
        Collections:
        - Name: Swin-Transformer
          Code:
            Version: v0.15.0
        Models:
        - Name: swin-tiny_16xb64_in1k
          In Collection: Swin-Transformer
          Code:
            URL: [https://github.com/open-mmlab/mmpretrain/blob/v0.15.0/mmcls/models/backbones/swin_transformer.py]
            Version: v0.15.0
        """)
    assert found == [("MI002", 6), ("MI002", 12)]
