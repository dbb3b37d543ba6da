"""Path confinement: what is read (inside the root, regular files, capped) and how files are written
(atomically, never through a link, keeping mode), as the loader and --fix use it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from model_index import files

CARD = "<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: '224'\n-->\n"
posix_only = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and devices as POSIX has them")


@pytest.fixture
def alarm():
    """Fail instead of hanging when a read blocks (a FIFO opened the wrong way)."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the read blocked"))
    signal.alarm(10)
    yield
    signal.alarm(0)


@posix_only
def test_the_folder_walk_does_not_read_a_card_linked_from_outside(write_file, run_static, tmp_path):
    secret = write_file("outside/secret.md", CARD.format(name="secret_model"))
    write_file("docs/own.md", CARD.format(name="own"))
    (tmp_path / "docs" / "link.md").symlink_to(secret)
    index, result = run_static([tmp_path / "docs"])
    assert [m.name for m in index.models] == ["own"]
    assert result.summary.files == 2
    refused = [d for d in result.diagnostics if d.path.endswith("link.md")]
    assert [(d.code, d.span.line) for d in refused] == [("MI000", 1)]
    assert all("secret_model" not in text for text in index.texts.values())


@posix_only
def test_a_link_inside_the_folder_is_read(write_file, run_static, tmp_path):
    target = write_file("docs/sub/real.md", CARD.format(name="real"))
    (tmp_path / "docs" / "alias.md").symlink_to(target)
    index, result = run_static([tmp_path / "docs"])
    assert [m.name for m in index.models] == ["real"]
    assert "MI000" not in {d.code for d in result.diagnostics}


@posix_only
def test_a_file_given_is_confined_to_its_folder(write_file, run_static, tmp_path):
    secret = write_file("secret.md", CARD.format(name="secret"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "card.md").symlink_to(secret)
    index, result = run_static([tmp_path / "docs" / "card.md"])
    assert index.models == [] and [d.code for d in result.diagnostics] == ["MI000"]


@posix_only
def test_a_fifo_is_not_read_and_does_not_block(write_file, run_static, tmp_path, alarm):
    write_file("docs/own.md", CARD.format(name="own"))
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    index, result = run_static([tmp_path / "docs"])
    assert [(d.code, d.path.endswith("pipe.md")) for d in result.diagnostics if d.code == "MI000"] == [("MI000", True)]
    assert result.summary.files == 2


@posix_only
def test_a_device_is_not_read(alarm):
    with pytest.raises(files.Refused):
        files.read_bytes("/dev/zero", files.Root.of("/dev"))
    with pytest.raises(files.Refused):
        files.read_bytes("/dev/zero")


def test_a_file_over_the_cap_is_refused(write_file, run_static):
    big = write_file("big.md", "x" * (files.MAX_FILE_BYTES + 1))
    _, result = run_static([big])
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MI000", 1)]
    assert files.read_bytes(big, cap=files.MAX_FILE_BYTES + 1)  # the cap decides, not the file


def test_text_is_read_with_newlines_as_python_reads_them(write_file):
    path = write_file("a.md", "\ufeffone\r\ntwo\rthree\n".encode("utf-8"))
    assert files.read_text(path) == path.read_text(encoding="utf-8-sig") == "one\ntwo\nthree\n"


def test_replace_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "card.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    files.replace(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.md"]


@posix_only
def test_replace_never_writes_through_a_link(tmp_path):
    target = tmp_path / "target.md"
    target.write_text("keep", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(target)
    with pytest.raises(files.Refused):
        files.replace(tmp_path / "link.md", b"changed")
    assert target.read_text(encoding="utf-8") == "keep" and (tmp_path / "link.md").is_symlink()


@posix_only
def test_a_failed_write_leaves_the_file_intact(tmp_path):
    """A full disk, as RLIMIT_FSIZE makes one: the write fails and the old file is whole."""
    path = tmp_path / "card.md"
    original = ("x" * 100 + "\n") * 100  # 10 KB
    path.write_text(original, encoding="utf-8")
    code = ("import resource, sys\nfrom model_index import files\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
            f"try:\n    files.replace({str(path)!r}, b'y' * 10_000)\nexcept OSError:\n"
            "    sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.md"]


@posix_only
def test_write_under_refuses_a_link_in_the_output_folder(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "models").symlink_to(elsewhere)
    (out / "page.md").symlink_to(elsewhere / "page.md")
    root = files.Root.of(out)
    for relative in ("models/card.md", "page.md", "../escape.md"):
        with pytest.raises(files.Refused):
            files.write_under(root, relative, b"x")
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "escape.md").exists()
    assert files.write_under(root, "new/deeper/page.md", b"x").read_bytes() == b"x"


@posix_only
def test_copy_tree_copies_files_inside_and_names_what_it_leaves_out(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    (docs / "img").mkdir(parents=True)
    (docs / "index.md").write_text("home", encoding="utf-8")
    (docs / "img" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (docs / "readme.md").symlink_to(tmp_path / "secret.txt")
    (docs / "same.md").symlink_to(docs / "index.md")
    (docs / "all").symlink_to(tmp_path)
    os.mkfifo(docs / "pipe.md")
    out.mkdir()
    skipped = files.copy_tree(docs, files.Root.of(out))
    copied = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert copied == ["img/a.png", "index.md", "same.md"]
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert sorted(Path(line.split(":")[0]).name for line in skipped) == ["all", "pipe.md", "readme.md"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root can give a file to another owner")
def test_replace_keeps_the_owner(tmp_path):
    path = tmp_path / "card.md"
    path.write_text("old", encoding="utf-8")
    os.chown(path, 12345, 23456)
    files.replace(path, b"new")
    info = path.stat()
    assert (info.st_uid, info.st_gid, path.read_bytes()) == (12345, 23456, b"new")


@posix_only
def test_a_pyproject_linked_to_a_device_is_passed_over(tmp_path, alarm):
    from model_index.config import find_pyproject

    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "pyproject.toml").symlink_to("/dev/zero")
    (tmp_path / "pyproject.toml").write_text("[tool.model-index]\nignore = ['MI205']\n", encoding="utf-8")
    assert find_pyproject(tmp_path / "project") == tmp_path / "pyproject.toml"


def test_a_pyproject_nested_too_deep_is_a_configuration_error(tmp_path):
    from model_index.config import ConfigError, load_config

    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.model-index]\nselect = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


def test_the_rules_documentation_states_the_caps():
    from model_index import extract, globs
    from model_index.rules import REGISTRY, all_rules

    all_rules()
    mib = 1024 * 1024
    assert f"{files.MAX_FILE_BYTES // mib} MiB" in REGISTRY["MI000"].doc
    assert f"{extract.MAX_BLOCK_CHARS // mib} MiB" in REGISTRY["MI004"].doc
    assert f"{globs.MAX_IMPORT_ENTRIES:,}" in REGISTRY["MI108"].doc
    assert f"{globs.MAX_PATTERN_CHARS} characters" in REGISTRY["MI108"].doc


@posix_only
def test_a_path_given_that_a_link_leads_out_of_the_working_directory_is_not_walked(tmp_path, monkeypatch):
    from model_index.lint import Options, validate

    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.md").write_text(CARD.format(name="secret_model"), encoding="utf-8")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "docs").symlink_to(tmp_path / "secret")
    monkeypatch.chdir(checkout)
    index, result = validate(["docs", "docs/key.md"], options=Options(cross_check="never"))
    assert index.models == [] and index.texts == {}
    assert [(d.code, d.path) for d in result.diagnostics] == [("MI000", "docs"), ("MI000", "docs/key.md")]
    assert result.summary.files == 2
    outside, _ = validate([str(tmp_path / "secret")], options=Options(cross_check="never"))  # named outright
    assert [m.name for m in outside.models] == ["secret_model"]
