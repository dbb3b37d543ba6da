"""Card values built to break out of each output context, through a real `mkdocs build`.

The built HTML is parsed and compared with the HTML of the same card written with plain words: a
hostile value may change the text, never the elements and attributes (outside highlighted code,
whose spans follow the code). The snippets must stay valid Python naming the exact model, the
picker's attribute must hold the exact name, no `javascript:` link and no event handler may appear.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import mkdocs_build  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "site"
# Extensions that give more Markdown syntax a value could try to use.
EXTENSIONS = ["attr_list", "md_in_html", "def_list", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
              "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.inlinehilite", "pymdownx.smartsymbols"]

FENCE_BREAK = "\n```\n\nimport os; os.system('id')\n\n```\n"
HOSTILE = {
    "collection": "<img src=x onerror=alert(1)>[f](javascript:alert(2)) | *em* {: onclick=alert(3) }",
    "title": "T</a><script>alert(4)</script>](javascript:alert(5)) [y](javascript:alert(6)) ~~d~~ ==m==",
    "url": "javascript:alert(7)",
    "name1": "n`</code><script>alert(8)</script>\"'><img src=x onerror=alert(9)>|`" + FENCE_BREAK,
    "name2": "m\\\" + __import__('os').system('id') + \"\u202e`` `x`|]](javascript:alert(10))",
    "task": "<b onmouseover=alert(11)>task</b> | <i>cell</i>\n\n| x | y |",
    "dataset": "{: onclick=alert(12) } *em* _em_ ~~del~~ ^^ins^^ :smile: https://evil.example/x @user",
    "metric": "<script>alert(13)</script>`|",
    "value": "\"><svg onload=alert(14)>\n- item\n1. item",
    "data": "[x](javascript:alert(15)) <!-- c --> &lt;script&gt;",
    "technique": "<iframe src=javascript:alert(16)></iframe>\n# Heading\n> quote",
    "interpolation": "bicubic</td></tr></table><script>alert(17)</script>" + FENCE_BREAK,
}
PLAIN = {key: ("javascript:alert(7)" if key == "url" else f"plain{i}") for i, key in enumerate(HOSTILE)}
# A project template that puts data in a script, as JSON.
HEADER = (ROOT / "templates" / "card" / "header.md").read_text(encoding="utf-8") + """

<script type="application/json">{{ models | map(attribute="name") | list | tojson }}</script>"""


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def project_with(tmp: Path, extensions: list[str]) -> Path:
    """A copy of the fixture site with more Markdown extensions."""
    project = tmp / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - tables\n", "  - tables\n" + "".join(f"  - {e}\n" for e in extensions)), encoding="utf-8")
    return project


def write_zoo(project: Path, v: dict[str, str]) -> None:
    """A card defining a collection, and a data file with two models in it. Their interpolations
    differ (the page writes them in a table), their tasks and datasets do not (the page writes
    them once, under the Results heading)."""
    models = project / "docs" / "models"
    shutil.rmtree(models)
    models.mkdir()
    (models / "zoo.md").write_text(f"""# Zoo

Prose of the card.

<!--
Type: model-index
Collections:
- Name: {_yaml(v["collection"])}
  Paper:
    Title: {_yaml(v["title"])}
    URL: {_yaml(v["url"])}
-->
""", encoding="utf-8")
    entries = []
    for name, params, interpolation in ((v["name1"], 1000, v["interpolation"]), (v["name2"], 2000, "bilinear")):
        entries.append(f"""- Name: {_yaml(name)}
  In Collection: {_yaml(v["collection"])}
  Metadata:
    Parameters: {params}
    Interpolation: {_yaml(interpolation)}
    Training Data: [{_yaml(v["data"])}]
    Training Techniques: [{_yaml(v["technique"])}]
  Results:
  - Task: {_yaml(v["task"])}
    Dataset: {_yaml(v["dataset"])}
    Metrics:
      {_yaml(v["metric"])}: {_yaml(v["value"])}
      Top 1 Accuracy: 80.5
""")
    (models / "zoo-models.yml").write_text("Models:\n" + "".join(entries), encoding="utf-8")


class Page(HTMLParser):
    """What a built page holds: its elements and attribute names in order (outside <pre>), every
    attribute, its text, and the text of table cells, code blocks and scripts, in <article> only
    or in the `whole` page (navigation, title, metadata)."""

    def __init__(self, html: str, whole: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.cells: list[str] = []
        self.pres: list[str] = []
        self.scripts: list[str] = []
        self.text = ""  # all of the article's text
        self._article = self._pre = 0
        self._cell: list[str] | None = None
        self._text: list[str] | None = None
        self.feed(html if whole else html[html.index("<article"):html.index("</article>") + len("</article>")])

    def handle_starttag(self, tag, attrs):
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag == "pre":
            self._pre += 1
            self._text = []
        if tag == "script":
            self._text = []
        if not self._pre:
            self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        if tag == "pre" and self._pre:
            self._pre -= 1
            self.pres.append("".join(self._text or []))
            self._text = None
        if tag == "script" and self._text is not None:
            self.scripts.append("".join(self._text))
            self._text = None
        if not self._pre:
            self.shape.append(("/" + tag, ()))

    def handle_data(self, data):
        self.text += data
        if self._cell is not None:
            self._cell.append(data)
        if self._text is not None:
            self._text.append(data)


def one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, dict[str, Page]]:
    """The card page and the overview, built from the hostile values and from plain ones."""
    built = {}
    for label, values in (("hostile", HOSTILE), ("plain", PLAIN)):
        tmp = tmp_path_factory.mktemp(label)
        project = project_with(tmp, EXTENSIONS)
        write_zoo(project, values)
        (project / "templates" / "card").mkdir(parents=True)
        (project / "templates" / "card" / "header.md").write_text(HEADER, encoding="utf-8")
        run = mkdocs_build(project, tmp / "site", strict=False)
        assert run.returncode == 0, run.stderr
        built[label] = {page: Page((tmp / "site" / page / "index.html").read_text(encoding="utf-8"))
                        for page in ("models/zoo", "overview")}
    return built


@pytest.mark.parametrize("page", ["models/zoo", "overview"])
def test_hostile_values_add_no_element_or_attribute(sites, page):
    assert sites["hostile"][page].shape == sites["plain"][page].shape


@pytest.mark.parametrize("page", ["models/zoo", "overview"])
def test_no_script_handler_or_script_link(sites, page):
    built = sites["hostile"][page]
    assert len(built.scripts) == (page == "models/zoo")  # the project template's JSON only
    assert not [a for a in built.attributes if a[1].lower().startswith("on")]
    for tag, name, value in built.attributes:
        if name in ("href", "src"):
            assert re.match(r"(https?:|[^:]*$|[^:]*[/?#])", value.strip()), (tag, name, value)


def test_values_show_as_their_text_in_table_cells(sites):
    cells = [one_line(cell) for cell in sites["hostile"]["models/zoo"].cells]
    for key in ("interpolation", "value", "metric", "name1", "name2"):
        assert one_line(HOSTILE[key]) in cells, key


def test_shared_task_and_dataset_show_as_their_text(sites):
    text = one_line(sites["hostile"]["models/zoo"].text)
    assert f"Task: {one_line(HOSTILE['task'])} · Dataset: {one_line(HOSTILE['dataset'])} " in text


def test_shared_training_facts_show_as_their_text(sites):
    text = one_line(sites["hostile"]["models/zoo"].text)
    assert f"Training data: {one_line(HOSTILE['data'])} " in text
    assert f"Training techniques: {one_line(HOSTILE['technique'])} " in text


def test_snippets_are_python_that_names_the_exact_model(sites):
    built = sites["hostile"]["models/zoo"]
    created = []
    for code in built.pres:
        if "create_model" in code:
            tree = ast.parse(code)  # the block is still one valid piece of Python
            created += [ast.literal_eval(call.args[0]) for call in ast.walk(tree)
                        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "create_model"]
    assert created and set(created) == {HOSTILE["name1"]}  # the default: the smaller model


def test_picker_attribute_holds_the_exact_names(sites):
    attributes = sites["hostile"]["models/zoo"].attributes
    model = [value for tag, name, value in attributes if tag == "div" and name == "data-model"]
    options = [value for tag, name, value in attributes if tag == "option" and name == "value"]
    assert [ast.literal_eval(v) for v in model] == [HOSTILE["name1"]]
    assert sorted(ast.literal_eval(v) for v in options) == sorted([HOSTILE["name1"], HOSTILE["name2"]])


def test_paper_with_a_script_url_is_not_a_link(sites):
    built = sites["hostile"]["models/zoo"]
    assert not [a for a in built.attributes if a[1] in ("href", "src") and "javascript" in a[2]]
    assert HOSTILE["title"] in built.text  # the title, as text
    citation = [code for code in built.pres if "@misc" in code]
    assert len(citation) == 1 and HOSTILE["url"] in citation[0]  # inert text in the citation block


def test_json_in_a_script_holds_the_exact_names(sites):
    scripts = sites["hostile"]["models/zoo"].scripts
    assert [json.loads(script) for script in scripts] == [[HOSTILE["name1"], HOSTILE["name2"]]]


PROSE = """---
description: "\\"><script>alert(20)</script>"
---
# Prose &lt;/title&gt;&lt;script&gt;alert(21)&lt;/script&gt;

<script>alert(1)</script>
<img src=x onerror=alert(2)>

Text with <b onmouseover=alert(3)>bold</b>, [a link](javascript:alert(4)), ![an image](javascript:alert(5)),
[a web link](https://example.org/ok) and an autolink <https://example.org/auto>.

A paragraph with an attribute list.
{: onclick=alert(6) }

A [reference link][ref] and {{ "\\x3ci>marked safe\\x3c/i>" | safe }}.
{% if models | length < 5 %}A small family.{% endif %} {% raw %}<u>raw block</u>{% endraw %}

[ref]: javascript:alert(7)

## Usage {#usage}

{% include 'code_snippets.md' %}
"""


@pytest.fixture(scope="module")
def prose_pages(tmp_path_factory) -> dict[bool, Page]:
    """A card whose prose holds raw HTML and Markdown that makes script, built with `allow_html`
    true and false."""
    pages = {}
    for allow in (True, False):
        tmp = tmp_path_factory.mktemp(f"allow-{allow}")
        project = project_with(tmp, ["attr_list"])
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "  - model-index\n", f"  - model-index:\n      allow_html: {str(allow).lower()}\n"), encoding="utf-8")
        source = (project / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
        (project / "docs" / "models" / "resnet.md").write_text(PROSE + source[source.index("<!--"):], encoding="utf-8")
        vit = project / "docs" / "models" / "vit.md"
        vit.write_text('---\ntitle: "<img src=x onerror=alert(22)>"\n---\n' + vit.read_text(encoding="utf-8"),
                       encoding="utf-8")
        run = mkdocs_build(project, tmp / "site", strict=False)
        assert run.returncode == 0, run.stderr
        pages[allow] = Page((tmp / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8"))
        pages[allow].whole = Page((tmp / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8"),
                                  whole=True)
    return pages


def _handlers(page: Page) -> list:
    return [a for a in page.attributes if a[1].lower().startswith("on")]


def _links(page: Page) -> list[str]:
    return [value for tag, name, value in page.attributes if name in ("href", "src")]


def test_raw_html_in_prose_is_kept_by_default(prose_pages):
    page = prose_pages[True]
    assert page.scripts == ["alert(1)"]
    assert ("b", "onmouseover", "alert(3)") in page.attributes
    assert ("i", ()) in page.shape


def test_allow_html_false_shows_raw_html_as_text(prose_pages):
    page = prose_pages[False]
    assert page.scripts == [] and _handlers(page) == []
    assert not {"b", "i", "script"} & {tag for tag, _ in page.shape}  # <img> is Markdown's `![]()`
    text = one_line(page.text)
    assert "<script>alert(1)</script> <img src=x onerror=alert(2)>" in text
    assert "<b onmouseover=alert(3)>bold</b>" in text and "<i>marked safe</i>" in text
    assert "A small family. <u>raw block</u>" in text  # the card's template still runs; raw is prose
    assert "u" not in {tag for tag, _ in page.shape}


def test_allow_html_false_keeps_no_script_link_made_with_markdown(prose_pages):
    page = prose_pages[False]
    assert not [link for link in _links(page) if "javascript" in link]
    assert "https://example.org/ok" in _links(page) and "https://example.org/auto" in _links(page)
    assert ("h2", ("id",)) in page.shape and ("h2", "id", "usage") in page.attributes  # attr_list ids stay


def test_allow_html_false_keeps_the_generated_sections(prose_pages):
    page = prose_pages[False]
    assert [a for a in page.attributes if a[:2] == ("div", "data-model")]  # the included picker
    assert any("create_model" in code for code in page.pres)


def test_allow_html_false_makes_titles_and_front_matter_inert(prose_pages):
    """The theme writes titles (in <title> after unescaping them) and front matter unescaped:
    a card's heading, title or description must not become script anywhere on the page."""
    whole = prose_pages[False].whole
    assert not [script for script in whole.scripts if "alert" in script]
    assert _handlers(whole) == [] and ("img", ("onerror", "src")) not in whole.shape


def test_front_matter_is_the_themes_business_by_default(prose_pages):
    """With raw HTML allowed, a card may write HTML anywhere, its front matter included."""
    assert ("img", ("onerror", "src")) in prose_pages[True].whole.shape
