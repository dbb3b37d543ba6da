"""`model-index render`: the plugin's Markdown, written to a folder, for other site generators
(Zensical, ProperDocs, ...) that read `mkdocs.yml` but not mkdocs plugins."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("render")
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the rendered docs to (a copy of DOCS_DIR with the cards rendered).")
@click.option("--cards", default="models", show_default=True, help="Folder of the cards inside DOCS_DIR.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path),
              help="Project templates (default: `templates/` beside DOCS_DIR).")
@click.option("--overview", default="overview.md", show_default=True, help="Overview page; '' for none.")
@click.option("--rules", default="rules.md", show_default=True, help="Rules reference page; '' for none.")
@click.option("--cross-check/--no-cross-check", default=False, show_default=True,
              help="Name models by their current timm name (needs torch and timm).")
def render_command(docs_dir: Path, out_dir: Path, cards: str, templates: Path | None, overview: str, rules: str,
                   cross_check: bool) -> None:
    """Render the cards under DOCS_DIR and add the generated pages, as the mkdocs plugin does."""
    import shutil

    from .index import load
    from .render import Site, asset_files, names, script_paths, style_paths  # Jinja2 only when rendering

    index = load([docs_dir / cards])
    site = Site(index, docs_dir, templates or docs_dir.resolve().parent / "templates",
                names.current_names(index) if cross_check else {})
    shutil.copytree(docs_dir, out_dir, dirs_exist_ok=True)
    cards = site.cards()
    for page, path in sorted(cards.items()):
        (out_dir / page).write_text(site.card(path, Path(path).read_text(encoding="utf-8")), encoding="utf-8")
    for page, text in site.generated(overview, rules).items():
        (out_dir / page).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / page).write_text(text, encoding="utf-8")
    for uri, source in asset_files().items():
        (out_dir / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out_dir / uri)
    for problem in site.problems:
        click.echo(f"model-index: {problem}", err=True)
    click.echo(f"model-index: rendered {len(cards)} card(s) to {out_dir}; add to mkdocs.yml\n"
               f"  extra_javascript: {script_paths()}\n  extra_css: {style_paths()}", err=True)
    sys.exit(1 if site.problems else 0)
