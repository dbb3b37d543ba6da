"""`model-index coverage` output: a table for the terminal, JSON for tools, Markdown for a page.

Card text (a model's name, a file name) is escaped for where it is printed: a terminal line, a
Markdown table cell. timm's own names are written as they are."""

from __future__ import annotations

import json
from typing import Any

from ..escape.gfm_table import cell
from ..escape.markdown import code_span
from ..escape.terminal import printable
from .coverage import Coverage

VERSION = 1


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def millions(count: int | None) -> str:
    return f"{count / 1e6:.1f}M" if count is not None else "?"


def _tag(coverage: Coverage, full_name: str) -> str:
    """A tag as listed under its architecture: ``a1_in1k``, with its parameters when measured."""
    tag = full_name.partition(".")[2] or full_name
    return f"{tag} ({millions(coverage.parameters.get(full_name))})" if coverage.parameters else tag


def _maybe(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def as_table(coverage: Coverage) -> str:
    """Plain text: undocumented tags by architecture, cards naming gone models, counts per family."""
    lines = [f"Pretrained tags of timm {coverage.timm_version} that no card documents "
             f"({coverage.available - coverage.documented} of {coverage.available}), by architecture:"]
    width = max((len(arch) for arch in coverage.undocumented), default=0)
    lines += [f"  {arch.ljust(width)}  {' '.join(_tag(coverage, t) for t in tags)}"
              for arch, tags in coverage.undocumented.items()] or ["  (none)"]
    lines += ["", f"Cards naming models that timm {coverage.timm_version} no longer has ({len(coverage.gone)}):"]
    lines += [f"  {printable(g.path)}:{g.line}: {printable(g.reason)}{_maybe(g.suggestion)}"
              for g in coverage.gone] or ["  (none)"]
    lines += ["", "Documented / available pretrained tags per family (timm module):"]
    width = max((len(f.name) for f in coverage.families), default=0)
    lines += [f"  {f.name.ljust(width)}  {f.documented:>4} / {f.available:<4} {percent(f.documented, f.available):>6}"
              for f in coverage.families]
    lines += ["", f"{coverage.documented} of {coverage.available} pretrained tags documented "
                  f"({percent(coverage.documented, coverage.available)})"
                  + (f", matching '{printable(coverage.pattern)}'" if coverage.pattern != "*" else "") + "."]
    return "\n".join(lines) + "\n"


def as_dict(coverage: Coverage) -> dict[str, Any]:
    """The JSON object (`version` 1; `parameters` only when they were measured)."""
    measured = bool(coverage.parameters)

    def tag(full_name: str) -> dict[str, Any]:
        return {"name": full_name, **({"parameters": coverage.parameters.get(full_name)} if measured else {})}

    return {
        "version": VERSION,
        "timm_version": coverage.timm_version,
        "filter": coverage.pattern,
        "summary": {"available": coverage.available, "documented": coverage.documented,
                    "undocumented": coverage.available - coverage.documented, "gone": len(coverage.gone)},
        "families": [{"family": f.name, "available": f.available, "documented": f.documented}
                     for f in coverage.families],
        "undocumented": [{"architecture": arch, "tags": [tag(t) for t in tags]}
                         for arch, tags in coverage.undocumented.items()],
        "gone": [{"path": g.path, "line": g.line, "model": g.model, "name": g.name, "reason": g.reason,
                  "suggestion": g.suggestion} for g in coverage.gone],
    }


def as_json(coverage: Coverage) -> str:
    return json.dumps(as_dict(coverage), indent=2, ensure_ascii=False) + "\n"


def as_markdown(coverage: Coverage) -> str:
    """A Markdown page: the summary, the table per family, the undocumented tags, the gone models."""
    lines = [f"# Coverage of timm {coverage.timm_version}", "",
             f"{coverage.documented} of {coverage.available} pretrained tags are documented "
             f"({percent(coverage.documented, coverage.available)})"
             + (f", of those matching {code_span(coverage.pattern)}" if coverage.pattern != "*" else "") + ".", "",
             "## By family", "", "| family | documented | available | |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {f.name} | {f.documented} | {f.available} | {percent(f.documented, f.available)} |"
              for f in coverage.families]
    lines += ["", "## Undocumented pretrained tags", ""]
    if coverage.undocumented:
        lines += ["| architecture | tags |", "| --- | --- |"]
        lines += [f"| `{arch}` | {', '.join(f'`{_tag(coverage, t)}`' for t in tags)} |"
                  for arch, tags in coverage.undocumented.items()]
    else:
        lines.append("None.")
    lines += ["", "## Cards naming models timm no longer has", ""]
    if coverage.gone:
        lines += ["| card | line | model | name | why |", "| --- | ---: | --- | --- | --- |"]
        lines += [f"| {cell(g.path)} | {g.line} | {cell(g.model or '')} | {cell(g.name)} | "
                  f"{cell(g.reason + _maybe(g.suggestion))} |" for g in coverage.gone]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


FORMATS = {"table": as_table, "json": as_json, "markdown": as_markdown}
