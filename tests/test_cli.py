"""The command line: exit codes, options, formats, --fix end to end, and what it imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import cli, lint
from model_index.rules import all_rules

ROOT = Path(__file__).parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "big-transfer.md"
CORPUS = ROOT / ".." / "shared" / "corpus" / "timm-docs-2021" / "models"
CLEAN = "# Clean\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: 224\n-->\n"
BROKEN = "# Broken\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: large\n-->\n"
UNKNOWN_KEY = "# Typo\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Imag Size: 224\n-->\n"
QUOTED = "# Quoted\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: '224'\n-->\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the CLI in an empty directory (no pyproject.toml above it that could configure it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("MODEL_INDEX_DEBUG", raising=False)

    def invoke(*args: str, env: dict | None = None):
        return CliRunner().invoke(cli.main, list(args), env=env)

    return invoke


def _card(directory: Path, text: str, name: str = "card.md") -> str:
    (directory / name).write_text(text, encoding="utf-8")
    return name


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_exit_codes(run, tmp_path):
    clean, broken = _card(tmp_path, CLEAN, "clean.md"), _card(tmp_path, BROKEN, "broken.md")
    warned = _card(tmp_path, UNKNOWN_KEY, "warned.md")
    static = ("--no-cross-check",)
    assert run("validate", clean, *static).exit_code == 0
    assert run("validate", broken, *static).exit_code == 1
    assert run("validate", broken, "--exit-zero", *static).exit_code == 0
    assert run("validate", warned, *static).exit_code == 0
    assert run("validate", warned, "--strict", *static).exit_code == 1
    assert run("validate", warned, "--strict", "--exit-zero", *static).exit_code == 0


@pytest.mark.parametrize("args", [
    ("validate", "card.md", "--select", "MI999"),
    ("validate", "card.md", "--ignore", "MI2,nonsense"),
    ("validate", "card.md", "--output-format", "xml"),
    ("validate", "card.md", "--no-such-option"),
    ("validate",),
    ("no-such-command",),
])
def test_usage_errors_exit_2_without_a_traceback(run, tmp_path, args):
    _card(tmp_path, CLEAN)
    result = run(*args, "--no-cross-check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught exception


def test_a_broken_pyproject_exits_2(run, tmp_path):
    _card(tmp_path, CLEAN)
    (tmp_path / "pyproject.toml").write_text('[tool.model-index]\nselect = "MI9"\n', encoding="utf-8")
    result = run("validate", "card.md", "--no-cross-check")
    assert result.exit_code == 2 and "Traceback" not in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.model-index\n', encoding="utf-8")
    assert run("validate", "card.md", "--no-cross-check").exit_code == 2


def test_the_pyproject_table_and_an_explicit_config(run, tmp_path):
    _card(tmp_path, BROKEN)
    (tmp_path / "pyproject.toml").write_text('[tool.model-index]\nseverity = {MI002 = "info"}\n', encoding="utf-8")
    data = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json"))
    assert data["summary"]["errors"] == 0 and data["summary"]["infos"] >= 1
    other = tmp_path / "elsewhere.toml"
    other.write_text('[tool.model-index]\nignore = ["wrong-type"]\n', encoding="utf-8")
    data = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json", "--config", str(other)))
    assert "MI002" not in {d["code"] for d in data["diagnostics"]}


def test_an_internal_failure_exits_2_with_a_short_message(run, tmp_path, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lint, "validate", explode)  # the command imports it when it runs
    _card(tmp_path, CLEAN)
    quiet = run("validate", "card.md", "--no-cross-check")
    assert quiet.exit_code == 2 and "Traceback" not in quiet.output and "boom" in quiet.output
    loud = run("validate", "card.md", "--no-cross-check", env={"MODEL_INDEX_DEBUG": "1"})
    assert loud.exit_code == 2 and "Traceback" in loud.output
    assert run("--debug", "validate", "card.md", "--no-cross-check").output.count("Traceback") == 1


@pytest.mark.parametrize("options", [("--select", "MI0"), ("--select", "MI3,MI0"), ("--select", "wrong-type"),
                                     ("--select", "ALL")])
def test_select_forms(run, tmp_path, options):
    _card(tmp_path, BROKEN)
    data = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json", *options))
    assert "MI002" in {d["code"] for d in data["diagnostics"]}


@pytest.mark.parametrize("options", [("--select", "MI3"), ("--ignore", "MI0"),
                                     ("--ignore", "MI1", "--ignore", "MI002")])
def test_select_and_ignore_turn_rules_off(run, tmp_path, options):
    _card(tmp_path, BROKEN)
    result = run("validate", "card.md", "--no-cross-check", "--output-format", "json", *options)
    assert "MI002" not in {d["code"] for d in _json(result)["diagnostics"]}


def test_every_given_file_is_counted_also_when_unreadable(run, tmp_path):
    _card(tmp_path, CLEAN)
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    result = run("validate", "card.md", "binary.md", "latin1.md", "missing.md", "--no-cross-check",
                 "--output-format", "json")
    data = _json(result)
    assert result.exit_code == 1
    assert data["summary"]["files"] == 4
    unreadable = {d["path"] for d in data["diagnostics"] if d["code"] == "MI000"}
    assert unreadable == {"binary.md", "latin1.md", "missing.md"}
    assert all(d["line"] == 1 for d in data["diagnostics"] if d["code"] == "MI000")


def test_output_file(run, tmp_path):
    _card(tmp_path, BROKEN)
    result = run("validate", "card.md", "--no-cross-check", "--output-format", "json", "-o", "report.json")
    assert result.exit_code == 1 and result.stdout == ""
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["files"] == 1 and report["diagnostics"][0]["path"] == "card.md"
    assert run("validate", "card.md", "--no-cross-check", "-o", "no/such/dir/r.txt").exit_code == 2


def test_auto_is_github_under_actions(run, tmp_path):
    _card(tmp_path, BROKEN)
    summary = tmp_path / "step-summary.md"
    result = run("validate", "card.md", "--no-cross-check",
                 env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=card.md,line=7,")
    assert "| MI002 |" in summary.read_text(encoding="utf-8")
    plain = run("validate", "card.md", "--no-cross-check")
    assert plain.stdout.startswith("card.md:7:")


@pytest.mark.parametrize("fmt", ["concise", "full", "json", "github", "sarif"])
def test_every_format_on_the_seed_card(run, fmt):
    result = run("validate", str(SEED), "--no-cross-check", "--output-format", fmt, "--exit-zero")
    assert result.exit_code == 0 and result.stdout
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)


@pytest.mark.parametrize("environ, tty, expected", [({}, True, True), ({"NO_COLOR": "1"}, True, False),
                                                   ({}, False, False)])
def test_color_only_on_a_terminal_without_no_color(monkeypatch, environ, tty, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    assert cli.use_color(None) is expected
    assert cli.use_color(Path("report.txt")) is False


def test_statistics(run, tmp_path):
    _card(tmp_path, BROKEN)
    rows = _json(run("validate", "card.md", "--no-cross-check", "--statistics", "--output-format", "json"))
    assert any(row["code"] == "MI002" and row["count"] >= 1 for row in rows)


def test_rules_command(run):
    text = run("rules")
    assert text.exit_code == 0
    codes = [rule.code for rule in all_rules()]
    assert [line.split()[0] for line in text.stdout.splitlines()] == codes
    listed = json.loads(run("rules", "--output-format", "json").stdout)
    assert [r["code"] for r in listed] == codes
    assert all({"code", "name", "severity", "fixable", "doc"} <= set(r) for r in listed)


def test_fix_end_to_end(run, tmp_path):
    _card(tmp_path, QUOTED)
    before = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json"))
    assert [(d["code"], d["line"]) for d in before["diagnostics"] if d["fix"]] == [("MI201", 7)]
    diff = run("validate", "card.md", "--no-cross-check", "--diff")
    assert diff.exit_code == 1 and "+    Image Size: 224" in diff.stdout
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == QUOTED
    fixed = run("validate", "card.md", "--no-cross-check", "--fix", "--output-format", "json")
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == QUOTED.replace("'224'", "224")
    after = json.loads(fixed.stdout)
    assert not [d for d in after["diagnostics"] if d["fix"]]
    assert after["summary"]["files"] == 1
    again = run("validate", "card.md", "--no-cross-check", "--diff")
    assert again.exit_code == 0 and again.stdout == ""


def test_fix_applies_overlapping_fixes_in_further_passes(run, tmp_path):
    # insecure-url and url-double-slash both rewrite this URL: one pass can take only one of them.
    url_card = CLEAN.replace("  Metadata:", "  Code: http://example.org//timm/resnet.py\n  Metadata:")
    _card(tmp_path, url_card)
    fixed = run("validate", "card.md", "--no-cross-check", "--fix", "--output-format", "json")
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == url_card.replace(
        "http://example.org//timm", "https://example.org/timm")
    assert fixed.exit_code == 0 and _json(fixed)["diagnostics"] == []


TWO_PASSES = CLEAN.replace("  Metadata:", "  Code: http://example.org//timm/resnet.py\n  Metadata:").replace(
    "Image Size: 224", "Image Size: '224'\n    Interpolation: Bicubic")


def test_diff_shows_exactly_what_fix_writes(run, tmp_path):
    # The Code URL needs two passes (https, then the doubled slash): --diff shows both.
    for folder in ("diffed", "fixed"):
        (tmp_path / folder).mkdir()
        _card(tmp_path / folder, TWO_PASSES)
    diff = run("validate", "diffed/card.md", "--no-cross-check", "--diff")
    assert diff.exit_code == 1
    assert (tmp_path / "diffed" / "card.md").read_text(encoding="utf-8") == TWO_PASSES  # --diff writes nothing
    subprocess.run(["patch", "-p1", "-s"], input=diff.stdout.encode(), cwd=tmp_path, check=True)
    run("validate", "fixed/card.md", "--no-cross-check", "--fix")
    fixed = (tmp_path / "fixed" / "card.md").read_bytes()
    assert (tmp_path / "diffed" / "card.md").read_bytes() == fixed
    assert b"https://example.org/timm/resnet.py" in fixed and b"Image Size: 224\n" in fixed


def test_fix_with_diff_writes_nothing(run, tmp_path):
    _card(tmp_path, TWO_PASSES)
    result = run("validate", "card.md", "--no-cross-check", "--fix", "--diff")
    assert result.exit_code == 1 and "+  Code: https://example.org/timm/resnet.py" in result.stdout
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == TWO_PASSES


def test_unsafe_fixes_wait_for_unsafe_fixes(run, tmp_path):
    # A misspelt interpolation is fixed to the name it resembles: an unsafe fix; a case slip is safe.
    text = CLEAN.replace("Image Size: 224", "Image Size: 224\n    Interpolation: bicubc")
    _card(tmp_path, text)
    report = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json"))
    assert [(d["code"], d["fix"]["applicability"]) for d in report["diagnostics"]] == [("MI204", "unsafe")]
    assert run("validate", "card.md", "--no-cross-check", "--fix").exit_code == 1
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == text
    assert run("validate", "card.md", "--no-cross-check", "--fix", "--unsafe-fixes").exit_code == 0
    assert "Interpolation: bicubic\n" in (tmp_path / "card.md").read_text(encoding="utf-8")
    _card(tmp_path, TWO_PASSES)
    report = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json"))
    assert {d["fix"]["applicability"] for d in report["diagnostics"]} == {"safe"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared is not available")
def test_the_real_corpus_counts_every_card(run):
    cards = sorted(CORPUS.resolve().glob("*.md"))
    data = _json(run("validate", *map(str, cards), "--no-cross-check", "--output-format", "json", "--exit-zero"))
    assert data["summary"]["files"] == len(cards) == 50
    assert data["summary"]["models"] > 0


def test_static_validation_imports_neither_torch_timm_nor_jinja2(tmp_path):
    _card(tmp_path, BROKEN)
    code = (
        "import sys\n"
        "from model_index.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(tmp_path / 'card.md')!r}, '--no-cross-check', '--output-format', 'sarif'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('torch', 'timm', 'jinja2') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_fix_keeps_a_json_file_json(run, tmp_path):
    text = '{"Models": [{"Name": "j", "Code": "http://example.org/a.py", "Metadata": {"Image Size": "224"}}]}'
    _card(tmp_path, text, "zoo.json")
    assert run("validate", "zoo.json", "--no-cross-check", "--fix").exit_code == 0
    fixed = json.loads((tmp_path / "zoo.json").read_text(encoding="utf-8"))
    assert fixed["Models"][0]["Code"] == "https://example.org/a.py"
    assert fixed["Models"][0]["Metadata"]["Image Size"] == 224


def test_fix_quotes_what_a_flow_collection_would_misread(run, tmp_path):
    text = "# Flow\n\n<!--\nModels: [{Name: a, Code: 'http://example.org/a,b'}]\n-->\n"
    _card(tmp_path, text)
    after = _json(run("validate", "card.md", "--no-cross-check", "--fix", "--output-format", "json"))
    assert after["diagnostics"] == []
    assert "Code: 'https://example.org/a,b'" in (tmp_path / "card.md").read_text(encoding="utf-8")


def test_a_block_scalar_is_reported_but_never_rewritten(run, tmp_path):
    text = "# Block\n\n<!--\nModels:\n- Name: a\n  Metadata:\n    Interpolation: >-\n      Bicubic\n-->\n"
    _card(tmp_path, text)
    report = _json(run("validate", "card.md", "--no-cross-check", "--output-format", "json"))
    assert [(d["code"], d["line"], d["fix"]) for d in report["diagnostics"]] == [("MI204", 7, None)]
    run("validate", "card.md", "--no-cross-check", "--fix")
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("layout, given", [
    ({"docs/mkdocs.yml": "site_name: Zoo\nnav: [index.md]\n", "docs/.github/ci.yml": "on: push\n"}, "docs"),
    ({"docs/index.md": "# A page without metadata\n"}, "docs"),
    ({"docs/card.markdown.txt": CLEAN}, "docs"),
])
def test_a_run_that_finds_no_card_says_so_and_exits_2(run, tmp_path, layout, given):
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("validate", given, "--no-cross-check")
    assert result.exit_code == 2 and "no model card found" in result.stderr and result.stdout == ""


def test_a_path_that_does_not_exist_is_named_as_such_and_exits_2(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("validate", "missing.md", "--no-cross-check")
    assert result.exit_code == 2 and result.stdout == ""
    assert "missing.md" in result.stderr and "no model card found" not in result.stderr
    result = run("validate", "missing.md", "empty", "--no-cross-check")  # each path with what is wrong with it
    assert result.exit_code == 2
    assert "no model card found in empty" in result.stderr and "found in missing.md" not in result.stderr


def test_a_markdown_file_given_by_name_is_checked_even_without_metadata(run, tmp_path):
    _card(tmp_path, "# Just prose\n", "README.md")
    assert run("validate", "README.md", "--no-cross-check").exit_code == 0  # as the pre-commit hook passes it


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared is not available")
def test_mdx_cards_are_read_like_markdown(run, tmp_path):
    (tmp_path / "docs").mkdir()
    for card in ("big-transfer.md", "resnet.md"):
        text = (CORPUS / card).read_text(encoding="utf-8")
        (tmp_path / "docs" / card).with_suffix(".mdx").write_text(text, encoding="utf-8")
    as_mdx = _json(run("validate", "docs", "--no-cross-check", "--output-format", "json"))
    as_md = _json(run("validate", *(str(CORPUS / c) for c in ("big-transfer.md", "resnet.md")),
                      "--no-cross-check", "--output-format", "json"))
    assert as_mdx["summary"] == as_md["summary"] and as_mdx["summary"]["models"] > 10
    assert [(d["code"], d["line"]) for d in as_mdx["diagnostics"]] == \
        [(d["code"], d["line"]) for d in as_md["diagnostics"]]


def test_the_pre_commit_hook_passes_mdx_cards():
    import re

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("docs/resnet.md", "hfdocs/source/models/resnet.mdx", "model-index.yml"))
    assert not any(files.search(p) for p in ("mkdocs.yml", "notes.txt"))


def test_write_baseline_does_not_go_with_fix(run, tmp_path):
    _card(tmp_path, BROKEN)
    result = run("validate", "card.md", "--no-cross-check", "--fix", "--write-baseline", "b.json")
    assert result.exit_code == 2 and not (tmp_path / "b.json").exists()


def _readme_example() -> tuple[str, list[tuple[str, int, int, str]]]:
    """The Quick start's card (the Markdown block after "save this card") and the (path, line,
    column, code) of each report line its sample output shows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```markdown\n", text.index("save this card")) + len("```markdown\n")
    card = text[start:text.index("```\n", start)]
    output = text[text.index("$ model-index validate card.md\n", start):]
    output = output[:output.index("```")]
    shown = [(m[1], int(m[2]), int(m[3]), m[4]) for m in re.finditer(r"^(\S+):(\d+):(\d+): (MI\d+) ", output, re.M)]
    return card, shown


@pytest.mark.timm
def test_the_readmes_quick_start_example_reports_what_it_shows(run, tmp_path):
    """A PyPI user can reproduce the README's sample: the card is in the README, the output matches."""
    pytest.importorskip("timm")
    card, shown = _readme_example()
    (tmp_path / "card.md").write_text(card, encoding="utf-8")
    report = _json(run("validate", "card.md", "--output-format", "json", "--cache-dir", str(tmp_path / "cache")))
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in report["diagnostics"]] == shown
    assert {code for *_, code in shown} == {"MI201", "MI302", "MI306"}
