"""Terminal styling shared by the text formatters: a no-op unless color is asked for."""

from __future__ import annotations

import click

from ..diagnostics import Applicability, Diagnostic, Severity

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


def applicable(d: Diagnostic, result) -> bool:
    """`d` offers a fix that `--fix` applies in this run (an unsafe one only under `--unsafe-fixes`)."""
    return d.fix is not None and d.fix.applicability.applies(result.unsafe_fixes)


def fixable_line(result) -> list[str]:
    """How many fixes of each kind there are, in ruff's words: `[*] 3 fixable with --fix (2 hidden
    fixes can be enabled with --unsafe-fixes; 1 display-only fix shown for review).` Nothing when
    no diagnostic offers a fix."""
    counts = result.fix_counts()
    now = counts[Applicability.SAFE] + (counts[Applicability.UNSAFE] if result.unsafe_fixes else 0)
    notes = []
    if counts[Applicability.UNSAFE] and not result.unsafe_fixes:
        notes.append(f"{_fixes(counts[Applicability.UNSAFE], 'hidden')} can be enabled with --unsafe-fixes")
    if counts[Applicability.DISPLAY_ONLY]:
        notes.append(f"{_fixes(counts[Applicability.DISPLAY_ONLY], 'display-only')} shown for review")
    if not now and not notes:
        return []
    option = "--fix --unsafe-fixes" if result.unsafe_fixes else "--fix"
    head = f"[*] {now} fixable with {option}" if now else "No fixes available"
    return [head + (f" ({'; '.join(notes)})" if notes else "") + "."]


def _fixes(count: int, kind: str) -> str:
    return f"{count} {kind} fix{'es' if count != 1 else ''}"
