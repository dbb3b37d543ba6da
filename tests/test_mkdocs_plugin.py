"""The mkdocs plugin in real `mkdocs build` runs (subprocesses) on temporary sites."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import mkdocs_build  # noqa: E402

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
    """`model-index render` + a plain build (no plugin) gives the same article HTML as the plugin."""
    rendered = tmp_path / "rendered"
    cli = subprocess.run([sys.executable, "-m", "model_index", "render", "docs", "-o", str(rendered)],
                         cwd=project, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - model-index\n", "")
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
