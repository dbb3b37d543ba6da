"""Rendering cards and generated pages to Markdown: golden files, the sandbox, code protection.

Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_render.py`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from model_index.index import load
from model_index.render import Site
from model_index.rules import all_rules

HERE = Path(__file__).parent
SITE_DOCS = HERE / "fixtures" / "site" / "docs"
GOLDEN = HERE / "golden"
CORPUS = HERE.parent.parent / "shared" / "corpus" / "timm-docs-2021"
BIT_NAMES = {f"resnetv2_{size}_bitm": f"resnetv2_{size}_bit.goog_in21k_ft_in1k"
             for size in ("50x1", "50x3", "101x1", "101x3", "152x2", "152x4")}


def site_for(docs: Path, names: dict[str, str] | None = None, templates: Path | None = None) -> Site:
    return Site(load([docs / "models"]), docs, templates, names or {})


def check_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("card", ["resnet", "mobilenet-v3", "vit"])
def test_card_matches_golden(card):
    site = site_for(SITE_DOCS)
    path = SITE_DOCS / "models" / f"{card}.md"
    check_golden(f"{card}.md", site.card(path, path.read_text(encoding="utf-8")))
    assert site.problems == []


def test_overview_matches_golden():
    check_golden("overview.md", site_for(SITE_DOCS).overview("overview.md"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared corpus not available")
def test_timm_card_matches_golden():
    """A real 2021 timm card, its snippets naming the current timm names."""
    site = site_for(CORPUS, BIT_NAMES)
    path = CORPUS / "models" / "big-transfer.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    check_golden("big-transfer.md", rendered)
    assert "_bitm" not in rendered.split("## How do I use this model?")[1]


def test_rules_page_lists_every_rule():
    page = site_for(SITE_DOCS).rules()
    for rule in all_rules():
        assert f"### {rule.code} {rule.name}\n" in page
        assert f"[{rule.code}](#{rule.code.lower()}-{rule.name})" in page


def test_metadata_comment_is_hidden_and_prose_kept():
    site = site_for(SITE_DOCS)
    path = SITE_DOCS / "models" / "resnet.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert "Type: model-index" not in rendered and "<!--" not in rendered
    assert "learn residual functions with reference to the layer inputs" in rendered
    assert rendered.count("## Citation") == 1  # the card's own, not a generated second one


def test_code_and_inline_code_are_not_jinja():
    site = site_for(SITE_DOCS)
    path = SITE_DOCS / "models" / "mobilenet-v3.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert "`{{ model_name }}`" in rendered
    assert "{{ model_name }} {% raw %}is not rendered here{% endraw %}" in rendered


def write_card(docs: Path, name: str, prose: str) -> Path:
    """A copy of the ResNet fixture card under `docs/models/` with `prose` before its metadata."""
    source = (SITE_DOCS / "models" / "resnet.md").read_text(encoding="utf-8")
    path = docs / "models" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(prose + source[source.index("<!--"):], encoding="utf-8")
    return path


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ model.raw.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% set _ = models.append(1) %}",
    "{{ model_name.format.__globals__ }}",
    "{{ 'a' * 10 ** 10 }}",  # gigabytes of text
    "{{ [0] * 100000000 }}",
    "{{ 7 ** 100000000 }}",  # a number that takes minutes to compute
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_sandbox_escape_fails_safely(tmp_path, escape):
    path = write_card(tmp_path, "evil.md", f"# Evil\n\nSome prose.\n\n{escape}\n\n")
    site = site_for(tmp_path)
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert [(Path(p.path).resolve(), p.line) for p in site.problems] == [(path.resolve(), 5)]
    assert "could not be rendered" in rendered
    assert escape in rendered  # the card as written, not its evaluation
    assert "## Models" in rendered  # the generated sections are still there


def test_template_error_line_counts_front_matter_and_code(tmp_path):
    prose = "---\ntitle: x\n---\n# Card\n\n```python\nprint('{{')\n```\n\n{% if %}\n"
    path = write_card(tmp_path, "bad.md", prose)
    site = site_for(tmp_path)
    site.card(path, path.read_text(encoding="utf-8"))
    assert [p.line for p in site.problems] == [10]


def test_project_templates_come_first(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(CORPUS / "code_snippets.md", templates) if CORPUS.is_dir() else \
        (templates / "code_snippets.md").write_text("Try `{{ model_name }}`.\n")
    site = site_for(SITE_DOCS, templates=templates)
    path = SITE_DOCS / "models" / "resnet.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert "=== \"Create\"" not in rendered  # the project's snippet replaced the default
    assert "resnet18.a1_in1k" in rendered.split("## Models")[1]


def test_names_replace_deprecated_ids_in_snippets():
    site = site_for(SITE_DOCS, {"mobilenetv3_small_050": "mobilenetv3_small_050.new_tag"})
    path = SITE_DOCS / "models" / "mobilenet-v3.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert 'timm.create_model("mobilenetv3_small_050.new_tag", pretrained=True)' in rendered
