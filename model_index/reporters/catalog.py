"""The rule catalogue that `model-index rules` prints: a text table or JSON."""

from __future__ import annotations

import json


def rules_json(rules) -> str:
    """Every rule as an object: code, name, default severity, family, fixable and its documentation."""
    return json.dumps([r.as_dict() for r in rules], indent=2) + "\n"


def rules_text(rules) -> str:
    """One rule a line: code, name, default severity, `fix` when fixable, and its first paragraph."""
    width = max((len(r.name) for r in rules), default=0)
    return "".join(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {'fix' if r.fixable else '   '}  "
                   f"{r.summary}\n" for r in rules)
