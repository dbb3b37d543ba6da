"""`model-index render`: the plugin's Markdown, written to a folder, for other site generators
(Zensical, ProperDocs, ...) that read `mkdocs.yml` but not mkdocs plugins."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import files
from .escape.terminal import printable
from .extras import install_hint, missing


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
              help="Cross-check the cards and name the models it resolved by their current timm name; only "
                   "those get timm code (needs torch and timm).")
def render_command(docs_dir: Path, out_dir: Path, cards: str, templates: Path | None, overview: str, rules: str,
                   cross_check: bool) -> None:
    """Render the cards under DOCS_DIR and add the generated pages, as the mkdocs plugin does.

    Only regular files inside DOCS_DIR are copied (a link that leads out of it is left out and
    named), and nothing is written through a link inside OUT."""
    if "jinja2" in missing("docs"):  # rendering needs Jinja2, which the docs extra installs
        _say(f"render needs the docs extra: {install_hint('docs')}")
        sys.exit(2)
    from .config import ConfigError, load_config
    from .index import load
    from .lint import Options, validate
    from .render import Site, asset_files, script_paths, style_paths  # Jinja2 only when rendering
    from .render.timm_models import timm_names

    _refuse_nested(docs_dir, out_dir)
    index = load([docs_dir / cards], root=docs_dir)
    try:
        config = load_config(start=docs_dir)
        resolved = validate([docs_dir / cards], config, Options(cross_check="always", cache_dir=config.cache_dir),
                            index)[1].resolved if cross_check else None
    except ConfigError as error:
        _say(error)
        sys.exit(2)
    site = Site(index, docs_dir, templates or docs_dir.resolve().parent / "templates",
                timm_names(index, resolved, config))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = files.Root.of(out_dir)
    docs = files.Root.of(docs_dir)
    skipped = files.copy_tree(docs_dir, out)
    cards = site.cards()
    for page, path in sorted(cards.items()):
        try:
            files.write_under(out, page, site.card(path, files.read_text(path, docs)).encode("utf-8"))
        except (files.Refused, OSError, UnicodeDecodeError) as error:
            message = f"{files.display(path)}: {_reason(error, 'not rendered')}"
            if message not in skipped:  # the copy of the card's source met the same refusal
                skipped.append(message)
    written = [(page, text.encode("utf-8")) for page, text in site.generated(overview, rules).items()]
    written += [(uri, files.read_bytes(source)) for uri, source in asset_files().items()]
    for page, data in written:
        try:
            files.write_under(out, page, data)
        except (files.Refused, OSError) as error:
            skipped.append(f"{page}: {_reason(error, 'not written')}")
    for problem in [*site.problems, *skipped]:
        _say(problem)
    _say(f"rendered {len(cards)} card(s) to {out_dir}; add to mkdocs.yml")
    click.echo(f"  extra_javascript: {script_paths()}\n  extra_css: {style_paths()}", err=True)
    sys.exit(1 if site.problems or skipped else 0)


def _refuse_nested(docs_dir: Path, out_dir: Path) -> None:
    """Exit 2 when the output folder is the docs folder, inside it, or holds it (the copy would read
    what it writes), or when a relative folder leads out of the working directory through a link."""
    docs, out = files.Root.of(docs_dir), os.path.realpath(out_dir)
    if docs.contains(out) or files.Root.of(out).contains(docs.real):
        _say(f"the output folder {out_dir} may be neither {docs_dir}, nor inside it, nor hold it")
        sys.exit(2)
    for folder in (docs_dir, out_dir):
        if files.leaves_working_directory(folder):
            _say(f"{folder} links outside the working directory; name it by its real path")
            sys.exit(2)


def _reason(error: Exception, undone: str) -> str:
    """Why a file was not handled: a refusal says what was not done itself; other errors get `undone`."""
    if isinstance(error, files.Refused):
        return str(error)
    return f"{undone}: {error if isinstance(error, UnicodeDecodeError) else error.strerror or error}"


def _say(message) -> None:
    """One line on standard error; card text and file names in it are made inert (`printable`)."""
    click.echo(f"model-index: {printable(str(message))}", err=True)
