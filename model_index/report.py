"""Pick and run a report formatter; the formatters themselves live in `model_index.reporters`."""

from __future__ import annotations

import os
from typing import Callable, Mapping

from .diagnostics import Result
from .reporters import github, machine, sarif, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "concise": text.concise,
    "full": text.full,
    "json": machine.as_json,
    "github": github.annotations,
    "sarif": sarif.as_sarif,
}
STATISTICS: dict[str, Formatter] = {"json": machine.statistics_json}
FORMATS = ["auto", *FORMATTERS]


def resolve_format(fmt: str, environ: Mapping[str, str] = os.environ) -> str:
    """`auto` is `github` under GitHub Actions (like yamllint), else `concise`."""
    if fmt != "auto":
        return fmt
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "concise"


def format_report(result: Result, fmt: str, texts: dict[str, str], color: bool = False) -> str:
    """Render `result` in `fmt` (one of FORMATS); `texts` are the files' contents by report path."""
    return FORMATTERS[resolve_format(fmt)](result, texts, color=color)


def format_statistics(result: Result, fmt: str) -> str:
    """Counts per rule: JSON for `json`, a text table for every other format."""
    return STATISTICS.get(resolve_format(fmt), machine.statistics_text)(result, {})


def write_job_summary(result: Result, environ: Mapping[str, str] = os.environ) -> bool:
    """Append the Markdown job summary to `$GITHUB_STEP_SUMMARY` when it is set, within what the
    step's summary has left of its 1 MiB; say whether it was written."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(github.job_summary(result, github.SUMMARY_BYTES - handle.tell()))
    return True
