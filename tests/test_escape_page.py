"""Escaping card values for the site, one output context at a time, checked with the Markdown
processor mkdocs uses: a value shows as exactly its text and adds no element or attribute."""

from __future__ import annotations

import ast
from html.parser import HTMLParser

import markdown as markdown_processor
import pytest

from model_index.escape import html, markdown, python, url

EXTENSIONS = ["tables", "attr_list", "md_in_html", "def_list", "admonition", "pymdownx.superfences",
              "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark", "pymdownx.magiclink", "pymdownx.betterem",
              "pymdownx.details", "pymdownx.blocks.admonition"]

VALUES = [
    "resnet50.a1_in1k",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "x {: onclick=alert(1) }",
    "*em* **strong** _em_ __strong__ ~~del~~ ^^ins^^ ==mark== ~sub~ ^sup^",
    "a | b | c",
    "`code` ``more`` ```",
    "https://evil.example/x www.evil.example mail@evil.example @user :smile:",
    "- item", "1. item", "2) item", "# heading", "> quote", "!!! note", "??? note", "/// admonition",
    ": definition", "---", "===", "    indented code", "&lt;script&gt; &amp; &#60;",
    "line\nbreak\n\n```\nfence\n```", "tab\there", "\\*escaped\\*", "a_b_c", "-0.5", "Top 1: 80.5%",
    "a\x00b\x02c\x03d\x1be", "\u202eright-to-left\u2028separator", "ends with a backslash\\",
    "a backslash before a pipe \\| and a backtick \\` here", "`starts and ends with backticks`",
]


class Elements(HTMLParser):
    """Start tags with their attributes, the text, and the text of each table cell."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.cells: list[str] = []
        self._in_cell = False
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self.cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        self._in_cell = self._in_cell and tag != "td"

    def handle_data(self, data):
        self.text += data
        if self._in_cell:
            self.cells[-1] += data


def render(source: str) -> Elements:
    return Elements(markdown_processor.markdown(source, extensions=EXTENSIONS))


def shown(value: str) -> str:
    """What a one-line context shows of `value`: line breaks and tabs as spaces, controls dropped,
    no blanks at either end."""
    return markdown.one_line(value).strip()


@pytest.mark.parametrize("value", VALUES)
def test_text_in_a_paragraph_is_only_text(value):
    page = render(f"Before {markdown.text(value)} after.")
    assert [tag for tag, _ in page.tags] == ["p"]
    assert page.text == f"Before {shown(value)} after."


@pytest.mark.parametrize("value", VALUES)
def test_text_at_the_start_of_a_line_is_only_text(value):
    page = render(f"{markdown.text(value)}\n")
    assert [tag for tag, _ in page.tags] == ["p"]
    assert page.text == shown(value)


@pytest.mark.parametrize("value", VALUES)
def test_text_in_a_table_cell_stays_in_its_cell(value):
    page = render(f"| a | b |\n| --- | --- |\n| {markdown.text(value)} | after |\n")
    cells = [tag for tag, _ in page.tags if tag == "td"]
    assert len(cells) == 2 and not [tag for tag, _ in page.tags if tag not in
                                    ("table", "thead", "tbody", "tr", "th", "td")]
    assert page.cells == [shown(value), "after"]


@pytest.mark.parametrize("value", VALUES)
def test_text_as_a_link_text_stays_the_text_of_one_link(value):
    page = render(f"[{markdown.text(value)}](https://example.org/)")
    assert page.tags == [("p", {}), ("a", {"href": "https://example.org/"})]
    assert page.text == shown(value)


@pytest.mark.parametrize("value", VALUES)
def test_code_span_holds_the_whole_value(value):
    span = markdown.code_span(value)
    page = render(f"| a | b |\n| --- | --- |\n| {span} | after |\n")
    codes = [tag for tag, _ in page.tags if tag == "code"]
    assert len(codes) == (1 if shown(value) else 0)
    assert page.cells == [shown(value), "after"]


@pytest.mark.parametrize("value", VALUES)
def test_code_line_stays_inside_its_fenced_block(value):
    page = render(f"```python\nx = 1\n{markdown.code_line(value)}\ny = 2\n```\n\nAfter.\n")
    assert [tag for tag, _ in page.tags].count("pre") == 1
    assert page.text.startswith(f"x = 1\n{markdown.one_line(value)}\ny = 2\n")


@pytest.mark.parametrize("value", VALUES)
def test_attribute_value_is_exactly_the_value(value):
    page = render(f'<div class="x" data-model="{html.attribute(value)}">\n<p>inside</p>\n</div>\n\nAfter.\n')
    assert page.tags[0] == ("div", {"class": "x", "data-model": value.replace("\x00", "").replace("\x02", "")
                                    .replace("\x03", "").replace("\x1b", "")})


@pytest.mark.parametrize("value", VALUES)
def test_python_string_literal_is_the_exact_value_on_one_line(value):
    literal = python.string_literal(value)
    assert "\n" not in literal and ast.literal_eval(literal) == value
    assert literal.isprintable()


LINKS = {
    "https://arxiv.org/abs/1512.03385": "https://arxiv.org/abs/1512.03385",
    "HTTP://example.org/a b": "HTTP://example.org/a%20b",
    "models/resnet.md": "models/resnet.md",
    "#mi301-image-size-mismatch": "#mi301-image-size-mismatch",
    "https://openreview.net/forum?id=x&noteId=y": "https://openreview.net/forum?id=x&noteId=y",
    "a (b) [c] & d.md": "a%20%28b%29%20%5Bc%5D%20%26%20d.md",
    "x) [y](javascript:alert(1)": "x%29%20%5By%5D%28javascript:alert%281%29",
    "&#106;avascript:alert(1)": "%26#106;avascript:alert%281%29",
}
NOT_LINKS = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "\x01javascript:alert(1)",
             "data:text/html,<script>alert(1)</script>", "vbscript:x", "mailto:a@b.c", "file:///etc/passwd", "", "  "]


@pytest.mark.parametrize("value", LINKS)
def test_a_web_or_relative_link_is_one_link_to_that_target(value):
    page = render(f"[text]({url.link_target(value)})")
    assert page.tags == [("p", {}), ("a", {"href": LINKS[value]})]


@pytest.mark.parametrize("value", NOT_LINKS)
def test_any_other_scheme_is_not_a_link(value):
    assert url.link_target(value) == "" and not url.is_linkable(value)


def test_inert_html_shows_tags_and_comments_as_text_and_keeps_autolinks():
    prose = "<b onclick=x>bold</b> <!-- c --> <https://example.org/ok> <javascript:alert(1)>"
    page = render(markdown.inert_html(prose))
    assert page.tags == [("p", {}), ("a", {"href": "https://example.org/ok"})]
    assert "<b onclick=x>bold</b> <!-- c -->" in page.text


def test_without_active_attributes_keeps_markdown_and_drops_what_runs():
    made = markdown_processor.markdown(
        "[web](https://example.org/) [rel](models/x.md) [js](javascript:alert(1)) ![img](data:x)\n"
        "{: onclick=alert(2) style=color:red .lead #top }", extensions=["attr_list"])
    page = Elements(html.without_active_attributes(made))
    assert page.tags == [("p", {"id": "top", "class": "lead"}), ("a", {"href": "https://example.org/"}),
                         ("a", {"href": "models/x.md"}), ("a", {}), ("img", {"alt": "img"})]
