"""`validate --changed-since REF`: which cards changed (git), the cross-check's scope, the report's
order, and clean failures."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import cli
from model_index.changes import ChangesError, changed_files
from model_index.lint import Options, validate

CLEAN = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: 224\n-->\n"
WARNED = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: '224'\n-->\n"  # MI201
BROKEN = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: large\n-->\n"  # an error


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose `main` has three cards; the checkout is on `topic`, one commit ahead."""
    root = tmp_path / "repo"
    (root / "cards").mkdir(parents=True)
    for name, text in [("a", WARNED), ("b", CLEAN), ("c", CLEAN)]:
        (root / "cards" / f"{name}.md").write_text(text.format(name=name), encoding="utf-8")
    (root / ".gitignore").write_text("ignored.md\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "cards")
    git(root, "checkout", "-q", "-b", "topic")
    (root / "cards" / "b.md").write_text(BROKEN.format(name="b"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "break b")
    return root


def real(*paths: Path) -> frozenset[str]:
    return frozenset(os.path.realpath(p) for p in paths)


def test_committed_staged_unstaged_and_untracked_changes_count(repo):
    cards = repo / "cards"
    assert changed_files("main", str(repo)) == real(cards / "b.md")
    (cards / "c.md").write_text(CLEAN.format(name="c") + "\n", encoding="utf-8")  # unstaged
    (cards / "new.md").write_text(CLEAN.format(name="new"), encoding="utf-8")  # untracked
    (repo / "ignored.md").write_text("x", encoding="utf-8")  # ignored: not a change
    (repo / "staged.md").write_text("x", encoding="utf-8")
    git(repo, "add", "staged.md")
    assert changed_files("main", str(cards)) == real(cards / "b.md", cards / "c.md", cards / "new.md",
                                                     repo / "staged.md")


def test_changes_on_the_base_after_the_branch_point_do_not_count(repo):
    git(repo, "checkout", "-q", "main")
    (repo / "cards" / "a.md").write_text(CLEAN.format(name="a"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "fix a on main")
    git(repo, "checkout", "-q", "topic")
    assert changed_files("main", str(repo)) == real(repo / "cards" / "b.md")  # merge base, not main's tip


def test_a_card_named_through_a_symlink_is_matched(repo, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(repo / "cards")
    options = Options(cross_check="never", changed=changed_files("main", str(repo)))
    assert options.in_scope(str(link / "b.md")) and not options.in_scope(str(link / "a.md"))


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=/tmp/x", "", "main..topic"])
def test_an_unknown_ref_is_an_error(repo, ref):
    with pytest.raises(ChangesError):
        changed_files(ref, str(repo))


def test_outside_a_repository_or_without_git_is_an_error(tmp_path, monkeypatch):
    with pytest.raises(ChangesError):
        changed_files("main", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    with pytest.raises(ChangesError):
        changed_files("main", str(tmp_path))


def test_shallow_history_without_a_merge_base_is_an_error(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "topic", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    with pytest.raises(ChangesError, match="history"):
        changed_files("origin/main", str(clone))


@pytest.fixture
def run(repo, monkeypatch):
    monkeypatch.chdir(repo)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "MODEL_INDEX_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return lambda *args: CliRunner().invoke(cli.main, list(args))


def test_cli_reports_changed_cards_first_and_still_checks_every_card(run):
    out = run("validate", "cards", "--no-cross-check", "--changed-since", "main", "--output-format", "github")
    assert out.exit_code == 1
    files = [line.split("file=")[1].split(",")[0] for line in out.stdout.splitlines() if "file=" in line]
    assert files[0] == os.path.join("cards", "b.md")  # the changed card's error comes first
    assert os.path.join("cards", "a.md") in files  # the unchanged card's warning is still reported
    data = json.loads(run("validate", "cards", "--no-cross-check", "--changed-since", "main",
                          "--output-format", "json").stdout)
    assert data["summary"]["files"] == 3


def test_duplicates_across_changed_and_unchanged_cards_are_still_found(run, repo):
    (repo / "cards" / "b.md").write_text(CLEAN.format(name="c"), encoding="utf-8")  # c is defined in c.md too
    data = json.loads(run("validate", "cards", "--no-cross-check", "--changed-since", "main",
                          "--output-format", "json").stdout)
    assert "MI102" in {d["code"] for d in data["diagnostics"]}


def test_a_name_collision_made_by_a_changed_card_is_annotated_first(tmp_path, monkeypatch):
    """A changed card takes the name of an unchanged card that sorts after it: MI102 is reported at
    the unchanged card, but it involves the changed one, so it ranks first, before the old errors
    that fill GitHub's cap, and the summary marks it changed."""
    root = tmp_path / "zoo"
    (root / "cards").mkdir(parents=True)
    cards = {"a": CLEAN, "z": CLEAN} | {f"old-{i:02}": BROKEN for i in range(12)}
    for name, text in cards.items():
        (root / "cards" / f"{name}.md").write_text(text.format(name=name), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "cards")
    git(root, "checkout", "-q", "-b", "topic")
    (root / "cards" / "a.md").write_text(CLEAN.format(name="z"), encoding="utf-8")  # now also named z
    git(root, "commit", "-q", "-am", "rename a to z")
    monkeypatch.chdir(root)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = CliRunner().invoke(cli.main, ["validate", "cards", "--no-cross-check", "--changed-since", "main",
                                        "--output-format", "github"])
    assert out.exit_code == 1
    errors = [line for line in out.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    assert f"file={os.path.join('cards', 'z.md')}," in errors[0] and "title=MI102 " in errors[0]
    rows = [line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| yes |")]
    assert len(rows) == 1 and "MI102" in rows[0]


def test_cli_fails_cleanly_on_an_unknown_ref(run):
    out = run("validate", "cards", "--no-cross-check", "--changed-since", "nope")
    assert out.exit_code == 2
    assert "--changed-since" in out.stderr and "Traceback" not in out.stderr and out.stdout == ""


@pytest.mark.timm
def test_the_cross_check_covers_only_the_changed_cards(repo, tmp_path):
    pytest.importorskip("timm")
    wrong = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    ID: resnet18\n    Parameters: 99\n-->\n"
    for name in ("x", "y"):
        (repo / "cards" / f"{name}.md").write_text(wrong.format(name=name), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "two wrong cards")
    (repo / "cards" / "y.md").write_text(wrong.format(name="y") + "\n", encoding="utf-8")
    options = Options(cache_dir=str(tmp_path / "cache"), changed=changed_files("HEAD", str(repo)))
    _, result = validate([repo / "cards"], options=options)
    measured = {Path(d.path).name for d in result.diagnostics if d.code.startswith("MI3")}
    assert measured == {"y.md"}
    assert {Path(d.path).name for d in result.diagnostics} >= {"a.md", "b.md", "y.md"}  # static: every card
    assert {Path(p).name for p in result.changed} == {"y.md"}
