"""The validation pipeline: load → static rules → cross-check → located, severity-stamped diagnostics."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import yaml

from . import baseline as baseline_mod
from . import collector
from . import index as index_mod
from . import suppress
from .config import Config
from .diagnostics import Diagnostic, Finding, Fix, Result, Severity, Span
from .index import Index
from .rules import REGISTRY, Rule, checks, parse

SeverityOf = Callable[[Rule, str], Severity | None]  # the severity of a rule in a file, None: off


@dataclass
class Options:
    """What one run does beyond the configuration."""

    cross_check: str = "auto"  # auto | always | never | timm (always, and every model is a timm model)
    cache_dir: str | None = None
    use_cache: bool = True
    results: str | None = None
    progress: bool = False
    jobs: int | None = None  # measuring workers; None: as many as the machine holds, 1: in this process
    baseline: str | None = None  # a baseline file: report only the findings it does not hold
    changed: frozenset[str] | None = None  # real paths changed since --changed-since's ref; None: all

    def in_scope(self, path: str) -> bool:
        """Whether the cross-check covers the models of the file at `path` (static rules see every file)."""
        return self.changed is None or os.path.realpath(path) in self.changed


@collector.paused()
def validate(paths: Iterable[str | Path], config: Config | None = None, options: Options | None = None,
             index: Index | None = None) -> tuple[Index, Result]:
    """Check every card under `paths`; returns the index and the run's diagnostics."""
    config = config or Config()
    options = options or Options()
    index = index or index_mod.load(paths, config.excluded)
    findings = list(index.findings)
    findings.extend(parse.unknown_keys(index, config.extra_keys))
    for rule in checks():
        if config.rule_severity(rule) is not None:
            findings.extend(rule.check(index))
    result = Result()
    if options.cross_check != "never":
        findings.extend(_cross_check(index, config, options, result))
    severity = functools.cache(config.rule_severity)  # asked for every finding: worked out once a rule and file
    located = [d for d in (locate(f, config, severity) for f in findings) if d is not None]
    result.diagnostics = sorted(_not_suppressed(located, index, config, options, result, severity),
                                key=lambda d: d.sort_key)
    result.summary.files = len(index.files)
    result.summary.models = len(index.models)
    result.summary.collections = len(index.collections)
    result.summary.count(result.diagnostics)
    if options.changed is not None:
        paths = set(index.files) | {path for d in result.diagnostics for path in d.paths}
        result.changed = frozenset(path for path in paths if options.in_scope(path))
    return index, result


def _cross_check(index: Index, config: Config, options: Options, result: Result) -> list[Finding]:
    """Run the timm cross-check when it can run; torch and timm are imported only here."""
    from .crosscheck import run as crosscheck_run

    return crosscheck_run(index, options, result, config)


def _not_suppressed(diagnostics: list[Diagnostic], index: Index, config: Config, options: Options,
                    result: Result, severity: SeverityOf) -> list[Diagnostic]:
    """The stage between locating and reporting: suppression comments, then the baseline."""
    kept = suppress.apply(diagnostics, index, config, _rules_run(config, options, severity))
    if options.baseline:
        kept, known = baseline_mod.split(kept, options.baseline)
        if known:
            result.notices.append(f"{known} finding(s) of the baseline {options.baseline} not reported")
    return kept


def _rules_run(config: Config, options: Options, severity: SeverityOf) -> Callable[[Rule, str], bool]:
    """Whether a rule ran on a file in this run: it is on there, and its stage ran (the cross-check
    only when torch and timm can be imported, on the files in the run's scope that
    `per-file-cross-check` does not set to never; its accuracy checks only with a results table)."""
    skipped: tuple[str, ...] = ("MI3",)  # code prefixes of the rules that did not run
    if options.cross_check != "never":
        from .crosscheck import available
        from .crosscheck.results import METRICS

        if available():
            skipped = () if options.results else tuple(code for _, code in METRICS.values())

    @functools.cache
    def cross_checked(path: str) -> bool:
        return options.in_scope(path) and config.cross_check_scope(path, options.cross_check) != "never"

    return lambda rule, path: (not rule.code.startswith(skipped) and severity(rule, path) is not None
                               and (not rule.code.startswith("MI3") or cross_checked(path)))


def locate(finding: Finding, config: Config, severity_of: SeverityOf | None = None) -> Diagnostic | None:
    """Turn a finding into a diagnostic at its file line, with the configured severity (`severity_of`:
    `config.rule_severity`, or a memo of it); the rule modules are registered: `validate` has
    asked for the checks."""
    rule = REGISTRY[finding.code]
    entity = finding.entity
    path = entity.path if entity is not None else finding.file or ""
    severity = (severity_of or config.rule_severity)(rule, path)
    if severity is None:
        return None
    if finding.soft:
        severity = severity.softer()
    fix_span, style = None, None
    if entity is not None:
        span = entity.key_span(finding.at) if finding.on_key else entity.span(finding.at)
        field = entity.field_name(finding.at)
        model = entity.name if entity.kind == "model" else None
        # a cross-check fix is right for one model: it may not rewrite a value others share by an alias
        fix_span = entity.editable_span(finding.at, shared=not rule.code.startswith("MI3"))
        style = entity.tree.styles.get(entity.base + tuple(finding.at))
    else:
        span, field, model = finding.span or Span.point(1), None, None
    fix = None
    if finding.replacement is not None and fix_span is not None:
        fix = Fix(fix_span, to_yaml(finding.replacement, style),
                  finding.fix_description or f"write {finding.replacement}", finding.applicability)
    message = finding.message
    if finding.suggestion:
        message += f" (did you mean '{finding.suggestion}'?)"
    return Diagnostic(path, span, rule.code, rule.name, severity, message, model, field,
                      finding.expected, finding.actual, fix, finding.suggestion, finding.related)


def to_yaml(value, style: str | None = None) -> str:
    """A value as a one-line YAML scalar or flow collection. A string keeps the quotes of the text
    it replaces (JSON files stay JSON), and is double-quoted where a plain one could be misread
    in a flow collection."""
    if isinstance(value, str) and (style in ("'", '"') or any(c in value for c in ",[]{}")):
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar
    key = (type(value), repr(value))  # repr tells -0.0 from 0.0, and 1 from 1.0 and True
    text = _DUMPED.get(key)
    if text is None:
        if len(_DUMPED) >= _REMEMBERED:
            _DUMPED.clear()
        text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True).strip()
        text = _DUMPED[key] = text[: -len("...")].strip() if text.endswith("...") else text
    return text


# `to_yaml` of the values written lately: fixes repeat the same few (224, 0.875, ...), and a dump
# runs PyYAML's whole emitter.
_DUMPED: dict[tuple[type, str], str] = {}
_REMEMBERED = 4096
