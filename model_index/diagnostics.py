"""Data types that carry problems from the checks to the reporters. Nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a problem is; the linter, not the rule, decides it for each run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def softer(self) -> "Severity":
        """One level down: an error becomes a warning, a warning an info (an info stays one)."""
        return Severity.WARNING if self is Severity.ERROR else Severity.INFO


@dataclass(frozen=True)
class Span:
    """A 1-based region of a file: where a YAML node starts and ends."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int = 1) -> "Span":
        return cls(line, column, line, column)


@dataclass(frozen=True)
class Place:
    """Another place that a finding involves, in the same file or another: the first use of a name
    that a duplicate repeats. Reports point to it (SARIF's related locations), and a finding is on a
    changed card when its own file or any of its places changed."""

    path: str
    span: Span
    message: str


class Applicability(str, Enum):
    """Whether `--fix` applies a fix, as ruff has it.

    SAFE: `--fix` applies it (the text changes, not the meaning; or a value measured on a model
    resolved exactly). UNSAFE: only with `--unsafe-fixes` (a value measured on a model reached
    through an alias; a renamed ID). DISPLAY_ONLY: shown for review, never applied (a value
    measured on a model the card was only guessed to mean)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    def applies(self, unsafe_fixes: bool) -> bool:
        """Whether `--fix` applies a fix of this kind (with `--unsafe-fixes` when `unsafe_fixes`)."""
        return self is Applicability.SAFE or (unsafe_fixes and self is Applicability.UNSAFE)


@dataclass(frozen=True)
class Fix:
    """Replace the text of `span` in the file with `replacement` (YAML source text)."""

    span: Span
    replacement: str
    description: str
    applicability: Applicability = Applicability.SAFE

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "replacement": self.replacement,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "applicability": self.applicability.value,
        }


@dataclass(frozen=True)
class Diagnostic:
    """One reported problem, located in a file; the unit every report format prints."""

    path: str
    span: Span
    code: str
    rule: str
    severity: Severity
    message: str
    model: str | None = None
    field: str | None = None
    expected: Any = None
    actual: Any = None
    fix: Fix | None = None
    suggestion: str | None = None
    related: tuple[Place, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file the problem involves: its own, then those of its related places."""
        return (self.path, *(place.path for place in self.related))

    @property
    def location(self) -> str:
        """`path:line:column`, as linters and editors write a place in a file."""
        return f"{self.path}:{self.span.line}:{self.span.column}"

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def as_dict(self) -> dict[str, Any]:
        """The JSON report's diagnostic object (contract in DESIGN.md: keep it stable)."""
        return {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "model": self.model,
            "field": self.field,
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "fix": self.fix.as_dict() if self.fix else None,
        }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@dataclass
class Summary:
    """Counts for the end of a report."""

    files: int = 0
    models: int = 0
    collections: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def count(self, diagnostics: list[Diagnostic]) -> None:
        self.errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        self.warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
        self.infos = sum(d.severity is Severity.INFO for d in diagnostics)

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Result:
    """Everything one validation run produced."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    notices: list[str] = field(default_factory=list)
    resolved: dict[Any, str] = field(default_factory=dict)  # model Entity → its timm `arch.tag`
    changed: frozenset[str] | None = None  # report paths changed since --changed-since's ref; None: not asked
    unsafe_fixes: bool = False  # the user's choice: reports count unsafe fixes as applicable

    def on_changed(self, diagnostic: Diagnostic) -> bool:
        """Whether a problem is on a changed card: its file, or the file of a place it involves
        (a name that a changed card took from an unchanged one), changed since --changed-since's ref."""
        return self.changed is not None and any(path in self.changed for path in diagnostic.paths)

    def fix_counts(self) -> dict[Applicability, int]:
        """How many diagnostics offer a fix of each applicability."""
        counts = {kind: 0 for kind in Applicability}
        for d in self.diagnostics:
            if d.fix is not None:
                counts[d.fix.applicability] += 1
        return counts


@dataclass
class Finding:
    """A rule's or a stage's raw result, before the linter locates it and stamps a severity.

    Either `entity` plus `at` (a key path below the entity, canonical keys) or `file` plus `span`.
    `on_key` reports at the key of `at` rather than its value (a problem of the key itself).
    `replacement` is the value `--fix` writes at `at` (a Python value, dumped as YAML), with
    `applicability` saying whether `--fix` may write it. `related` are the other places the problem
involves (a cross-file finding's first occurrence). `soft` marks a finding that rests on weaker
    evidence (a guessed model, a count off only in its rounded last digit): the linter reports it
    one severity below the rule's configured one."""

    code: str
    message: str
    entity: Any = None
    at: tuple = ()
    file: str | None = None
    span: Span | None = None
    expected: Any = None
    actual: Any = None
    replacement: Any = None
    fix_description: str | None = None
    suggestion: str | None = None
    on_key: bool = False
    applicability: Applicability = Applicability.SAFE
    soft: bool = False
    related: tuple[Place, ...] = ()
