"""The `model-index` command line: it parses options and calls the library; nothing else."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .config import Config, ConfigError, check_selectors, load_config
from .lint import Options, validate
from .report import FORMATS, format_report, format_statistics, resolve_format, write_job_summary

EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2


class _Main(click.Group):
    """The command group. Whatever fails inside a command exits 2 with a one-line message;
    the traceback is printed only with --debug (or MODEL_INDEX_DEBUG=1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            click.echo(f"model-index: configuration error: {error}", err=True)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # an internal failure must not look like "the cards have errors"
            if ctx.params.get("debug"):
                click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo(f"model-index: internal error: {type(error).__name__}: {error}"
                       " (run with --debug or MODEL_INDEX_DEBUG=1 for the traceback)", err=True)
        ctx.exit(EXIT_FAILURE)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="model-index")
@click.option("--debug", is_flag=True, envvar="MODEL_INDEX_DEBUG", help="Print tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Lint, cross-check, fix and render model-index metadata of model zoo cards."""


def split_selectors(values: tuple[str, ...]) -> list[str]:
    """`--select MI1,MI2 --select unknown-key` → ['MI1', 'MI2', 'unknown-key']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def configure(config_file: Path | None, select: tuple[str, ...], ignore: tuple[str, ...]) -> Config:
    """The pyproject settings with the command line's selection applied (select replaces, ignore adds)."""
    config = load_config(config_file)
    if select:
        config.select = check_selectors(split_selectors(select), "--select")
    if ignore:
        config.ignore = config.ignore + check_selectors(split_selectors(ignore), "--ignore")
    return config


def exit_code(result, strict: bool, exit_zero: bool) -> int:
    """1 when errors were found (or warnings under --strict), unless --exit-zero; else 0."""
    failed = result.summary.errors > 0 or (strict and result.summary.warnings > 0)
    return EXIT_ERRORS if failed and not exit_zero else EXIT_OK


def use_color(output_file: Path | None) -> bool:
    """Color only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Report format; auto is github under GitHub Actions, else concise.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to a file instead of stdout.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option("--statistics", is_flag=True, help="Print how often each rule fired instead of the problems.")
@click.option("--select", multiple=True, help="Rules to report: codes, prefixes (MI2), names or ALL; comma-separated.")
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
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them "
                                           "(exit 1 when there is something to fix).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that measure models (default: one per CPU, as many as memory holds; "
                   "1 measures in this process).")
def validate_command(paths, output_format, output_file, strict, exit_zero, statistics, select, ignore, config_file,
                     cross_check, no_cross_check, cache_dir, no_cache, results, fix, diff, progress, jobs) -> None:
    """Validate the model-index metadata of every card under PATHS."""
    config = configure(config_file, select, ignore)
    options = Options(
        cross_check="never" if no_cross_check else (cross_check or config.cross_check),
        cache_dir=str(cache_dir) if cache_dir else config.cache_dir,
        use_cache=not no_cache,
        results=str(results) if results else config.results,
        progress=sys.stderr.isatty() if progress is None else progress,
        jobs=jobs,
    )
    index, result = validate(paths, config, options)
    if fix:
        index, result = _fix(paths, config, options, index, result)
    for notice in result.notices:
        click.echo(f"model-index: {notice}", err=True)
    if diff:
        sys.exit(_show_diff(result, index.texts))
    fmt = resolve_format(output_format)
    color = use_color(output_file)
    text = format_statistics(result, fmt) if statistics else format_report(result, fmt, index.texts, color=color)
    if output_file:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as error:
            click.echo(f"model-index: cannot write {output_file}: {error.strerror or error}", err=True)
            sys.exit(EXIT_FAILURE)
    else:
        click.echo(text, nl=False, color=color)
    if fmt == "github":
        write_job_summary(result)
    sys.exit(exit_code(result, strict, exit_zero))


def _show_diff(result, texts: dict[str, str]) -> int:
    """Print what --fix would change; 1 when there is something to fix."""
    from .fix import diff, plan_fixes

    plans = plan_fixes(result.diagnostics, texts)
    click.echo(diff(plans), nl=False)
    count = sum(p.applied for p in plans)
    click.echo(f"model-index: {count} fix(es) would be applied to {len(plans)} file(s)", err=True)
    return EXIT_ERRORS if plans else EXIT_OK


MAX_FIX_PASSES = 10


def _fix(paths, config: Config, options: Options, index, result):
    """Apply the offered fixes, validating again after each pass, until none applies (fixes that
    overlap one taken wait for the next pass, as in ruff); say what was done; report what is left."""
    from .fix import apply_fixes

    applied, changed = 0, set()
    for _ in range(MAX_FIX_PASSES):
        outcome = apply_fixes(result.diagnostics, index.texts)
        for path in outcome.stale_files:
            click.echo(f"model-index: {path} changed since it was read; not fixed", err=True)
        if not outcome.applied:
            break
        applied += outcome.applied
        changed.update(outcome.changed_files)
        index, result = validate(paths, config, options)
    click.echo(f"model-index: applied {applied} fix(es) to {len(changed)} file(s)", err=True)
    return index, result


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default severity, whether it is fixable, and what it checks."""
    from .reporters.catalog import rules_json, rules_text
    from .rules import all_rules

    click.echo((rules_json if output_format == "json" else rules_text)(all_rules()), nl=False)


from .render_cli import render_command  # noqa: E402  (defined in its own module; registered here)

main.add_command(render_command)
