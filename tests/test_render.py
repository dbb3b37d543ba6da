"""Rendering cards and generated pages to Markdown: golden files, the sandbox, code protection.

Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_render.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

from model_index.index import load
from model_index.render import Site
from model_index.render.loader import MAX_TEMPLATE_BYTES
from model_index.render_cli import render_command
from model_index.rules import all_rules

HERE = Path(__file__).parent
SITE_DOCS = HERE / "fixtures" / "site" / "docs"
GOLDEN = HERE / "golden"
CORPUS = HERE.parent.parent / "shared" / "corpus" / "timm-docs-2021"
BIT_NAMES = {f"resnetv2_{size}_bitm": f"resnetv2_{size}_bit.goog_in21k_ft_in1k"
             for size in ("50x1", "50x3", "101x1", "101x3", "152x2", "152x4")}


def site_for(docs: Path, names: dict[str, str] | None = None, templates: Path | None = None) -> Site:
    """A site of the cards under `docs/models`; `names` maps model names to current timm names, as
    a cross-check resolves them (None: no cross-check ran)."""
    index = load([docs / "models"], root=docs)
    resolved = None if names is None else {m: names[m.name] for m in index.models if m.name in names}
    return Site(index, docs, templates, resolved)


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
    (templates / "code_snippets.md").write_text("## Try it\n\nTry `{{ model_name }}` first.\n")
    site = site_for(SITE_DOCS, templates=templates)
    path = SITE_DOCS / "models" / "resnet.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert "=== \"Create\"" not in rendered  # the project's snippet replaced the default
    section = rendered.split("## Try it\n", 1)[1].split("\n## ", 1)[0]
    assert "Try `resnet18.a1_in1k` first." in section  # the family's smallest model


def test_names_are_per_model_not_per_name(tmp_path):
    # Two cards with the same model names: each model keeps the timm name resolved for it.
    for card in ("a.md", "b.md"):
        write_card(tmp_path, card, f"# {card}\n\n")
    index = load([tmp_path / "models"])
    resolved = {m: f"{m.name}.from_{Path(m.path).stem}" for m in index.models}
    site = Site(index, tmp_path, None, resolved)
    page = {card: site.card(tmp_path / "models" / card, (tmp_path / "models" / card).read_text(encoding="utf-8"))
            for card in ("a.md", "b.md")}
    assert ".from_a" in page["a.md"] and ".from_b" not in page["a.md"]
    assert ".from_b" in page["b.md"] and ".from_a" not in page["b.md"]


def test_names_replace_deprecated_ids_in_snippets():
    site = site_for(SITE_DOCS, {"mobilenetv3_small_050": "mobilenetv3_small_050.new_tag"})
    path = SITE_DOCS / "models" / "mobilenet-v3.md"
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert 'timm.create_model("mobilenetv3_small_050.new_tag", pretrained=True)' in rendered


def test_timm_snippets_only_for_models_resolved_to_timm(tmp_path):
    # The cross-check resolves the models it can tie to timm; a page offers timm code for those only.
    path = write_card(tmp_path, "card.md", "# Card\n\nProse.\n\n")
    text = path.read_text(encoding="utf-8")
    usage = "## How do I use this model?"
    unknown = site_for(tmp_path).card(path, text)  # no cross-check ran: every model is taken for timm's
    assert usage in unknown and "<option" in unknown
    assert usage not in site_for(tmp_path, {}).card(path, text)  # none resolved to timm
    one = site_for(tmp_path, {"resnet34.a1_in1k": "resnet34.a1_in1k"}).card(path, text)
    snippets = one.split(usage, 1)[1]
    assert 'timm.create_model("resnet34.a1_in1k"' in snippets  # the smaller resnet18 is not timm's here
    assert "resnet18.a1_in1k" not in snippets and "<option" not in snippets


def render_card(docs: Path, name: str, prose: str) -> tuple[str, Site]:
    """`prose` (before the ResNet fixture's metadata) rendered as a card: (page, site)."""
    path = write_card(docs, name, prose)
    site = site_for(docs)
    return site.card(path, path.read_text(encoding="utf-8")), site


@pytest.mark.parametrize("after", ["{%- if true %}\nText\n{% endif %}\n", "{{- '' }}\nText\n"])
def test_whitespace_control_after_code_keeps_the_code(tmp_path, after):
    rendered, site = render_card(tmp_path, "trim.md", "# Card\n\n```python\nprint('kept')\n```\n" + after)
    assert site.problems == []
    assert "```python\nprint('kept')\n```" in rendered
    assert "\x00" not in rendered


@pytest.mark.parametrize("marker", ["'\\x00' ~ '0' ~ '\\x00'", "'\\x00' ~ '99' ~ '\\x00'", "'\\x000\\x00'"])
def test_a_template_cannot_forge_a_code_marker(tmp_path, marker):
    rendered, site = render_card(tmp_path, "forged.md", f"# Card\n\n`code`\n\n{{{{ {marker} }}}}\n\n")
    assert site.problems == []
    assert rendered.count("`code`") == 1 and "\x00" not in rendered


def test_attr_list_braces_are_not_jinja(tmp_path):
    prose = "# Card {#top}\n\nIntro {: .lead }\n\n## Usage {#usage .wide}\n\nUse `{{ model_name }}`.\n\n"
    rendered, site = render_card(tmp_path, "attrs.md", prose)
    assert site.problems == []
    assert rendered.startswith("# Card {#top}\n")
    assert "Intro {: .lead }" in rendered and "## Usage {#usage .wide}\n" in rendered


def test_attr_list_braces_beside_jinja(tmp_path):
    prose = "# Card\n\n## Usage {#usage}\n\n{{ model_name }} {# a note #}\n\n"
    rendered, site = render_card(tmp_path, "attrs.md", prose)
    assert site.problems == []
    assert "## Usage {#usage}\n\nresnet18.a1_in1k \n" in rendered


@pytest.mark.parametrize("expression, length", [('"{:>5}".format(1)', 5), ('"{:.2f}".format(2)', 4),
                                                  ('"a{:x}b" ~ "c"', 7)])
def test_attr_list_like_braces_inside_jinja_stay_jinja(tmp_path, expression, length):
    """`{:` inside a `{{ }}` or `{% %}` is the template's text, not an attr_list to hide."""
    prose = f"# Card\n\nA{{{{ ({expression}) | length }}}}B {{% if '{{:x}}' %}}yes{{% endif %}} {{: .c }}\n\n"
    rendered, site = render_card(tmp_path, "attrs.md", prose)
    assert site.problems == []
    assert f"A{length}B yes {{: .c }}" in rendered


def test_longer_fence_holds_shorter_fences_and_headings(tmp_path):
    prose = ("# Card\n\nIntro.\n\n````markdown\n```python\nx = 1\n```\n## Not a heading\n````\n\n"
             "## Real heading\n\nText.\n\n")
    rendered, site = render_card(tmp_path, "fence.md", prose)
    assert "````markdown\n```python\nx = 1\n```\n## Not a heading\n````" in rendered
    assert rendered.index("## Not a heading") < rendered.index("## Models") < rendered.index("## Real heading")


def test_front_matter_ends_on_a_line_as_editors_count_them(tmp_path):
    front = "---\ntitle: a\x0c---\nextra: b\u2028c\n---\n"
    rendered, site = render_card(tmp_path, "front.md", front + "# Card\n\n{{ model_name }}\n\n{% if %}\n\n")
    assert rendered.startswith(front + "# Card\n")
    assert [p.line for p in site.problems] == [9]


DATA_FILE = """Models:
- Name: resnet50.extra
  In Collection: ResNet
  Metadata:
    Parameters: 25557032
- Name: loner.extra
  Metadata:
    Parameters: 1000000
"""


def docs_with_data_file(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    shutil.copy(SITE_DOCS / "models" / "resnet.md", docs / "models")
    (docs / "models" / "extra.yml").write_text(DATA_FILE, encoding="utf-8")
    return docs


def test_data_file_models_join_their_collections_card(tmp_path):
    docs = docs_with_data_file(tmp_path)
    site = site_for(docs)
    path = docs / "models" / "resnet.md"
    models = site.card(path, path.read_text(encoding="utf-8")).split("## Models\n", 1)[1].split("\n## ", 1)[0]
    assert "`resnet50.extra`" in models and "loner.extra" not in models
    assert not site.is_card(docs / "models" / "extra.yml")


def test_overview_never_links_a_data_file(tmp_path):
    overview = site_for(docs_with_data_file(tmp_path)).overview("overview.md")
    rows = {line.split(" | ")[0]: line for line in overview.splitlines() if line.startswith("| ")}
    assert rows["| [`resnet50.extra`](models/resnet.md)"]
    assert rows["| `loner.extra`"]  # listed, without a page to link to
    assert ".yml" not in overview


def test_render_cli_keeps_data_files(tmp_path):
    docs = docs_with_data_file(tmp_path)
    out = tmp_path / "out"
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert (out / "models" / "extra.yml").read_text(encoding="utf-8") == DATA_FILE
    assert "`resnet50.extra`" in (out / "models" / "resnet.md").read_text(encoding="utf-8")


def docs_with_symlinked_card(tmp_path: Path, target: str = "docs/library/card.md") -> Path:
    """docs/models/linked.md is a symlink to a card elsewhere (by default in the docs folder, outside
    its cards folder)."""
    source = tmp_path / target
    source.parent.mkdir(parents=True)
    shutil.copy(SITE_DOCS / "models" / "vit.md", source)
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    (docs / "models" / "linked.md").symlink_to(source)
    return docs


def test_overview_links_a_symlinked_card_where_it_is_linked(tmp_path):
    docs = docs_with_symlinked_card(tmp_path)
    overview = site_for(docs).overview("overview.md")
    assert "](models/linked.md)" in overview and "library" not in overview


def test_render_cli_renders_a_symlinked_card(tmp_path):
    docs = docs_with_symlinked_card(tmp_path)
    out = tmp_path / "out"
    source = (docs / "library" / "card.md").read_text(encoding="utf-8")
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "## Models" in (out / "models" / "linked.md").read_text(encoding="utf-8")
    assert not (out / "models" / "linked.md").is_symlink()
    assert (docs / "library" / "card.md").read_text(encoding="utf-8") == source


def test_render_cli_leaves_out_a_card_linked_from_outside_the_docs(tmp_path):
    docs = docs_with_symlinked_card(tmp_path, "elsewhere/card.md")
    (docs / "models" / "own.md").write_text((SITE_DOCS / "models" / "resnet.md").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(out)])
    assert run.exit_code == 1
    assert not (out / "models" / "linked.md").exists()  # neither rendered nor copied
    assert "## Models" in (out / "models" / "own.md").read_text(encoding="utf-8")
    overview = (out / "overview.md").read_text(encoding="utf-8")
    assert "linked.md" not in overview and "own.md" in overview



CRASHES = {  # errors that are not Jinja's: each is a problem at its line, never a traceback
    "{{ 1 / 0 }}": "ZeroDivisionError",
    "{{ range(10 ** 9) | list }}": "OverflowError",  # the sandbox's range limit
    "{{ 10 ** 5000 }}": "BoundExceeded",  # an integer too long to print: stopped before it is built
    "{{ '{x}'.format() }}": "KeyError",
    "{{ 1.5 ** 100000 }}": "OverflowError",
}


@pytest.mark.parametrize("template", CRASHES)
def test_python_errors_in_a_card_template_are_problems(tmp_path, template):
    rendered, site = render_card(tmp_path, "crash.md", f"# Card\n\nProse.\n\n{template}\n\n")
    assert [(p.line, p.kind) for p in site.problems] == [(5, CRASHES[template])]
    assert "!!! failure" in rendered and template in rendered and "## Models" in rendered


def test_a_failing_page_template_shows_the_card_with_a_note(tmp_path):
    templates = tmp_path / "templates" / "card"
    templates.mkdir(parents=True)
    (templates / "models.md").write_text("## Models\n\n{{ models | length / 0 }}\n", encoding="utf-8")
    path = write_card(tmp_path / "docs", "card.md", "# Card\n\nProse of the card.\n\n")
    site = site_for(tmp_path / "docs", templates=tmp_path / "templates")
    rendered = site.card(path, path.read_text(encoding="utf-8"))
    assert [(Path(p.path).resolve(), p.line, p.kind) for p in site.problems] == \
        [(path.resolve(), 1, "ZeroDivisionError")]
    assert "card/models.md:3" in site.problems[0].message  # where in the template
    assert rendered.startswith("# Card\n\n!!! failure") and "Prose of the card." in rendered
    assert "## Models" not in rendered


def test_a_failing_generated_page_is_a_note(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overview.md").write_text("# Overview\n\n{{ families // 0 }}\n", encoding="utf-8")
    site = site_for(SITE_DOCS, templates=templates)
    page = site.overview("overview.md")
    assert "!!! failure" in page
    assert [(Path(p.path).resolve(), p.line, p.kind) for p in site.problems] == \
        [((templates / "overview.md").resolve(), 3, "ZeroDivisionError")]


def test_a_collection_without_a_name_renders(tmp_path):
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    card = docs / "models" / "no-name.md"
    card.write_text("# No name\n\n<!--\nCollections:\n- Paper: https://arxiv.org/abs/1512.03385\n"
                    "Models:\n- Name: m1\n  Metadata:\n    Parameters: 100\n-->\n", encoding="utf-8")
    site = site_for(docs)
    rendered = site.card(card, card.read_text(encoding="utf-8"))
    assert "`m1`" in rendered and site.problems == []
    assert "No Name" in site.overview("overview.md")  # the family is named after the file


def linked_template(tmp_path: Path, target: Path) -> Path:
    """A project templates folder whose code_snippets.md is a link to `target`."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "code_snippets.md").symlink_to(target)
    return templates


def render_with_templates(tmp_path: Path, templates: Path) -> tuple[str, Site]:
    """The ResNet fixture card, which includes code_snippets.md on its line 6."""
    path = SITE_DOCS / "models" / "resnet.md"
    site = site_for(SITE_DOCS, templates=templates)
    return site.card(path, path.read_text(encoding="utf-8")), site


def test_a_template_linked_outside_its_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN-12345", encoding="utf-8")
    rendered, site = render_with_templates(tmp_path, linked_template(tmp_path, secret))
    assert [(p.line, p.kind) for p in site.problems] == [(6, "TemplateRefused")]
    assert "TOKEN-12345" not in rendered and "!!! failure" in rendered


def test_a_template_linked_inside_its_folder_is_read(tmp_path):
    templates = linked_template(tmp_path, Path("parts") / "snippets.md")
    (templates / "parts").mkdir()
    (templates / "parts" / "snippets.md").write_text("## Try\n\n{{ model_name | code }}\n", encoding="utf-8")
    rendered, site = render_with_templates(tmp_path, templates)
    assert site.problems == [] and "## Try\n\n`resnet18.a1_in1k`" in rendered


def test_a_templates_folder_linked_elsewhere_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "code_snippets.md").write_text("TOKEN-12345", encoding="utf-8")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "templates").symlink_to(elsewhere)
    rendered, site = render_with_templates(tmp_path, tmp_path / "project" / "templates")
    assert [(p.line, p.kind) for p in site.problems] == [(6, "TemplateRefused")]
    assert "TOKEN-12345" not in rendered


@pytest.mark.parametrize("kind", ["fifo", "directory", "too large"])
def test_a_template_that_is_not_a_small_file_is_refused(tmp_path, kind):
    templates = tmp_path / "templates"
    templates.mkdir()
    target = templates / "code_snippets.md"
    if kind == "fifo":
        os.mkfifo(target)  # reading it would block the build forever
    elif kind == "directory":
        target.mkdir()
    else:
        target.write_text("x" * (MAX_TEMPLATE_BYTES + 1), encoding="utf-8")
    rendered, site = render_with_templates(tmp_path, templates)
    assert [(p.line, p.kind) for p in site.problems] == [(6, "TemplateRefused")]


OPENERS = {"comments": "<!--", "backticks": "`a``", "double backticks": "``a`", "attributes": "{: `",
           "jinja": "{{"}


@pytest.mark.parametrize("opener", OPENERS.values(), ids=OPENERS.keys())
def test_a_long_line_of_openers_renders_in_linear_time(tmp_path, opener):
    """400 KB of openers on one line: a scan that restarts at each opener takes minutes."""
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    source = (SITE_DOCS / "models" / "resnet.md").read_text(encoding="utf-8")
    long_line = opener * (400_000 // len(opener))
    (docs / "models" / "long.md").write_text(source[source.index("<!--"):] + "\n" + long_line + "\n", encoding="utf-8")
    script = ("import sys; from pathlib import Path; from model_index.index import load; "
              "from model_index.render import Site; docs = Path(sys.argv[1]); "
              "card = docs / 'models' / 'long.md'; "
              "print(len(Site(load([docs / 'models']), docs).card(card, card.read_text())))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-c", script, str(docs)], capture_output=True, text=True,
                         timeout=60, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout) > 400_000
