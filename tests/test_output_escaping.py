"""Card text and file names on a terminal or CI log are inert; JSON and SARIF keep them exactly,
including file names whose bytes are not UTF-8."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import unquote_to_bytes

import pytest
from click.testing import CliRunner

from model_index import cli

HOSTILE = "a\x1b]0;owned\x07b\x1b[2J\u202ec"
# The Interpolation holds the escape sequences: MI204 names the value in its message.
CARD = ("<!--\nModels:\n- Name: demo\n  Metadata:\n    Interpolation: \"large "
        + HOSTILE.encode("unicode_escape").decode() + "\"\n-->\n")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT_FORMATS = ["concise", "full", "github"]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return lambda *args, env=None: CliRunner().invoke(cli.main, ["validate", *args, "--no-cross-check"], env=env)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_text_reports_print_no_control_character_of_a_card(run, tmp_path, fmt):
    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    result = run("card.md", "--output-format", fmt)
    assert result.exit_code == 1 and "owned" in result.stdout
    assert not RAW_CONTROL.search(result.stdout.replace("\n", ""))
    assert "\\x1b" in result.stdout


def test_json_keeps_the_value_exactly(run, tmp_path):
    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    report = json.loads(run("card.md", "--output-format", "json").stdout)
    assert "large " + HOSTILE in [d["actual"] for d in report["diagnostics"]]


@pytest.mark.skipif(os.name != "posix", reason="file names as bytes")
def test_a_file_name_with_a_newline_stays_on_one_line(run, tmp_path):
    name = "evil\n::error file=x::injected\x1b[31m.md"
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / name).write_text(CARD, encoding="utf-8")
    for fmt in TEXT_FORMATS:
        out = run("cards", "--output-format", fmt).stdout
        assert not any(line.startswith("::error file=x") for line in out.splitlines()), fmt
        assert not RAW_CONTROL.search(out.replace("\n", "")), fmt
    assert json.loads(run("cards", "--output-format", "json").stdout)["diagnostics"][0]["path"] == f"cards/{name}"


@pytest.mark.skipif(os.name != "posix" or os.uname().sysname == "Darwin", reason="file names as bytes")
@pytest.mark.parametrize("fmt", ["concise", "full", "github", "json", "sarif"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(run, tmp_path, fmt):
    folder = tmp_path / "cards"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9.md"
    with open(raw, "w", encoding="utf-8") as stream:
        stream.write(CARD)
    result = run("cards", "--output-format", fmt, "-o", "report.out")
    assert result.exit_code == 1, result.output
    written = (tmp_path / "report.out").read_bytes().decode("utf-8")  # the report is UTF-8 text
    if fmt == "json":
        assert os.fsencode(json.loads(written)["diagnostics"][0]["path"]) == b"cards/caf\xe9.md"
    elif fmt == "sarif":
        location = json.loads(written)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert unquote_to_bytes(location["artifactLocation"]["uri"]) == b"cards/caf\xe9.md"
    else:
        assert "cards/caf\\xe9.md" in written


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_the_report_file_is_not_written_through_a_link(run, tmp_path):
    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    (tmp_path / "precious").write_text("keep", encoding="utf-8")
    (tmp_path / "report.sarif").symlink_to(tmp_path / "precious")
    result = run("card.md", "--output-format", "sarif", "-o", "report.sarif")
    assert result.exit_code == 2 and "report.sarif" in result.stderr
    assert (tmp_path / "precious").read_text(encoding="utf-8") == "keep"


def test_the_diff_stops_workflow_commands_under_github_actions(run, tmp_path):
    card = "<!--\nModels:\n- Name: a\n  Metadata:\n    Image Size: '224'\n-->\n::error::a line of the card\n"
    (tmp_path / "card.md").write_text(card, encoding="utf-8")
    out = run("card.md", "--diff", env={"GITHUB_ACTIONS": "true"}).stdout.splitlines()
    token = out[0].removeprefix("::stop-commands::")
    assert out[0].startswith("::stop-commands::") and len(token) >= 16 and out[-1] == f"::{token}::"
    assert "+    Image Size: 224" in out
    plain = run("card.md", "--diff").stdout
    assert "stop-commands" not in plain


def test_notices_are_inert(run, tmp_path, monkeypatch):
    from model_index import lint

    validate = lint.validate

    def notice(paths, config, options, index=None):
        index, result = validate(paths, config, options, index)
        result.notices.append(f"a notice about {HOSTILE}\n::error::x")
        return index, result

    monkeypatch.setattr(lint, "validate", notice)
    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    err = run("card.md").stderr
    assert "owned" in err and not RAW_CONTROL.search(err.replace("\n", ""))
    assert not any(line.startswith("::error") for line in err.splitlines())


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_the_report_file_is_not_written_through_a_linked_folder(run, tmp_path):
    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (tmp_path / "reports").symlink_to(elsewhere)
    result = run("card.md", "--output-format", "json", "-o", "reports/report.json")
    assert result.exit_code == 2 and list(elsewhere.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="file names with colons")
def test_a_file_named_like_a_workflow_command_does_not_start_a_line(run, tmp_path):
    (tmp_path / "::error title=x::injected.md").write_text(CARD, encoding="utf-8")
    for fmt in TEXT_FORMATS:
        out = run(".", "--output-format", fmt).stdout
        assert not any(line.lstrip().startswith("::error title=x") for line in out.splitlines()), fmt
