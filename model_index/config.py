"""Settings: `[tool.model-index]` in pyproject.toml, overridden by the command line."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files
from .diagnostics import Severity
from .rules import Rule, all_rules


class ConfigError(Exception):
    """A setting that cannot be honoured (exit code 2)."""


@dataclass
class Config:
    """What to report and how: rule selection, severity overrides and cross-check settings."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    cross_check: str = "auto"  # auto | always | never
    cache_dir: str | None = None
    results: str | None = None
    source: Path | None = None

    def rule_severity(self, rule: Rule) -> Severity | None:
        """The severity this run reports `rule` at, or None when the rule is off.

        Like ruff, the most specific selector wins (a code over its prefix, a prefix over ALL);
        between a `select` and an `ignore` equally specific, `ignore` wins."""
        selected, ignored = _specificity(self.select, rule), _specificity(self.ignore, rule)
        if selected < 0 or ignored >= selected:
            return None
        matching = [(_specificity([s], rule), severity) for s, severity in self.severity.items()]
        best = max((m for m in matching if m[0] >= 0), key=lambda m: m[0], default=None)
        return best[1] if best else rule.severity


def _specificity(selectors: list[str], rule: Rule) -> int:
    """How closely the best of `selectors` names `rule`: -1 none, 0 ALL, else the prefix length
    (a rule name counts as its full code)."""
    scores = [0 if s == "ALL" else len(rule.code) if s == rule.name else len(s)
              for s in selectors if _matches([s], rule)]
    return max(scores, default=-1)


def _matches(selectors: list[str], rule: Rule) -> bool:
    """A selector is ALL, a code (MI301), a code prefix (MI3, MI30) or a rule name."""
    return any(s == "ALL" or s == rule.name or (s.startswith("MI") and rule.code.startswith(s)) for s in selectors)


def check_selectors(selectors: list[str], where: str) -> list[str]:
    """`selectors` unchanged, or a ConfigError naming the first that selects no rule."""
    rules = all_rules()
    for selector in selectors:
        if not (selector == "ALL" or any(_matches([selector], r) for r in rules)):
            raise ConfigError(f"{where}: unknown rule selector '{selector}'")
    return selectors


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.model-index] table, looking upwards from `start`.

    A pyproject.toml that mentions model-index but is not valid TOML is an error, not skipped."""
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        try:
            text = files.read_text(candidate)  # a regular file, capped: a link to /dev/zero cannot hang the run
        except (OSError, files.Refused, UnicodeDecodeError):
            continue
        try:
            table = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as error:
            if "model-index" in text:
                raise ConfigError(f"{candidate}: {error}") from error
            continue
        tool = table.get("tool")
        if isinstance(tool, dict) and "model-index" in tool:
            return candidate
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read `[tool.model-index]` from `path`, or from the nearest pyproject.toml that has it."""
    path = path or find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    try:
        document = tomllib.loads(files.read_text(path))
    except (tomllib.TOMLDecodeError, RecursionError, OSError, files.Refused, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    tool = document.get("tool", {})
    table = tool.get("model-index", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.model-index] must be a table")
    config = from_table(table, str(path))
    config.source = path
    if config.cache_dir:
        config.cache_dir = str(path.parent / config.cache_dir)
    if config.results:
        config.results = str(path.parent / config.results)
    return config


def from_table(table: dict[str, Any], where: str = "[tool.model-index]") -> "Config":
    """A Config from the settings table, every value checked (ConfigError names the bad one)."""
    known = {"select", "ignore", "severity", "cross-check", "cache-dir", "results"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    config = Config()
    if "select" in table:
        config.select = check_selectors(_strings(table["select"], "select", where), where)
    if "ignore" in table:
        config.ignore = check_selectors(_strings(table["ignore"], "ignore", where), where)
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise ConfigError(f"{where}: severity must be a table of selector = level")
    for selector, level in severities.items():
        check_selectors([selector], where)
        try:
            config.severity[selector] = Severity(level)
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{where}: severity of {selector} must be error, warning or info") from error
    if "cross-check" in table:
        if table["cross-check"] not in ("auto", "always", "never"):
            raise ConfigError(f"{where}: cross-check must be auto, always or never")
        config.cross_check = table["cross-check"]
    for key in ("cache-dir", "results"):
        if not isinstance(table.get(key, ""), str):
            raise ConfigError(f"{where}: {key} must be a path (a string)")
    config.cache_dir = table.get("cache-dir")
    config.results = table.get("results")
    return config


def _strings(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of rule codes or names")
    return value
