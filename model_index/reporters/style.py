"""Terminal styling shared by the text formatters: a no-op unless color is asked for."""

from __future__ import annotations

import click

from ..diagnostics import Severity

SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Styler:
    """Wraps `click.style` so that formatters can style unconditionally."""

    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, **styles) -> str:
        return click.style(text, **styles) if self.color else text

    def severity(self, severity: Severity, text: str | None = None) -> str:
        return self(text if text is not None else severity.value, fg=SEVERITY_COLORS[severity], bold=True)


def summary_line(result) -> str:
    """The one-line count of what was checked and found."""
    s = result.summary
    return (f"Checked {s.files} file(s), {s.models} model(s), {s.collections} collection(s): "
            f"{s.errors} error(s), {s.warnings} warning(s), {s.infos} info(s).")


def fixable_line(result) -> list[str]:
    """`[*] N fixable with --fix.` when some diagnostics offer a fix, else nothing."""
    count = sum(d.fix is not None for d in result.diagnostics)
    return [f"[*] {count} fixable with --fix."] if count else []
