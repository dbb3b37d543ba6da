"""Write `model_index/schema_table.py`: the schema's shape as plain data, read from the pydantic models.

    .venv/bin/python scripts/schema_table.py          # rewrite the table after a change to schema.py
    .venv/bin/python scripts/schema_table.py --check  # exit 1 when the table no longer matches

`schema.py` stays the single source of truth. The table lets loading and the static rules know each
node's keys, which of them hold numbers or nodes, and what type each value must have, without
importing pydantic (`model_index.shape`, `model_index.typecheck`); `tests/test_schema_table.py`
fails when it drifts from the models.

A kind is a string or a tuple: "str", "int", "float", "any", "number" (`schema.Number`), "integer"
(`schema.Integer`), "words" (`schema.Words`), "metric" (`schema.Metric`), ("list", kind),
("dict", kind) with string keys, ("node", name) and ("union", kind, ...). Every field is optional
(None is always accepted), except the keys a node `needs` (`NEEDS`: a `Code` mapping needs its
`URL`). A union a function discriminates is read as the union of its members. A field of a type
without a kind stops the script: teach it here and in `model_index/typecheck.py` first.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "model_index" / "schema_table.py"

HEADER = '''"""The schema's shape as plain data: each node's keys, in order, with the kind of value each holds.

Generated from the pydantic models of `schema.py` by `scripts/schema_table.py`; do not edit
(`tests/test_schema_table.py` fails when it no longer matches them). The kinds are explained there.
"""

'''


def kind_of(annotation: Any) -> Any:
    """The kind of a field's annotation (None stripped from a union: every field is optional)."""
    from model_index import schema

    for named, kind in ((schema.Number, "number"), (schema.Integer, "integer"), (schema.Words, "words"),
                        (schema.Metric, "metric")):
        if annotation == named:
            return kind
    plain = {str: "str", int: "int", float: "float", Any: "any"}
    if annotation in plain:
        return plain[annotation]
    if get_origin(annotation) is Annotated:  # a discriminated union, or a member's tag
        return kind_of(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, schema.Node):
        return ("node", annotation.__name__)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list:
        return ("list", kind_of(args[0]))
    if origin is dict and args[0] is str:
        return ("dict", kind_of(args[1]))
    if origin in (Union, types.UnionType):
        members = [kind_of(arg) for arg in args if arg is not type(None)]
        return members[0] if len(members) == 1 else ("union", *members)
    raise SystemExit(f"no kind for {annotation!r}: teach scripts/schema_table.py and model_index/typecheck.py")


def literal(value: str | tuple) -> str:
    """A string or a tuple of them as Python source, strings double-quoted (the project's style)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a Python string literal
    return "(" + ", ".join(map(literal, value)) + ("," if len(value) == 1 else "") + ")"


def render() -> str:
    """The text of `model_index/schema_table.py` for the models of `schema.py` as they are."""
    from model_index import schema

    lines = [HEADER.rstrip("\n"), "", "NODES = {"]
    for node in schema.SCHEMA_NODES:
        lines.append(f"    {literal(node.__name__)}: {{")
        for field in node.model_fields.values():
            optional = get_origin(field.annotation) in (Union, types.UnionType) and \
                type(None) in get_args(field.annotation)
            if field.is_required() or field.default is not None or not optional:
                raise SystemExit(f"{node.__name__}.{field.alias}: every field must be optional with default None")
            lines.append(f"        {literal(field.alias)}: {literal(kind_of(field.annotation))},")
        lines.append("    },")
    lines.append("}")
    lines += ["", "NEEDS = {"]
    lines += [f"    {literal(node.__name__)}: {literal(tuple(node.needs))}," for node in schema.SCHEMA_NODES if node.needs]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the table is up to date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        print("up to date" if current == text else f"{TARGET} differs from schema.py: run {__file__}")
        return 0 if current == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
