"""The validation pipeline: load → static rules → cross-check → located, severity-stamped diagnostics."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from . import index as index_mod
from .config import Config
from .diagnostics import Diagnostic, Finding, Fix, Result, Span
from .index import Index
from .rules import REGISTRY, checks


@dataclass
class Options:
    """What one run does beyond the configuration."""

    cross_check: str = "auto"  # auto | always | never
    cache_dir: str | None = None
    use_cache: bool = True
    results: str | None = None
    progress: bool = False
    jobs: int | None = None  # measuring workers; None: as many as the machine holds, 1: in this process


def validate(paths: Iterable[str | Path], config: Config | None = None, options: Options | None = None,
             index: Index | None = None) -> tuple[Index, Result]:
    """Check every card under `paths`; returns the index and the run's diagnostics."""
    config = config or Config()
    options = options or Options()
    index = index or index_mod.load(paths)
    findings = list(index.findings)
    for rule in checks():
        if config.rule_severity(rule) is not None:
            findings.extend(rule.check(index))
    result = Result()
    if options.cross_check != "never":
        findings.extend(_cross_check(index, options, result))
    result.diagnostics = sorted(
        (d for d in (locate(f, config) for f in findings) if d is not None), key=lambda d: d.sort_key)
    result.summary.files = len(index.files)
    result.summary.models = len(index.models)
    result.summary.collections = len(index.collections)
    result.summary.count(result.diagnostics)
    return index, result


def _cross_check(index: Index, options: Options, result: Result) -> list[Finding]:
    """Run the timm cross-check when it can run; torch and timm are imported only here."""
    from .crosscheck import run as crosscheck_run

    return crosscheck_run(index, options, result)


def locate(finding: Finding, config: Config) -> Diagnostic | None:
    """Turn a finding into a diagnostic at its file line, with the configured severity
    (the rule modules are registered: `validate` has asked for the checks)."""
    rule = REGISTRY[finding.code]
    severity = config.rule_severity(rule)
    if severity is None:
        return None
    entity = finding.entity
    fix_span, style = None, None
    if entity is not None:
        path = entity.path
        span = entity.key_span(finding.at) if finding.on_key else entity.span(finding.at)
        field = entity.field_name(finding.at)
        model = entity.name if entity.kind == "model" else None
        fix_span = entity.editable_span(finding.at)
        style = entity.tree.styles.get(entity.base + tuple(finding.at))
    else:
        path, span, field, model = finding.file or "", finding.span or Span.point(1), None, None
    fix = None
    if finding.replacement is not None and fix_span is not None:
        fix = Fix(fix_span, to_yaml(finding.replacement, style),
                  finding.fix_description or f"write {finding.replacement}")
    message = finding.message
    if finding.suggestion:
        message += f" (did you mean '{finding.suggestion}'?)"
    return Diagnostic(path, span, rule.code, rule.name, severity, message, model, field,
                      finding.expected, finding.actual, fix, finding.suggestion)


def to_yaml(value, style: str | None = None) -> str:
    """A value as a one-line YAML scalar or flow collection. A string keeps the quotes of the text
    it replaces (JSON files stay JSON), and is double-quoted where a plain one could be misread
    in a flow collection."""
    if isinstance(value, str) and (style in ("'", '"') or any(c in value for c in ",[]{}")):
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True).strip()
    return text[: -len("...")].strip() if text.endswith("...") else text
