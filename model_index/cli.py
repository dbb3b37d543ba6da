"""The `model-index` command line."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .config import ConfigError, load_config
from .lint import Options, validate

FORMATS = ["auto", "concise", "full", "json", "github", "sarif"]
EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="model-index")
def main() -> None:
    """Lint, cross-check, fix and render model-index metadata of model zoo cards."""


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Report format; auto is github under GitHub Actions, else concise.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to a file instead of stdout.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option("--select", multiple=True, help="Rules to report: codes, prefixes (MI2) or names; comma-separated.")
@click.option("--ignore", multiple=True, help="Rules not to report; comma-separated.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="pyproject.toml to read [tool.model-index] from (default: the nearest one).")
@click.option("--cross-check", "cross_check", type=click.Choice(["auto", "always", "never"]), default=None,
              help="Cross-check against timm: auto runs it when torch and timm are installed.")
@click.option("--no-cross-check", is_flag=True, help="Same as --cross-check=never.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where measured model facts are cached (default: the platform's user cache dir).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the measurement cache.")
@click.option("--results", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="timm results CSV to cross-check Top 1 / Top 5 Accuracy against.")
@click.option("--fix", is_flag=True, help="Apply the fixes the diagnostics offer, then report what is left.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
def validate_command(paths, output_format, output_file, strict, exit_zero, select, ignore, config_file,
                     cross_check, no_cross_check, cache_dir, no_cache, results, fix, progress) -> None:
    """Validate the model-index metadata of every card under PATHS."""
    try:
        config = load_config(config_file)
        if select:
            config.select = _checked(_split(select), "--select")
        if ignore:
            config.ignore = config.ignore + _checked(_split(ignore), "--ignore")
    except ConfigError as error:
        click.echo(f"model-index: configuration error: {error}", err=True)
        sys.exit(EXIT_FAILURE)
    options = Options(
        cross_check="never" if no_cross_check else (cross_check or config.cross_check),
        cache_dir=str(cache_dir) if cache_dir else config.cache_dir,
        use_cache=not no_cache,
        results=str(results) if results else config.results,
        progress=sys.stderr.isatty() if progress is None else progress,
    )
    try:
        index, result = validate(paths, config, options)
        if fix:
            from .fix import apply_fixes

            fixed = apply_fixes(result.diagnostics, index.texts)
            if fixed:
                click.echo(f"model-index: applied {fixed} fix(es)", err=True)
                index, result = validate(paths, config, options)
        from .report import format_report

        fmt = output_format
        if fmt == "auto":
            fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "concise"
        text = format_report(result, fmt, index.texts)
    except ConfigError as error:
        click.echo(f"model-index: {error}", err=True)
        sys.exit(EXIT_FAILURE)
    except Exception:  # an internal failure is exit 2, never mistaken for "the cards have errors"
        click.echo("model-index: internal error\n" + traceback.format_exc(), err=True)
        sys.exit(EXIT_FAILURE)
    for notice in result.notices:
        click.echo(f"model-index: {notice}", err=True)
    if output_file:
        output_file.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    summary = result.summary
    failed = summary.errors > 0 or (strict and summary.warnings > 0)
    sys.exit(EXIT_ERRORS if failed and not exit_zero else EXIT_OK)


def _checked(selectors: list[str], option: str) -> list[str]:
    from .config import _check_selectors

    return _check_selectors(selectors, option)


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default severity and what it checks."""
    import json

    from .rules import all_rules

    rules = all_rules()
    if output_format == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                "family": r.family, "fixable": r.fixable, "doc": r.doc} for r in rules],
                              indent=2))
        return
    for r in rules:
        click.echo(f"{r.code}  {r.name:<28} {r.severity.value:<8} {'fix ' if r.fixable else '    '}{r.summary}")
