"""Import globs: the same matches as Python's glob, decided before the disk is touched when they
would leave the folder, and bounded work however the glob or the tree is built."""

from __future__ import annotations

import glob
import os
import random
from pathlib import Path

import pytest

from model_index import globs

NAMES = ["a", "b.md", ".h", ".h.md", "c.yml", "ab", "x[1].md", "[x", "aXb.md"]
PATTERNS = ["*", "*.md", "**", "**/*.md", "**/*", "a/**/*.md", "*/*.md", "**/a/*", "**/*/**/*.md", "?.md",
            "[ab]*", "[!a]*", "**/.h*", ".h*/**", "x[[]1].md", "[x", "**/**/b.md", "b.md", "a/b.md", "**/[!.]*",
            "*[", "a*b*", "[a-c]*.md", "*X*"]


def _tree(base: Path, seed: int) -> None:
    rng = random.Random(seed)

    def build(folder: Path, depth: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in rng.sample(NAMES, 5):
            if depth < 3 and rng.random() < 0.5:
                build(folder / name, depth + 1)
            else:
                (folder / name).touch()

    build(base, 0)


def _expand(base: Path, pattern: str, budget: globs.Budget | None = None) -> list[str]:
    relative = globs.confine(pattern, os.path.realpath(base))
    found, truncated = globs.expand(str(base), relative, budget or globs.Budget())
    assert not truncated
    return sorted(os.path.relpath(path, base) for path in found)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_what_pythons_glob_matches(tmp_path, seed):
    _tree(tmp_path, seed)
    for pattern in PATTERNS:
        expected = sorted({match for match in glob.glob(pattern, root_dir=tmp_path, recursive=True)
                           if (tmp_path / match).is_file()})
        assert _expand(tmp_path, pattern) == expected, pattern


@pytest.mark.parametrize("pattern", ["/**/*.md", "/etc/*", "../**", "../*.md", "cards/../../*.md", "a/b/../../../x"])
def test_a_glob_that_leaves_the_folder_is_refused_before_the_disk_is_touched(tmp_path, monkeypatch, pattern):
    def touched(*args, **kwargs):
        raise AssertionError("the disk was read")

    monkeypatch.setattr(os, "scandir", touched)
    monkeypatch.setattr(os, "lstat", touched)
    assert globs.confine(pattern, str(tmp_path)) is None


def test_dot_dot_is_resolved_on_the_text(tmp_path):
    folder = tmp_path / "docs"
    assert globs.confine("../docs/cards/*.md", str(folder)) == os.path.join("cards", "*.md")
    assert globs.confine("cards/*/../*.md", str(folder)) == os.path.join("cards", "*.md")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_links_to_folders_are_never_followed(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.md").touch()
    (tmp_path / "cards" / "loop").symlink_to(tmp_path)  # ** through it would never end
    (tmp_path / "cards" / "file-link.md").symlink_to(tmp_path / "cards" / "a.md")
    assert _expand(tmp_path, "**/*.md") == ["cards/a.md", "cards/file-link.md"]


def test_alternating_stars_visit_each_entry_once(tmp_path):
    folder = tmp_path
    for depth in range(20):
        folder = folder / f"d{depth}"
        folder.mkdir()
        (folder / "card.md").touch()
    entries, parts = 40, 10  # 20 folders and 20 files; the glob's parts
    budget = globs.Budget(remaining=100_000)
    found = _expand(tmp_path, "**/*/**/*/**/*/**/*/**/card.md", budget)
    assert len(found) == 17  # card.md in the fourth folder and deeper (four `*` need four folders)
    assert 100_000 - budget.remaining <= entries * parts  # each entry compared once with each part


def test_a_glob_over_too_many_entries_stops_with_mi108(write_file, run_static, monkeypatch, make_card, lines_of):
    for i in range(30):
        write_file(f"zoo/cards/c{i:02}.md", make_card(f"Models:\n- Name: m{i}\n"))
    index_file = write_file("zoo/model-index.yml", "Import:\n- '**/*.md'\n- cards/c00.md\n")
    monkeypatch.setattr(globs, "MAX_IMPORT_ENTRIES", 10)
    index, result = run_static([index_file])
    assert lines_of(result) == [("MI108", 2), ("MI108", 3)]  # the budget is the run's: the second glob stops too
    assert len(index.models) < 30


@pytest.mark.parametrize("pattern, name, expected", [
    ("*", "abc", True), ("*", ".abc", False), (".*", ".abc", True), ("a*c", "abbbc", True), ("a*c", "abcd", False),
    ("?b", "ab", True), ("[a-c]x", "bx", True), ("[!a-c]x", "bx", False), ("[]]", "]", True), ("[", "[", True),
    ("*a*a*a*a*a*b", "a" * 200, False), ("**", "x", True), ("a[", "a[", True),
])
def test_one_name_against_one_segment(pattern, name, expected):
    assert globs.match_name(pattern, name) is expected


def test_a_glob_too_long_to_be_a_path_is_not_expanded(write_file, run_static, lines_of):
    write_file("zoo/cards/a.md", "<!--\nModels:\n- Name: a\n-->\n")
    index_file = write_file("zoo/model-index.yml", "Import:\n- '" + "*/" * 200 + "*.md'\n")
    index, result = run_static([index_file])
    assert lines_of(result) == [("MI108", 2)] and index.models == []
