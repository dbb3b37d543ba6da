"""The authoring commands: `new`, `export`, `import`, `schema` and `coverage`.

Only click is imported here; each command imports what it needs when it runs, so that
`model-index --help` stays quick."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2
# Findings that mean a value could not be read, so an export or import leaves it out.
LOST_VALUES = ("MI000", "MI001", "MI002", "MI003", "MI004", "MI006")


def fail(message: str) -> None:
    """Say what stopped the command (card text and file names in it made inert) and exit 2."""
    from ..escape.terminal import printable

    click.echo(f"model-index: {printable(message)}", err=True)
    sys.exit(EXIT_FAILURE)


def emit(text: str, output: Path | None) -> None:
    """Write `text` to `output` (atomically, never through a link out of the working directory, as
    validate's report), or to standard output without one."""
    from .. import files

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        if files.leaves_working_directory(output):
            raise files.Refused("it links outside the working directory")
        files.replace(output, text.encode("utf-8"), create=True)
    except (files.Refused, OSError) as error:
        fail(f"cannot write {output}: {error if isinstance(error, files.Refused) else error.strerror or error}")


def need_timm(command: str) -> None:
    from ..crosscheck import INSTALL_HINT, available

    if not available():
        fail(f"{command} needs torch and timm ({INSTALL_HINT})")


def report_lost(diagnostics) -> bool:
    """Print the findings of values that could not be read (on standard error); whether there were any."""
    from ..escape.terminal import printable

    lost = [d for d in diagnostics if d.code in LOST_VALUES]
    for d in lost:
        click.echo(f"{printable(d.location)}: {d.code} {printable(d.message)}", err=True)
    if lost:
        click.echo(f"model-index: {len(lost)} value(s) or file(s) could not be read and were left out", err=True)
    return bool(lost)


cache_dir_option = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                                help="Where measured model facts are cached (default: the platform's user cache dir).")
no_cache_option = click.option("--no-cache", is_flag=True, help="Neither read nor write the measurement cache.")
jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                           help="Processes that measure models (default: the pool's own choice; 1 measures in "
                                "this process).")
progress_option = click.option("--progress/--no-progress", default=None,
                               help="Progress bar on stderr while measuring (default: on a terminal).")
config_option = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="pyproject.toml to read [tool.model-index] from (default: the nearest one).")


@click.command("new")
@click.argument("models", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the card to FILE (default: standard output).")
@click.option("--family", help="Name of the card's collection (default: the architecture, or the timm module "
                               "every model comes from).")
@click.option("--results", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="timm results CSV to fill each model's Top 1 / Top 5 Accuracy from (rows named arch.tag).")
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
@cache_dir_option
@no_cache_option
@jobs_option
@progress_option
def new_command(models, output, family, results, force, cache_dir, no_cache, jobs, progress) -> None:
    """Write a new card for timm MODELS: tags (resnet50.a1_in1k) or architectures (all their pretrained tags).

    Every fact comes from timm: measured on the meta device (cached), or read from the tags'
    pretrained configurations. The card is then checked with the cross-check; its problems, if
    any, are printed (exit 1 for errors)."""
    from ..config import load_config

    if output is not None and output.exists() and not force:
        fail(f"{output} exists; give --force to overwrite it")
    from .new import UnknownModel, family_problem, write

    if family is not None and family_problem(family):
        fail(family_problem(family))
    need_timm("new")

    config = load_config()
    cache_dir = str(cache_dir) if cache_dir else config.cache_dir
    try:
        card = write(list(models), family, str(results) if results else None, cache_dir, not no_cache, jobs,
                     sys.stderr.isatty() if progress is None else progress)
    except UnknownModel as error:
        fail(str(error))
    from ..escape.terminal import printable

    for note in card.notes:  # they quote the results file: its name and values
        click.echo(f"model-index: {printable(note)}", err=True)
    emit(card.text, output)
    sys.exit(_check_new_card(card.text, output, config, cache_dir, not no_cache, results))


def _check_new_card(text: str, output: Path | None, config, cache_dir: str | None, use_cache: bool,
                    results: Path | None) -> int:
    """Validate the new card with the cross-check (and the results CSV it was filled from), as CI
    would; print what it finds (a card that timm's own facts wrote should hold none). 1 when it
    finds errors."""
    import tempfile

    from ..escape.terminal import printable
    from ..lint import Options, validate

    options = Options(cross_check="always", cache_dir=cache_dir, use_cache=use_cache,
                      results=str(results) if results else None)
    with tempfile.TemporaryDirectory() as folder:
        path = output if output is not None else Path(folder) / "card.md"
        if output is None:
            path.write_text(text, encoding="utf-8")
        _, result = validate([path], config, options)
    for d in result.diagnostics:
        click.echo(f"model-index: the new card, line {d.span.line}: {d.code} [{d.severity.value}] "
                   f"{printable(d.message)}", err=True)
    return EXIT_ERRORS if result.summary.errors else EXIT_OK


@click.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["hf", "pwc", "json"]), required=True,
              help="hf: Hugging Face front matter; pwc: one merged model-index.yml; json: the whole validated index.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (default: standard output).")
@config_option
def export_command(paths, to, output, config_file) -> None:
    """Export the cards under PATHS to another format (exit 1 when some value could not be read)."""
    from ..cli import found_cards
    from ..config import load_config
    from ..lint import Options, validate
    from . import export

    index, result = validate(paths, load_config(config_file), Options(cross_check="never"))
    if not found_cards(paths, index):
        fail(f"no model card found in {', '.join(map(str, paths))}: nothing was exported")
    left_out: list = []
    if to == "hf":
        text, left_out = export.to_hf(index)
    else:
        text = export.to_json(index, result) if to == "json" else export.to_pwc(index)
    emit(text, output)
    lost = report_lost(result.diagnostics)
    _report_left_out(left_out)
    sys.exit(EXIT_ERRORS if lost or left_out else EXIT_OK)


def _report_left_out(left_out) -> None:
    """Name on standard error each value the format cannot hold (file, line, model)."""
    from ..escape.terminal import printable

    for item in left_out:
        click.echo(f"model-index: {printable(str(item))}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the card to FILE (default: standard output).")
def import_command(file, output) -> None:
    """Make a Hugging Face model card (model-index front matter) a card with Papers with Code metadata."""
    from ..config import Config
    from ..lint import locate
    from .hf_import import NotHuggingFace, convert

    try:
        text, index, not_carried = convert(file)
    except NotHuggingFace as error:
        fail(str(error))
    emit(text, output)
    located = [d for d in (locate(f, Config()) for f in index.findings) if d is not None]
    lost = report_lost(located)
    _report_left_out(not_carried)
    sys.exit(EXIT_ERRORS if lost or not_carried else EXIT_OK)


@click.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to FILE (default: standard output).")
@config_option
def schema_command(output, config_file) -> None:
    """Print a JSON Schema (draft 2020-12) of the card format, with the configuration's extra-keys."""
    import json

    from ..config import load_config
    from .schema_json import card_schema

    emit(json.dumps(card_schema(load_config(config_file).extra_keys), indent=2, ensure_ascii=False) + "\n", output)


@click.command("coverage")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--filter", "pattern", default="*", show_default=True,
              help="Only timm names matching this glob (on arch.tag or on the architecture).")
@click.option("--output-format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--parameters", is_flag=True, help="Measure and print the parameter count of each undocumented tag.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (default: standard output).")
@config_option
@cache_dir_option
@no_cache_option
@jobs_option
@progress_option
def coverage_command(paths, pattern, output_format, parameters, output, config_file, cache_dir, no_cache, jobs,
                     progress) -> None:
    """List the timm pretrained tags that no card under PATHS (default: .) documents, the cards
    naming models timm no longer has, and documented / available tags per family."""
    need_timm("coverage")
    from ..config import load_config
    from ..crosscheck import load_registry
    from ..crosscheck.cache import Cache
    from ..index import load
    from .coverage import compute, measure_parameters
    from .coverage_report import FORMATS

    paths = paths or (Path("."),)
    config = load_config(config_file)
    index = load(paths, config.excluded)
    if not index.models:
        click.echo(f"model-index: no model card found in {', '.join(map(str, paths))}: every tag is undocumented",
                   err=True)
    cache = Cache(str(cache_dir) if cache_dir else config.cache_dir, not no_cache)
    registry = load_registry(cache)
    coverage = compute(index, registry, pattern, config.cross_check_scope)
    if parameters:
        measure_parameters(coverage, registry, cache, jobs, sys.stderr.isatty() if progress is None else progress)
    emit(FORMATS[output_format](coverage), output)
