"""The distribution's name and its optional extras: what a user installs when a part is missing.

The command and the import package are called `model-index` / `model_index`, but the distribution
on PyPI is `model-index-lint` (`model-index` there is Papers with Code's package), so every hint
names the distribution, never the command.
"""

from __future__ import annotations

import importlib.util

DISTRIBUTION = "model-index-lint"
# What each extra brings that the code imports (import names, not distribution names).
MODULES = {"timm": ("torch", "timm"), "docs": ("jinja2", "mkdocs", "material", "pymdownx")}


def install_hint(extra: str) -> str:
    """The pip command that installs `extra`, e.g. ``pip install 'model-index-lint[docs]'``."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def missing(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported (found without importing them)."""
    return [name for name in MODULES[extra] if importlib.util.find_spec(name) is None]
