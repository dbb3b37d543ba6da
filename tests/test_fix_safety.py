"""--fix loses nothing: anchors stay, untouched lines keep their newlines, a failed or refused write
leaves the card whole, is said, and the report is still printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import cli
from model_index.config import Config
from model_index.diagnostics import Finding
from model_index.index import load
from model_index.lint import locate
from model_index.rules import all_rules

ANCHORED = """# Anchors

<!--
Models:
- Name: a
  Metadata:
    Image Size: &size '224'
- Name: b
  Metadata:
    Image Size: *size
-->
"""

all_rules()  # `locate` is called directly here: register every rule, as `validate` does


def _validate(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model_index", "validate", *args, "--no-cross-check"], cwd=cwd,
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return lambda *args: CliRunner().invoke(cli.main, ["validate", *args, "--no-cross-check"])


def test_a_fix_keeps_the_anchor_that_later_values_refer_to(run, tmp_path):
    (tmp_path / "card.md").write_text(ANCHORED, encoding="utf-8")
    assert run("card.md", "--fix").exit_code == 0
    text = (tmp_path / "card.md").read_text(encoding="utf-8")
    assert "    Image Size: &size 224\n" in text and "    Image Size: *size\n" in text
    index = load([tmp_path / "card.md"])
    assert [(m.name, m.value(("Metadata", "Image Size"))) for m in index.models] == [("a", 224), ("b", 224)]


def test_a_fix_for_one_model_is_not_offered_on_a_value_others_share(tmp_path):
    (tmp_path / "card.md").write_text(ANCHORED.replace("'224'", "224"), encoding="utf-8")
    index = load([tmp_path / "card.md"])
    model = index.models[0]
    one_model = locate(Finding("MI301", "size", entity=model, at=("Metadata", "Image Size"), replacement=448),
                       Config())
    written = locate(Finding("MI201", "size", entity=model, at=("Metadata", "Image Size"), replacement=224),
                     Config())
    assert one_model.fix is None
    assert (written.fix.span.line, written.fix.span.column) == (7, len("    Image Size: &size ") + 1)


def test_a_fix_of_an_anchored_value_no_one_shares_keeps_the_anchor(tmp_path):
    (tmp_path / "card.md").write_text(ANCHORED.replace("*size", "300"), encoding="utf-8")
    model = load([tmp_path / "card.md"]).models[0]
    diagnostic = locate(Finding("MI301", "size", entity=model, at=("Metadata", "Image Size"), replacement=448),
                        Config())
    assert (diagnostic.fix.span.column, diagnostic.fix.replacement) == (len("    Image Size: &size ") + 1, "448")


def test_joining_a_value_over_two_lines_keeps_every_other_line_ending(run, tmp_path):
    lines = ["# Mixed\r\n", "\r\n", "<!--\n", "Models:\r\n", "- Name: a\n", "  Metadata:\r\n",
             '    Image Size: "22\\\r\n', '      4"\n', "    Epochs: 3\r\n", "-->\n"]
    (tmp_path / "card.md").write_bytes("".join(lines).encode("utf-8"))
    before = json.loads(run("card.md", "--output-format", "json").stdout)["diagnostics"]
    assert [(d["code"], d["line"], d["end_line"], d["actual"]) for d in before] == [("MI201", 7, 8, "224")]
    result = run("card.md", "--fix", "--output-format", "json")
    assert json.loads(result.stdout)["diagnostics"] == []
    assert (tmp_path / "card.md").read_bytes().decode("utf-8") == "".join(
        lines[:6] + ["    Image Size: 224\n"] + lines[8:])


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE")
def test_a_full_disk_leaves_the_card_whole_and_the_report_printed(tmp_path):
    card = "# Big\n\n<!--\nModels:\n- Name: a\n  Metadata:\n    Image Size: '224'\n-->\n" + "prose line\n" * 1000
    (tmp_path / "card.md").write_text(card, encoding="utf-8")

    def small_disk():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = _validate("card.md", "--fix", "--output-format", "json", cwd=tmp_path, preexec_fn=small_disk)
    assert done.returncode == 2, done.stderr
    assert "card.md" in done.stderr and "Traceback" not in done.stderr
    assert [d["code"] for d in json.loads(done.stdout)["diagnostics"]] == ["MI201"]
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == card
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.md"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_linked_card_is_not_fixed_through_its_link(run, tmp_path):
    quoted = "<!--\nModels:\n- Name: a\n  Metadata:\n    Image Size: '224'\n-->\n"
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "real.md").write_text(quoted, encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "cards" / "real.md")
    result = run("link.md", "--fix", "--output-format", "json")
    assert result.exit_code == 2
    assert "link.md" in result.stderr and "symbolic link" in result.stderr
    assert json.loads(result.stdout)["diagnostics"][0]["code"] == "MI201"
    assert (tmp_path / "cards" / "real.md").read_text(encoding="utf-8") == quoted
    assert (tmp_path / "link.md").is_symlink()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_card_is_said_and_the_report_printed(run, tmp_path):
    quoted = "<!--\nModels:\n- Name: a\n  Metadata:\n    Image Size: '224'\n-->\n"
    path = tmp_path / "card.md"
    path.write_text(quoted, encoding="utf-8")
    path.chmod(0o444)
    result = run("card.md", "--fix", "--output-format", "json")
    assert result.exit_code == 2 and "card.md" in result.stderr
    assert json.loads(result.stdout)["summary"]["files"] == 1
    assert path.read_text(encoding="utf-8") == quoted
