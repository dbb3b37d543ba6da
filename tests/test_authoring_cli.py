"""The authoring commands on the command line: registered, and cheap to load."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from model_index import cli

COMMANDS = ["new", "export", "import", "schema", "coverage"]


def test_the_commands_are_registered():
    listed = CliRunner().invoke(cli.main, ["--help"]).stdout
    assert all(f"  {name} " in listed for name in COMMANDS)
    for name in COMMANDS:
        assert CliRunner().invoke(cli.main, [name, "--help"]).exit_code == 0


def test_loading_the_commands_imports_neither_pydantic_torch_nor_jinja2():
    code = ("import sys\nimport model_index.authoring.commands\n"
            "print(sorted(m for m in ('pydantic', 'torch', 'timm', 'jinja2', 'yaml') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]"
