"""The `model-index` command line: it parses options and calls the library; nothing else."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, collector, files
from .config import Config, ConfigError, check_selectors, load_config
from .escape.terminal import printable
from .report import FORMATS, format_report, format_statistics, resolve_format, write_job_summary

# The pipeline (schema, pydantic, YAML) is imported by the commands that run it, so that --help,
# --version and `rules` start fast.

EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2


class _Main(click.Group):
    """The command group. Whatever fails inside a command exits 2 with a one-line message;
    the traceback is printed only with --debug (or MODEL_INDEX_DEBUG=1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            click.echo(f"model-index: configuration error: {printable(str(error))}", err=True)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # an internal failure must not look like "the cards have errors"
            if ctx.params.get("debug"):
                import traceback

                click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo(f"model-index: internal error: {type(error).__name__}: {printable(str(error))}"
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
    """The pyproject settings with the command line's selection applied (select replaces the
    configured select and extend-select, ignore adds)."""
    config = load_config(config_file)
    if select:
        config.select, config.extend_select = check_selectors(split_selectors(select), "--select"), []
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
@click.option("--cross-check", "cross_check", type=click.Choice(["auto", "always", "never", "timm"]), default=None,
              help="Cross-check against timm: auto runs it when torch and timm are installed; timm also "
                   "checks every model as a timm model.")
@click.option("--no-cross-check", is_flag=True, help="Same as --cross-check=never.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where measured model facts are cached (default: the platform's user cache dir).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the measurement cache.")
@click.option("--results", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="timm results CSV to cross-check Top 1 / Top 5 Accuracy against.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes the diagnostics offer, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (values of a model reached through an "
                                                   "alias, renamed IDs).")
@click.option("--diff", is_flag=True, help="Print what --fix would write as a unified diff and write nothing "
                                           "(exit 1 when there is something to fix).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only the findings that this baseline file does not hold.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every finding of this run to a baseline file, and report nothing.")
@click.option("--changed-since", metavar="REF",
              help="Cross-check only the models of cards changed since this git ref (static rules still see "
                   "every card); problems on those cards are reported first.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that measure models (default: one per CPU, as many as memory holds; "
                   "1 measures in this process).")
@collector.paused()  # the report too is made among all the cards' objects
def validate_command(paths, output_format, output_file, strict, exit_zero, statistics, select, ignore, config_file,
                     cross_check, no_cross_check, cache_dir, no_cache, results, fix, unsafe_fixes, diff,
                     progress, baseline_file, write_baseline, changed_since, jobs) -> None:
    """Validate the model-index metadata of every card under PATHS."""
    from .lint import Options, validate

    if write_baseline and (fix or diff):
        raise click.UsageError("--write-baseline records the findings as they are; it does not go with --fix or --diff")
    config = configure(config_file, select, ignore)
    changed = _changed_files(changed_since) if changed_since is not None else None
    options = Options(
        cross_check="never" if no_cross_check else (cross_check or config.cross_check),
        cache_dir=str(cache_dir) if cache_dir else config.cache_dir,
        use_cache=not no_cache,
        results=str(results) if results else config.results,
        progress=sys.stderr.isatty() if progress is None else progress,
        baseline=None if write_baseline else str(baseline_file) if baseline_file else config.baseline,
        changed=changed,
        jobs=jobs,
    )
    index, result = validate(paths, config, options)
    if not found_cards(paths, index):
        say(f"{no_cards(paths)}: nothing was checked")
        sys.exit(EXIT_FAILURE)
    if write_baseline:
        sys.exit(_write_baseline(write_baseline, result))
    plans = []
    if fix or diff:
        index, result, plans = _fix_passes(paths, config, options, index, result, unsafe_fixes)
    for notice in result.notices:
        say(notice)
    if diff:  # even with --fix: --diff never writes
        sys.exit(_show_diff(plans))
    unwritten = False
    if fix:
        index, result, unwritten = _write(paths, config, options, index, result, plans)
    result.unsafe_fixes = unsafe_fixes
    fmt = resolve_format(output_format)
    color = use_color(output_file)
    text = format_statistics(result, fmt) if statistics else format_report(result, fmt, index.texts, color=color)
    if output_file:
        try:
            if files.leaves_working_directory(output_file):
                raise files.Refused("it links outside the working directory")
            files.replace(output_file, text.encode("utf-8"), create=True)
        except (files.Refused, OSError) as error:
            reason = error if isinstance(error, files.Refused) else error.strerror or error
            say(f"cannot write {output_file}: {reason}")
            sys.exit(EXIT_FAILURE)
    else:
        click.echo(text, nl=False, color=color)
    if fmt == "github":
        write_job_summary(result)
    sys.exit(EXIT_FAILURE if unwritten else exit_code(result, strict, exit_zero))


def say(message) -> None:
    """A line on standard error; card text and file names in it are made inert (`printable`)."""
    click.echo(f"model-index: {printable(str(message))}", err=True)


def no_cards(paths) -> str:
    """Why a run found no card: the paths that do not exist, and those without a card in them."""
    absent = [str(p) for p in paths if not os.path.lexists(p)]
    present = [str(p) for p in paths if os.path.lexists(p)]
    reasons = [f"{', '.join(absent)}: no such file or directory"] if absent else []
    if present:
        reasons.append(f"no model card found in {', '.join(present)}")
    return "; ".join(reasons)


def found_cards(paths, index) -> bool:
    """Whether the run had a card to check: a file given by name that exists, or model-index
    metadata found under a folder (Markdown pages without it, and YAML files such as mkdocs.yml,
    do not count)."""
    return bool(index.blocks) or any(Path(p).is_file() for p in paths)


def _write_baseline(path: Path, result) -> int:
    """Record every finding of the run in the baseline at `path`; say what changed."""
    from .baseline import write

    written, fixed = write(path, result.diagnostics)
    for notice in result.notices:
        say(notice)
    say(f"wrote {written} finding(s) to the baseline {path}"
        + (f"; {fixed} finding(s) of the previous baseline are fixed and were dropped" if fixed else ""))
    return EXIT_OK


def _changed_files(ref: str) -> frozenset[str]:
    """The files changed since `ref`, or exit 2 with git's reason (unknown ref, no git, no history)."""
    from .changes import ChangesError, changed_files

    try:
        return changed_files(ref)
    except ChangesError as error:
        say(f"--changed-since: {error}")
        sys.exit(EXIT_FAILURE)


MAX_FIX_PASSES = 10


def _fix_passes(paths, config: Config, options, index, result, unsafe_fixes: bool):
    """Apply the fixes that apply, in memory, validating the fixed texts again after each pass
    until none applies (fixes that overlap one taken wait for the next pass, as in ruff). Nothing
    is written: returns the last pass's index and result, and what the passes did to each file."""
    from .fix import Passes
    from .index import load
    from .lint import validate

    passes = Passes(index.texts)
    for _ in range(MAX_FIX_PASSES):
        if not passes.apply(result.diagnostics, unsafe_fixes):
            break
        index, result = validate(paths, config, options, index=load(paths, config.excluded, overlay=passes.current))
    return index, result, passes.plans()


def _show_diff(plans) -> int:
    """Print what --fix would write; 1 when there is something to fix."""
    from .fix import diff

    click.echo(inert_in_ci_log(diff(plans)), nl=False)
    count = sum(p.applied for p in plans)
    say(f"{count} fix(es) would be applied to {len(plans)} file(s)")
    return EXIT_ERRORS if plans else EXIT_OK


def _write(paths, config: Config, options, index, result, plans):
    """Write the fixed files once; say what was done. A file changed on disk since it was read is
    left alone, and one that cannot be written (a link, read-only, a full disk) is left intact;
    then the report is of the files as they are, and the run says whether a file went unwritten."""
    from .fix import write_plans
    from .lint import validate

    outcome = write_plans(plans)
    for path in outcome.stale_files:
        say(f"{path} changed since it was read; not fixed")
    for path, reason in outcome.failed_files.items():
        say(f"{path}: {reason}; not fixed")
    say(f"applied {outcome.applied} fix(es) to {len(outcome.changed_files)} file(s)")
    if outcome.stale_files or outcome.failed_files:
        index, result = validate(paths, config, options)
    return index, result, bool(outcome.failed_files)


def inert_in_ci_log(text: str, environ=os.environ) -> str:
    """Card lines printed whole (a diff) with GitHub Actions' command processing stopped around them:
    a line of a card may itself read `::error::...`."""
    if not text or environ.get("GITHUB_ACTIONS") != "true":
        return text
    import secrets  # loads OpenSSL: only here

    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{text}::{token}::\n"


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default severity, whether it is fixable, and what it checks."""
    from .reporters.catalog import rules_json, rules_text
    from .rules import all_rules

    click.echo((rules_json if output_format == "json" else rules_text)(all_rules()), nl=False)


from .render_cli import render_command  # noqa: E402  (defined in its own module; registered here)

main.add_command(render_command)

from .authoring.commands import (  # noqa: E402  (defined in their own module; registered here)
    coverage_command, export_command, import_command, new_command, schema_command)

for _command in (new_command, export_command, import_command, schema_command, coverage_command):
    main.add_command(_command)
