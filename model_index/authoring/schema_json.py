"""`model-index schema`: a JSON Schema (draft 2020-12) of the card format, for editors and other tools.

It is generated from the pydantic models of `schema.py`, whose field docstrings become the
descriptions, with the configuration's `extra-keys` added where they are declared. It describes
the structure: every key a card may write (any other is an unknown key) and the type of its value.
What lies beyond the structure (a number written as a string, a model that disagrees with timm)
is the linter's.
"""

from __future__ import annotations

from typing import Any

from .. import schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCOPE_NODES = {"Models": "Model", "Collections": "Collection", "Metadata": "Metadata", "Results": "Result",
               "Paper": "PaperRef", "Code": "CodeRef"}
UNSCOPED_NODES = ("ModelIndex", *SCOPE_NODES.values())  # where an extra key without a scope may be written
SEPARATORS = r"[\s_-]*"  # what `schema.comparable_key` ignores between the letters of a key
REGEX_SYNTAX = set(r"^$\.*+?()[]{}|/")
STRICT_INTEGER_TEXT = r"^\s*[+-]?[0-9][0-9,_]*\s*%?\s*$"  # what `as_number` reads as an integer

DESCRIPTION = """\
Model-index metadata of model cards (Papers with Code's format): a mapping with Models, \
Collections and Import, or a bare list of models (a file another one imports).

Keys are matched as model-index matches them: case, spaces, `_` and `-` do not matter (`in_collection` \
is `In Collection`). Each object lists its keys in their canonical spelling under `properties`, for \
completion, and gives every other spelling of the same key the same type under `patternProperties`. \
Other keys are not allowed, as model-index reports them (unknown-key, MI008), unless the configuration \
declares them in `extra-keys`: this schema then holds them, described as declared in extra-keys. \
Numbers may be written as strings (`'0.875'`, `'25,557,032'`, `'80.05%'`): model-index reads them, \
and reports them as a style warning (number-as-string, MI201)."""


def card_schema(extra_keys: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON Schema of a card's metadata, with `extra_keys` (declaration → type, as in
    `Config.extra_keys`) added to the objects their scope names."""
    from pydantic.json_schema import models_json_schema

    _, generated = models_json_schema([(node, "validation") for node in schema.SCHEMA_NODES], by_alias=True,
                                      ref_template="#/$defs/{model}")
    defs = generated["$defs"]
    top = defs["ModelIndex"]
    top["description"] = "The top level of a model-index block."
    for key, node in (("Models", "Model"), ("Collections", "Collection")):
        description = top["properties"][key]["description"]
        top["properties"][key] = {"type": "array", "items": {"$ref": f"#/$defs/{node}"}, "description": description}
    for declaration, kind in (extra_keys or {}).items():
        scope, key = schema.extra_key(declaration)
        for node in ([SCOPE_NODES[scope]] if scope else UNSCOPED_NODES):
            defs[node].setdefault("properties", {})[key] = extra_key_schema(declaration, kind)
    for definition in defs.values():
        _any_spelling(definition)
        definition["additionalProperties"] = False  # an unknown key: what unknown-key (MI008) reports
    return {"$schema": DIALECT, "title": "model-index card metadata", "description": DESCRIPTION,
            "anyOf": [{"$ref": "#/$defs/ModelIndex"}, {"type": "array", "items": {"$ref": "#/$defs/Model"}}],
            "$defs": defs}


def extra_key_schema(declaration: str, kind: str) -> dict[str, Any]:
    """A declared key's value: its type's JSON Schema, a number also as text, or empty (null)."""
    accepted = [schema.EXTRA_KEY_TYPES[kind].json_schema]
    if kind == "number":
        accepted.append({"type": "string", "pattern": schema.NUMBER_TEXT})
    elif kind == "integer":
        accepted.append({"type": "string", "pattern": STRICT_INTEGER_TEXT})
    described = {"description": f"Declared in extra-keys as `{declaration}` = `{kind}`."}
    if not accepted[0]:  # "any"
        return described
    return {"anyOf": [*accepted, {"type": "null"}], **described}


def _any_spelling(definition: dict[str, Any]) -> None:
    """Give every key of an object the same schema under every spelling model-index accepts."""
    properties = definition.get("properties", {})
    patterns = definition.setdefault("patternProperties", {})
    for key, value in properties.items():
        patterns[spelling_pattern(key)] = value
    if not patterns:
        del definition["patternProperties"]


def spelling_pattern(key: str) -> str:
    """A regular expression matching every spelling of `key` that `schema.comparable_key` equates:
    any case, with spaces, `_` and `-` anywhere between its other characters."""
    parts = []
    for char in schema.comparable_key(key):
        if char.isascii() and char.isalpha():
            parts.append(f"[{char.lower()}{char.upper()}]")
        else:
            parts.append("\\" + char if char in REGEX_SYNTAX else char)
    return f"^{SEPARATORS}{SEPARATORS.join(parts)}{SEPARATORS}$"
