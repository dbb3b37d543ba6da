"""The rule registry: every code the linter can report, with its name, default severity and docs.

A rule is a function ``check(index) -> Iterable[Finding]`` registered with `@rule`; its docstring is
its user documentation (the site's rules page and ``model-index rules`` print it). Codes that a
stage produces while loading or cross-checking are registered with `declare`, so that they can be
selected, ignored and documented like any other.

Rule modules read the schema's shape as plain data (`model_index.shape`), never pydantic, and
import the index only for type checking: the registry (codes, names, severities, docs) then loads
in milliseconds, for `model-index rules`, `--help` and the configuration.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from ..diagnostics import Finding, Severity

if TYPE_CHECKING:
    from ..index import Index

T = TypeVar("T")

Check = Callable[..., Iterable[Finding]]

FAMILIES = {
    "MI0": "Parse and schema",
    "MI1": "Structure and references",
    "MI2": "Values and style",
    "MI3": "Cross-check against the model",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    check: Check | None = None
    fixable: bool = False

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n")[0].replace("\n", " ")

    def as_dict(self) -> dict:
        """The rule as plain data: what `model-index rules --output-format json` prints and the
        rules page is rendered from."""
        return {"code": self.code, "name": self.name, "severity": self.severity.value, "family": self.family,
                "fixable": self.fixable, "summary": self.summary, "doc": self.doc}


REGISTRY: dict[str, Rule] = {}


def _register(rule_: Rule) -> None:
    if rule_.code in REGISTRY or any(r.name == rule_.name for r in REGISTRY.values()):
        raise ValueError(f"rule {rule_.code} {rule_.name} registered twice")
    REGISTRY[rule_.code] = rule_


def rule(code: str, name: str, severity: str, fixable: bool = False) -> Callable[[Check], Check]:
    """Register a static check; its docstring documents it."""

    def register(check: Check) -> Check:
        _register(Rule(code, name, Severity(severity), inspect.cleandoc(check.__doc__ or ""), check, fixable))
        return check

    return register


def declare(code: str, name: str, severity: str, doc: str, fixable: bool = False) -> None:
    """Register a code that a loading or cross-check stage reports."""
    _register(Rule(code, name, Severity(severity), inspect.cleandoc(doc), None, fixable))


def once(compute: Callable[[Index], T]) -> Callable[[Index], T]:
    """A computation over a whole run that several rules read (every link of every card, say):
    made when the first of them asks, and kept in the index for the others."""

    @functools.wraps(compute)
    def shared(index: Index) -> T:
        if compute not in index.shared:
            index.shared[compute] = compute(index)
        return index.shared[compute]

    return shared


def all_rules() -> list[Rule]:
    """Every rule, sorted by code (importing the rule modules registers them)."""
    from . import crosscheck, parse, structure, urls, values  # noqa: F401

    return [REGISTRY[code] for code in sorted(REGISTRY)]


def checks() -> list[Rule]:
    return [r for r in all_rules() if r.check is not None]
