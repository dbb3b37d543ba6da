"""The sandboxed Jinja2 environment every card and template is rendered in.

Card text arrives in pull requests, so it is untrusted: templates run in Jinja's
`ImmutableSandboxedEnvironment` (no attribute starting with an underscore, no mutation of the
lists and dicts they are given), undefined names are errors rather than silent blanks, and the
context holds only plain data (see `view.py`).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
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


def make_environment(project_templates: Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandbox that looks up templates in the project's folder first, then in the defaults."""
    folders = [p for p in (project_templates, default_templates()) if p is not None and p.is_dir()]
    return ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in folders]),
        undefined=StrictUndefined,
        autoescape=False,
    )
