"""The mkdocs plugin in real `mkdocs build` runs (subprocesses) on temporary sites."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import mkdocs_build  # noqa: E402

from model_index.render import extensions  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "site"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the fixture site: three good cards."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


def add_card(project: Path, name: str, text: str) -> None:
    (project / "docs" / "models" / name).write_text(text, encoding="utf-8")


BROKEN = """# Broken

A card whose metadata has an error on line 13.

<!--
Type: model-index
Models:
- Name: resnet26.bt_in1k
  Metadata:
    Parameters: 16001816
  Results:
  - Task: Image Classification
    Dataset: ImageNet
    Metrics:
      Top 1 Accuracy: high
-->
"""


def test_site_builds_strict_with_generated_pages(project, tmp_path):
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    for page in ("overview/index.html", "rules/index.html", "models/resnet/index.html",
                 "assets/model-index/vendor/chart.umd.min.js", "assets/model-index/model-index.js"):
        assert (site / page).is_file(), page
    card = (site / "models" / "resnet" / "index.html").read_text(encoding="utf-8")
    assert "tabbed-set" in card and "Type: model-index" not in card
    assert 'src="../../assets/model-index/vendor/chart.umd.min.js"' in card
    assert not re.search(r"<script[^>]+src=\"https?://", card), "the site must load no script from a CDN"
    rules = (site / "rules" / "index.html").read_text(encoding="utf-8")
    assert 'id="mi301-image-size-mismatch"' in rules  # the anchor SARIF's helpUri links to


def test_broken_card_fails_strict_with_file_and_line(project, tmp_path):
    add_card(project, "broken.md", BROKEN)
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode != 0
    location = re.search(r"docs/models/broken\.md:(\d+)", run.stderr)
    assert location, run.stderr
    assert BROKEN.splitlines()[int(location.group(1)) - 1].strip() == "Top 1 Accuracy: high"
    assert "resnet.md:" not in run.stderr  # the good cards stay quiet


def test_broken_card_builds_without_strict(project, tmp_path):
    add_card(project, "broken.md", BROKEN)
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    assert "broken.md" in run.stderr


def test_card_template_escape_warns_and_page_still_builds(project, tmp_path):
    source = (project / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    evil = source.replace("{% include 'code_snippets.md' %}", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    add_card(project, "resnet.md", evil)
    strict = mkdocs_build(project, tmp_path / "strict")
    assert strict.returncode != 0
    assert "docs/models/resnet.md:6:" in strict.stderr
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8")
    assert "could not be rendered" in page and "subclasses" in page  # the card as written
    assert "&lt;class" not in page and "<class" not in page  # nothing was evaluated


def test_attr_list_headings_build_strict(project, tmp_path):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tables\n", "  - tables\n  - attr_list\n"),
                      encoding="utf-8")
    source = (project / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    add_card(project, "resnet.md", source.replace("## Citation", "## Citation {#cite .wide}"))
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 [^>]*id="cite"', page)


def test_symlinked_card_builds_strict(project, tmp_path):
    inside = project / "docs" / "models" / "sources" / "vit.md"
    inside.parent.mkdir()
    (project / "docs" / "models" / "vit.md").rename(inside)
    (project / "docs" / "models" / "vit.md").symlink_to(inside)
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    overview = (tmp_path / "site" / "overview" / "index.html").read_text(encoding="utf-8")
    assert "models/vit/" in overview or "models/sources/vit/" in overview
    card = (tmp_path / "site" / "models" / "vit" / "index.html").read_text(encoding="utf-8")
    assert 'id="models"' in card and "Type: model-index" not in card  # rendered as a card


def test_a_card_linked_from_outside_the_cards_folder_fails_a_strict_build(project, tmp_path):
    outside = tmp_path / "elsewhere.md"
    (project / "docs" / "models" / "vit.md").rename(outside)
    (project / "docs" / "models" / "vit.md").symlink_to(outside)
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode != 0 and "MI000" in run.stderr


def test_render_cli_gives_the_plugins_pages(project, tmp_path):
    """`model-index render` + a plain build (no plugin, the Markdown extensions the guide lists for
    it) gives the same article HTML as the plugin."""
    rendered = tmp_path / "rendered"
    cli = subprocess.run([sys.executable, "-m", "model_index", "render", "docs", "-o", str(rendered)],
                         cwd=project, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - model-index\n", "")
    listed = yaml.safe_load(config)["markdown_extensions"]
    needed = extensions.missing(name if isinstance(name, str) else next(iter(name)) for name in listed)
    config = config.replace("markdown_extensions:\n", "markdown_extensions:\n" + "".join(
        f"  - {name}: {json.dumps(settings)}\n" for name, settings in needed.items()))
    (plain / "mkdocs.yml").write_text(config.replace("docs_dir: docs", f"docs_dir: {rendered}") +
                                      "extra_javascript:\n" + "".join(
                                          f"  - {line.strip()}\n" for line in _scripts()) +
                                      "extra_css:\n  - assets/model-index/model-index.css\n", encoding="utf-8")
    assert mkdocs_build(plain, tmp_path / "plain-site").returncode == 0
    assert mkdocs_build(project, tmp_path / "plugin-site").returncode == 0
    for page in ("models/resnet/index.html", "models/vit/index.html", "overview/index.html", "rules/index.html"):
        with_plugin = (tmp_path / "plugin-site" / page).read_text(encoding="utf-8")
        without = (tmp_path / "plain-site" / page).read_text(encoding="utf-8")
        assert _article(with_plugin) == _article(without), page
        assert _scripts_of(with_plugin) == _scripts_of(without), page


def _scripts() -> list[str]:
    from model_index.render import script_paths

    return script_paths()


def _article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def _scripts_of(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_project_site_builds_strict(tmp_path):
    """The project's own site: `mkdocs build --strict` on mkdocs.yml, as `.ci/run` does."""
    if not list((ROOT / "docs" / "models").glob("*.md")):
        pytest.skip("the project's cards are not written yet")
    run = mkdocs_build(ROOT, tmp_path / "site")
    assert run.returncode == 0, run.stderr


class _Server:
    """What `mkdocs serve` hands the plugin: something to watch paths with."""

    def __init__(self):
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_the_templates_folder(project):
    from mkdocs.config import load_config

    (project / "templates").mkdir()
    config = load_config(str(project / "mkdocs.yml"))
    server = _Server()
    config.plugins["model-index"].on_serve(server, config=config, builder=None)
    assert server.watched == [str(project / "templates")]


def test_a_configuration_error_stops_the_build_without_a_traceback(project, tmp_path):
    (project / "pyproject.toml").write_text("[tool.model-index]\nselect = ['MI999']\n", encoding="utf-8")
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode != 0
    assert "MI999" in run.stderr and "Traceback" not in run.stderr


def test_card_values_cannot_start_a_ci_log_line(project, tmp_path):
    """A newline in a card value (here in a diagnostic's message and in a template error) would
    let the card write `::error::` commands into the GitHub Actions log."""
    source = (project / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    evil = source.replace("{% include 'code_snippets.md' %}", '{% include "none\\n::error file=a::owned" %}')
    evil = evil.replace("Interpolation: bicubic", 'Interpolation: "bogus\\n::warning::owned"', 1)
    add_card(project, "resnet.md", evil)
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    assert not [line for line in run.stderr.splitlines() if line.lstrip().startswith("::")]
    assert "none\\n::error file=a::owned" in run.stderr  # the template problem, escaped
    assert "bogus\\n::warning::owned" in run.stderr  # the MI204 diagnostic, escaped


def test_a_card_named_with_markdown_characters_is_linked_from_the_overview(project, tmp_path):
    models = project / "docs" / "models"
    (models / "vit.md").rename(models / "a (b) [c] & d.md")
    run = mkdocs_build(project, tmp_path / "site")  # strict: a link mkdocs cannot resolve fails it
    assert run.returncode == 0, run.stderr
    overview = (tmp_path / "site" / "overview" / "index.html").read_text(encoding="utf-8")
    assert 'href="../models/a%20%28b%29%20%5Bc%5D%20%26%20d/"' in overview


def _configured(project: Path):
    """The site's configuration after the plugins' `on_config`, as a build sees it."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    return config.plugins.on_config(config)


def _set_extensions(project: Path, listed: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("markdown_extensions:"), text.index("plugins:")
    config.write_text(text[:start] + listed + text[end:], encoding="utf-8")


def test_plugin_adds_the_missing_extensions_with_their_settings(project):
    _set_extensions(project, "")
    config = _configured(project)
    for name, settings in extensions.REQUIRED.items():
        assert name in config.markdown_extensions, name
        assert config.mdx_configs.get(name, {}) == settings, name


def test_plugin_keeps_the_sites_own_extension_settings(project):
    _set_extensions(project, "markdown_extensions:\n  - markdown.extensions.admonition\n  - extra\n"
                             "  - pymdownx.superfences:\n      preserve_tabs: true\n"
                             "  - pymdownx.tabbed:\n      alternate_style: true\n      combine_header_slug: true\n")
    config = _configured(project)
    names = config.markdown_extensions
    assert "admonition" not in names and "md_in_html" not in names  # listed under another name, loaded by extra
    assert names.count("pymdownx.superfences") == 1 and names.count("pymdownx.tabbed") == 1
    assert config.mdx_configs["pymdownx.superfences"] == {"preserve_tabs": True}
    assert config.mdx_configs["pymdownx.tabbed"] == {"alternate_style": True, "combine_header_slug": True}


def test_tabs_set_up_otherwise_fail_strict_and_stay_as_set_up(project, tmp_path):
    _set_extensions(project, "markdown_extensions:\n  - pymdownx.tabbed\n")
    strict = mkdocs_build(project, tmp_path / "strict")
    assert strict.returncode != 0
    assert "pymdownx.tabbed" in strict.stderr and "alternate_style" in strict.stderr
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8")
    assert "tabbed-set" in page and "tabbed-labels" not in page  # the site's own (old) tab style


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_another_theme_fails_strict_when_a_card_page_has_tabs(project, tmp_path, theme):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("theme:")] + f"theme:\n  name: {theme}\n" + text[text.index("markdown_extensions:"):],
                      encoding="utf-8")
    run = mkdocs_build(project, tmp_path / "site")
    assert run.returncode != 0
    assert re.search(r"WARNING .*models/\S+\.md has content tabs", run.stderr), run.stderr
    # Without code snippets (a project template), nothing would render broken: the build passes.
    (project / "templates").mkdir()
    (project / "templates" / "code_snippets.md").write_text("## How do I use this model?\n\nSee timm's docs.\n",
                                                            encoding="utf-8")
    quiet = mkdocs_build(project, tmp_path / "quiet")
    assert quiet.returncode == 0, quiet.stderr


class _Findings(HTMLParser):
    """The findings note of a card page: its classes, the tags inside it, and its table's body rows
    as lists of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.classes: list[str] = []
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []
        self._depth = 0  # inside the note: its div nesting
        self._body = False
        self._cell: list[str] | None = None
        self.feed(html[html.index("<article"):html.index("</article>")])

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self._depth:
            self.tags.add(tag)
            self._depth += tag == "div"
        elif tag == "div" and "admonition" in classes.split() and not self.classes:
            self.classes, self._depth = classes.split(), 1
        if self._depth and tag == "tbody":
            self._body = True
        if self._body and tag == "tr":
            self.rows.append([])
        if self._body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1
        if tag == "tbody":
            self._body = False
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _set_plugin_options(project: Path, options: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - model-index\n", f"  - model-index:\n{options}"),
                      encoding="utf-8")


def _expected_rows(project: Path, card: str) -> list[list[str]]:
    """(line, code and rule, severity, message) of each diagnostic of the card, from the linter."""
    from model_index.lint import Options, validate

    _, result = validate([project / "docs" / "models" / card], options=Options(cross_check="never"))
    return [[str(d.span.line), f"{d.code} {d.rule}", d.severity.value, d.message] for d in result.diagnostics]


def test_show_findings_puts_a_cards_findings_on_top_of_its_page(project, tmp_path):
    add_card(project, "broken.md", BROKEN)
    _set_plugin_options(project, "      show_findings: true\n")
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    html = (tmp_path / "site" / "models" / "broken" / "index.html").read_text(encoding="utf-8")
    note = _Findings(html)
    assert "failure" in note.classes  # an error among them
    assert note.rows == _expected_rows(project, "broken.md") and note.rows
    assert html.index('class="admonition') < html.index('id="models"')  # at the top, before the tables
    good = _Findings((tmp_path / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8"))
    assert good.classes == []  # a card without findings has no note


def test_findings_are_off_in_a_build_by_default(project, tmp_path):
    add_card(project, "broken.md", BROKEN)
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    assert _Findings((tmp_path / "site" / "models" / "broken" / "index.html").read_text(encoding="utf-8")).classes == []


HOSTILE_INTERPOLATION = "<img src=x onerror=alert(1)>*em* [a](javascript:alert(2)) | `x` {: onclick=alert(3) }"


def test_a_finding_quoting_hostile_card_text_shows_it_as_text(project, tmp_path):
    source = (project / "docs" / "models" / "resnet.md").read_text(encoding="utf-8")
    add_card(project, "resnet.md", source.replace("Interpolation: bicubic", f"Interpolation: {json.dumps(HOSTILE_INTERPOLATION)}", 1))
    _set_plugin_options(project, "      show_findings: true\n")
    run = mkdocs_build(project, tmp_path / "site", strict=False)
    assert run.returncode == 0, run.stderr
    note = _Findings((tmp_path / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8"))
    assert note.rows == _expected_rows(project, "resnet.md")
    assert any(HOSTILE_INTERPOLATION in row[3] for row in note.rows)  # the message, quoting the value as text
    assert note.tags <= {"p", "table", "thead", "tbody", "tr", "th", "td", "code"}  # no element from the card


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mkdocs_serve_shows_findings(project):
    add_card(project, "broken.md", BROKEN)
    address = f"127.0.0.1:{_free_port()}"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", address],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        html = _fetch(f"http://{address}/models/broken/", server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    note = _Findings(html)
    assert "failure" in note.classes and note.rows == _expected_rows(project, "broken.md")


def _fetch(url: str, server: subprocess.Popen, timeout: float = 120) -> str:
    """The page at `url` once the server answers (it builds the site first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
