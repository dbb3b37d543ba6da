"""Settings: `[tool.model-index]` in pyproject.toml, overridden by the command line."""

from __future__ import annotations

import difflib
import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files
from .diagnostics import Severity
from .extra_keys import EXTRA_KEY_SCOPES, EXTRA_KEY_TYPES, extra_key
from .rules import Rule, all_rules

# Folders the walk skips unless `exclude` says otherwise: hidden ones, virtual environments, built sites.
# The same as the folder walk's own default (`index.SKIPPED_DIRS`; a test holds them equal), written
# out so that reading the settings does not load the pipeline.
DEFAULT_EXCLUDE = [".*/", "__pycache__/", "node_modules/", "site/", "venv/"]
CROSS_CHECKS = ("auto", "always", "never", "timm")  # `cross-check`: whether it runs, and the zoo's scope
CROSS_CHECK_SCOPES = ("auto", "timm", "never")  # `per-file-cross-check`: how it takes a file's models


class ConfigError(Exception):
    """A setting that cannot be honoured (exit code 2)."""


@dataclass
class Config:
    """What to report and how: rule selection, severity overrides and cross-check settings."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob → selectors
    severity: dict[str, Severity] = field(default_factory=dict)
    cross_check: str = "auto"  # auto | always | never | timm (always, and every model is a timm model)
    per_file_cross_check: dict[str, str] = field(default_factory=dict)  # glob → auto | timm | never
    cache_dir: str | None = None
    results: str | None = None
    baseline: str | None = None
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    extra_keys: dict[str, str] = field(default_factory=dict)  # "[Scope.]Key" → type (extra_keys.extra_key)
    source: Path | None = None

    @property
    def root(self) -> Path:
        """The folder that path globs are relative to: the pyproject.toml's, else the working directory."""
        return self.source.parent if self.source else Path.cwd()

    def rule_severity(self, rule: Rule, path: str | None = None) -> Severity | None:
        """The severity this run reports `rule` at (in the file `path`), or None when the rule is off.

        Like ruff, the most specific selector wins (a code over its prefix, a prefix over ALL);
        between a `select` and an `ignore` equally specific, `ignore` wins. `per-file-ignores`
        turn a rule off in the files they match, whatever selects it."""
        selected = _specificity(self.select + self.extend_select, rule)
        if selected < 0 or _specificity(self.ignore, rule) >= selected:
            return None
        if path is not None and any(selects(selectors, rule) and _path_matches(glob, path, self.root)
                                    for glob, selectors in self.per_file_ignores.items()):
            return None
        matching = [(_specificity([s], rule), severity) for s, severity in self.severity.items()]
        best = max((m for m in matching if m[0] >= 0), key=lambda m: m[0], default=None)
        return best[1] if best else rule.severity

    def cross_check_scope(self, path: str, cross_check: str | None = None) -> str:
        """How the cross-check takes the models of the file at `path`: ``timm`` (every one is a timm
        model), ``never`` (none is cross-checked) or ``auto`` (those something ties to timm).

        The first `per-file-cross-check` glob that matches the file decides, in the order the
        table is written (as ruff's per-file settings); without one, the run's `cross_check`
        (default: the configured one) does: ``timm`` for the whole zoo, else ``auto``."""
        for glob, scope in self.per_file_cross_check.items():
            if _path_matches(glob, path, self.root):
                return scope
        return "timm" if (cross_check or self.cross_check) == "timm" else "auto"

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """Whether the folder walk passes over `path` (`exclude` and `extend-exclude`)."""
        name = path.name + ("/" if is_dir else "")
        return any(_glob_matches(glob, name, path, self.root) for glob in self.exclude + self.extend_exclude)


def _specificity(selectors: list[str], rule: Rule) -> int:
    """How closely the best of `selectors` names `rule`: -1 none, 0 ALL, else the prefix length
    (a rule name counts as its full code)."""
    scores = [0 if s == "ALL" else len(rule.code) if s == rule.name else len(s)
              for s in selectors if selects([s], rule)]
    return max(scores, default=-1)


def selects(selectors: list[str], rule: Rule) -> bool:
    """A selector is ALL, a code (MI301), a code prefix (MI3, MI30) or a rule name."""
    return any(s == "ALL" or s == rule.name or (s.startswith("MI") and rule.code.startswith(s)) for s in selectors)


def _glob_matches(glob: str, name: str, path: Path, root: Path) -> bool:
    """One exclude glob against one entry of the walk (`name` ends with / for a folder).

    A glob without a slash before its end matches the entry's name (`site/`, `*.draft.md`); one
    with a slash matches its path from `root` (`docs/legacy/*`). A glob ending in / matches folders only."""
    if glob.endswith("/") and not name.endswith("/"):
        return False
    pattern, name = glob.rstrip("/"), name.rstrip("/")
    if "/" not in pattern:
        return fnmatch.fnmatchcase(name, pattern)
    return fnmatch.fnmatchcase(_relative(path, root), pattern.removeprefix("./").lstrip("/"))


def _path_matches(glob: str, path: str, root: Path) -> bool:
    """A per-file-ignores glob against a file: a glob without a slash matches the file's name or a
    folder on its way from `root`; one with a slash matches its path from `root`."""
    relative = _relative(Path(path), root)
    pattern = glob.removeprefix("./").strip("/")
    if "/" in pattern:
        return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*")
    return any(fnmatch.fnmatchcase(part, pattern) for part in relative.split("/") if part != "..")


def _relative(path: Path, root: Path) -> str:
    """`path` from `root`, with forward slashes."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


def check_selectors(selectors: list[str], where: str) -> list[str]:
    """`selectors` unchanged, or a ConfigError naming the first that selects no rule, with the
    closest code or name when one is close."""
    rules = all_rules()
    for selector in selectors:
        if not (selector == "ALL" or any(selects([selector], r) for r in rules)):
            words = [r.code for r in rules] + [r.name for r in rules]
            raise ConfigError(f"{where}: unknown rule selector '{selector}'{_did_you_mean(selector, words)}")
    return selectors


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
    for name in ("cache_dir", "results", "baseline"):
        if getattr(config, name):
            setattr(config, name, str(path.parent / getattr(config, name)))
    return config


def from_table(table: dict[str, Any], where: str = "[tool.model-index]") -> "Config":
    """A Config from the settings table, every value checked (ConfigError names the bad one)."""
    known = ["select", "extend-select", "ignore", "per-file-ignores", "severity", "cross-check",
             "per-file-cross-check", "cache-dir", "results", "baseline", "exclude", "extend-exclude", "extra-keys"]
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown setting '{unknown[0]}'{_did_you_mean(unknown[0], known)}")
    config = Config()
    for key in ("select", "extend-select", "ignore"):
        if key in table:
            setattr(config, key.replace("-", "_"), check_selectors(_strings(table[key], key, where), where))
    for key in ("exclude", "extend-exclude"):
        if key in table:
            setattr(config, key.replace("-", "_"), _strings(table[key], key, where, "globs"))
    for glob, selectors in _table(table, "per-file-ignores", where, "glob = [selectors]").items():
        config.per_file_ignores[glob] = check_selectors(_strings(selectors, f"per-file-ignores '{glob}'", where),
                                                        where)
    config.extra_keys = _extra_keys(_table(table, "extra-keys", where, "key = type"), where)
    for selector, level in _table(table, "severity", where, "selector = level").items():
        check_selectors([selector], where)
        try:
            config.severity[selector] = Severity(level)
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{where}: severity of {selector} must be error, warning or info") from error
    if "cross-check" in table:
        config.cross_check = _choice(table["cross-check"], CROSS_CHECKS, "cross-check", where)
    for glob, scope in _table(table, "per-file-cross-check", where, "glob = scope").items():
        config.per_file_cross_check[glob] = _choice(scope, CROSS_CHECK_SCOPES, f"per-file-cross-check '{glob}'",
                                                    where)
    for key in ("cache-dir", "results", "baseline"):
        if not isinstance(table.get(key, ""), str):
            raise ConfigError(f"{where}: {key} must be a path (a string)")
    config.cache_dir = table.get("cache-dir")
    config.results = table.get("results")
    config.baseline = table.get("baseline")
    return config


def _extra_keys(declarations: dict[str, Any], where: str) -> dict[str, str]:
    """The `extra-keys` table, each type and scope checked."""
    for declaration, kind in declarations.items():
        if not isinstance(kind, str) or kind not in EXTRA_KEY_TYPES:
            raise ConfigError(f"{where}: extra-keys '{declaration}' has the unknown type {kind!r}"
                              f"{_did_you_mean(str(kind), list(EXTRA_KEY_TYPES))}; the types are "
                              f"{', '.join(EXTRA_KEY_TYPES)}")
        head, dot, _ = declaration.partition(".")
        near = _did_you_mean(head, list(EXTRA_KEY_SCOPES))
        if dot and extra_key(declaration)[0] is None and near:
            raise ConfigError(f"{where}: extra-keys '{declaration}' has the unknown scope '{head}'{near}; "
                              f"the scopes are {', '.join(EXTRA_KEY_SCOPES)}")
    return dict(declarations)


def _choice(value: Any, choices: tuple[str, ...], key: str, where: str) -> str:
    """`value` when it is one of `choices`, else a ConfigError with the closest one."""
    if isinstance(value, str) and value in choices:
        return value
    near = _did_you_mean(value, list(choices)) if isinstance(value, str) else ""
    raise ConfigError(f"{where}: {key} must be {', '.join(choices[:-1])} or {choices[-1]}, not {value!r}{near}")


def _strings(value: Any, key: str, where: str, what: str = "rule codes or names") -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of {what}")
    return value


def _table(table: dict[str, Any], key: str, where: str, shape: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table of {shape}")
    return value
