"""Start-up: the commands that only print (help, version, the rule list) load neither pydantic nor
the schema, nor the YAML, template and model libraries; static validation of valid cards loads no
pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pydantic", "pydantic_core", "model_index.schema", "model_index.index", "yaml", "jinja2", "torch", "timm",
         "importlib.metadata")

RUN = """
import json, runpy, sys
sys.argv = ["model-index", *sys.argv[1:]]
try:
    runpy.run_module("model_index", run_name="__main__")
except SystemExit as done:
    code = done.code
print(json.dumps({"exit": code, "loaded": sorted(m for m in %r if m in sys.modules)}), file=sys.stderr)
""" % (HEAVY,)


def run_cli(*args: str) -> tuple[str, dict]:
    """The command's stdout, and its exit code and which heavy modules it loaded."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[1])
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args, shows", [
    (["--help"], "validate"),
    (["--version"], "model-index, version"),
    (["rules"], "MI001"),
    (["rules", "--output-format", "json"], '"code": "MI301"'),
    (["validate", "--help"], "--no-cross-check"),
    (["render", "--help"], "DOCS_DIR"),
])
def test_printing_commands_load_no_heavy_module(args, shows):
    stdout, ran = run_cli(*args)
    assert ran == {"exit": 0, "loaded": []} and shows in stdout


def test_validate_loads_pydantic_only_for_a_value_of_the_wrong_type(write_file):
    """A valid card is loaded and checked without pydantic (the type check vouches for it); a value
    of the wrong type is given to the schema, which reports it."""
    valid = write_file("valid.md", "<!--\nModels:\n- Name: a\n  Metadata:\n    Epochs: 0\n-->\n")
    stdout, ran = run_cli("validate", str(valid), "--no-cross-check", "--output-format", "json")
    assert ran["exit"] == 1 and {"model_index.index", "yaml"} <= set(ran["loaded"])
    assert not {"pydantic", "model_index.schema"} & set(ran["loaded"])
    assert [d["code"] for d in json.loads(stdout)["diagnostics"]] == ["MI202"]

    wrong = write_file("wrong.md", "<!--\nModels:\n- Name: a\n  Metadata:\n    Epochs: [0]\n-->\n")
    stdout, ran = run_cli("validate", str(wrong), "--no-cross-check", "--output-format", "json")
    assert ran["exit"] == 1 and {"pydantic", "model_index.schema"} <= set(ran["loaded"])
    assert [d["code"] for d in json.loads(stdout)["diagnostics"]] == ["MI002"]
