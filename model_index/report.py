"""Report formatters: they turn a Result into text and know nothing about rules."""

from __future__ import annotations

import json

from .diagnostics import Result


def format_report(result: Result, fmt: str, texts: dict[str, str]) -> str:
    """Render `result` in `fmt` (concise, full, json, github, sarif)."""
    return FORMATTERS[fmt](result, texts)


def concise(result: Result, texts: dict[str, str]) -> str:
    lines = [f"{d.path}:{d.span.line}:{d.span.column}: {d.code} [{d.severity.value}] {d.message}"
             for d in result.diagnostics]
    lines.append(_summary_line(result))
    return "\n".join(lines) + "\n"


def as_json(result: Result, texts: dict[str, str]) -> str:
    report = {"version": 1, "diagnostics": [d.as_dict() for d in result.diagnostics],
              "summary": result.summary.as_dict()}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _summary_line(result: Result) -> str:
    s = result.summary
    return (f"Checked {s.files} file(s), {s.models} model(s), {s.collections} collection(s): "
            f"{s.errors} error(s), {s.warnings} warning(s), {s.infos} info(s).")


FORMATTERS = {"concise": concise, "json": as_json}
