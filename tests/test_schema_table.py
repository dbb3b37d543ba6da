"""`model_index/schema_table.py` is what `scripts/schema_table.py` writes from the pydantic models of
`schema.py`: loading and the static rules read the schema's shape from it, without pydantic, so it
must never drift from the models."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import Field

from model_index import schema, shape

ROOT = Path(__file__).parents[1]


def generator():
    spec = importlib.util.spec_from_file_location("schema_table_script", ROOT / "scripts" / "schema_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_table_is_what_the_models_generate():
    assert (ROOT / "model_index" / "schema_table.py").read_text(encoding="utf-8") == generator().render(), \
        "schema.py changed: run scripts/schema_table.py"


def test_the_shape_read_from_the_table_is_the_models():
    for node in schema.SCHEMA_NODES:
        assert shape.aliases(node.__name__) == tuple(f.alias for f in node.model_fields.values())
    assert [alias for alias, _, _ in shape.children("Model")] == ["Metadata", "Results", "Paper", "Code"]
    assert dict((a, (n, many)) for a, n, many in shape.children("Model"))["Results"] == ("Result", True)
    assert shape.children("Result") == ()


def test_a_field_of_a_type_without_a_kind_stops_the_generator(monkeypatch):
    class Odd(schema.Node):
        tags: set[str] | None = Field(None, alias="Tags")

    monkeypatch.setattr(schema, "SCHEMA_NODES", (*schema.SCHEMA_NODES, Odd))
    with pytest.raises(SystemExit, match="no kind for"):
        generator().render()


def test_a_required_field_stops_the_generator(monkeypatch):
    class Strict(schema.Node):
        name: str = Field(alias="Name")

    monkeypatch.setattr(schema, "SCHEMA_NODES", (*schema.SCHEMA_NODES, Strict))
    with pytest.raises(SystemExit, match="optional"):
        generator().render()
