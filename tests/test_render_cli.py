"""`model-index render` on hostile trees: the output folder may not overlap the docs folder, a file
linked from outside is not copied, and nothing is written through a link in the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index.render_cli import render_command

pytest.importorskip("jinja2")

CARD = "# Demo\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: 224\n-->\n"
posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links")


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    (docs / "models" / "demo.md").write_text(CARD, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    return docs


@pytest.mark.parametrize("out", ["docs", "docs/site", ".", "docs/models/../out"])
def test_the_output_folder_may_not_overlap_the_docs(tmp_path, monkeypatch, out):
    docs = _docs(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    run = CliRunner().invoke(render_command, ["docs", "-o", out])
    assert run.exit_code == 2 and "output folder" in run.stderr and isinstance(run.exception, SystemExit)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (docs / "models" / "demo.md").read_text(encoding="utf-8") == CARD


@posix_only
def test_a_file_linked_from_outside_is_not_copied(tmp_path):
    docs = _docs(tmp_path)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (docs / "readme.md").symlink_to(tmp_path / "secret.txt")
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(tmp_path / "out")])
    assert run.exit_code == 1 and "readme.md" in run.stderr
    assert not (tmp_path / "out" / "readme.md").exists()
    assert "secret" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                   for p in (tmp_path / "out").rglob("*.md"))
    assert (tmp_path / "out" / "index.md").exists() and "## Models" in (
        tmp_path / "out" / "models" / "demo.md").read_text(encoding="utf-8")


@posix_only
def test_a_linked_output_file_is_reported_once_and_said_once(tmp_path):
    docs = _docs(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    (out / "models").mkdir(parents=True)
    (out / "models" / "demo.md").symlink_to(elsewhere / "keep.md")
    (out / "overview.md").symlink_to(elsewhere / "keep.md")
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(out)])
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert len([line for line in lines if "demo.md" in line]) == 1
    assert [line.count("not written") for line in lines if "overview.md" in line] == [1]
    assert (elsewhere / "keep.md").read_text(encoding="utf-8") == "keep"


@posix_only
def test_nothing_is_written_through_a_link_in_the_output_folder(tmp_path):
    docs = _docs(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "demo.md").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "models").symlink_to(elsewhere)
    (out / "index.md").symlink_to(elsewhere / "index.md")
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(out)])
    assert run.exit_code == 1
    assert sorted(p.name for p in elsewhere.iterdir()) == ["demo.md"]
    assert (elsewhere / "demo.md").read_text(encoding="utf-8") == "keep"


def test_messages_are_inert(tmp_path):
    docs = _docs(tmp_path)
    (docs / "models" / "demo.md").write_text(CARD + "\n{% include 'x\x1b[2J\n::error::y' %}\n", encoding="utf-8")
    run = CliRunner().invoke(render_command, [str(docs), "-o", str(tmp_path / "out")])
    assert run.exit_code == 1 and "::error::y" in run.stderr  # the message names the template
    assert "\x1b" not in run.stderr and not any(line.startswith("::") for line in run.stderr.splitlines())


@posix_only
def test_a_linked_output_folder_that_leaves_the_working_directory_is_refused(tmp_path, monkeypatch):
    _docs(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "project" / "build").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path / "project")
    run = CliRunner().invoke(render_command, ["docs", "-o", "build/site"])
    assert run.exit_code == 2 and list(elsewhere.iterdir()) == []
