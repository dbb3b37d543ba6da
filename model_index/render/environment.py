"""The sandboxed Jinja2 environment every card and template is rendered in.

Card text arrives in pull requests, so it is untrusted: templates run in Jinja's
`ImmutableSandboxedEnvironment` (no attribute starting with an underscore, no mutation of the
lists and dicts they are given), undefined names are errors rather than silent blanks, and the
context holds only plain data (see `view.py`).
"""

from __future__ import annotations

from pathlib import Path

from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

PACKAGE = Path(__file__).resolve().parent.parent


def default_templates() -> Path:
    """The templates shipped with model-index: inside the wheel, or the source tree's `templates/`
    in an editable install."""
    shipped = PACKAGE / "templates"
    return shipped if shipped.is_dir() else PACKAGE.parent / "templates"


def assets_dir() -> Path:
    """The JavaScript and CSS the site needs (vendored libraries with their licences)."""
    return PACKAGE / "assets"


MAX_POWER = 64  # exponents: 2 ** 64 is plenty for a page; 7 ** 10 ** 8 takes minutes
MAX_REPEAT = 100_000  # items or characters a `*` may produce


class CardSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with `*` and `**` bounded: a card must not make the build
    allocate gigabytes (`{{ 'a' * 10 ** 10 }}`) or compute forever."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"exponent {right} is larger than {MAX_POWER}")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_REPEAT:
                    raise SecurityError(f"repeating a sequence to more than {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)


def make_environment(project_templates: Path | None = None) -> CardSandbox:
    """A sandbox that looks up templates in the project's folder first, then in the defaults."""
    folders = [p for p in (project_templates, default_templates()) if p is not None and p.is_dir()]
    return CardSandbox(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in folders]),
        undefined=StrictUndefined,
        autoescape=False,
    )
