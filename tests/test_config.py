"""[tool.model-index]: selection by code, prefix, name and ALL; severity overrides; bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from model_index.config import Config, ConfigError, find_pyproject, from_table, load_config
from model_index.diagnostics import Severity
from model_index.lint import Options, validate
from model_index.rules import REGISTRY, all_rules

all_rules()
WRONG_TYPE = REGISTRY["MI002"]
UNKNOWN_KEY = REGISTRY["MI008"]
CARD = "# Demo\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: large\n-->\n"


@pytest.mark.parametrize("select, ignore, on", [
    (["ALL"], [], True),
    (["MI0"], [], True),
    (["MI00"], ["MI008"], True),
    (["MI3"], [], False),
    (["wrong-type"], [], True),
    (["ALL"], ["MI0"], False),
    (["MI002"], ["MI0"], True),  # the more specific selector wins, as in ruff
    (["MI0"], ["wrong-type"], False),
    (["MI002"], ["MI002"], False),  # equally specific: ignore wins
])
def test_selection(select, ignore, on):
    assert (Config(select=select, ignore=ignore).rule_severity(WRONG_TYPE) is not None) is on


def test_severity_overrides_most_specific_first():
    config = from_table({"severity": {"MI0": "warning", "MI002": "info", "unknown-key": "error"}})
    assert config.rule_severity(WRONG_TYPE) is Severity.INFO
    assert config.rule_severity(UNKNOWN_KEY) is Severity.ERROR
    assert config.rule_severity(REGISTRY["MI001"]) is Severity.WARNING
    assert Config().rule_severity(UNKNOWN_KEY) is UNKNOWN_KEY.severity


def test_the_linter_stamps_the_configured_severity(tmp_path):
    card = tmp_path / "demo.md"
    card.write_text(CARD, encoding="utf-8")
    config = from_table({"severity": {"wrong-type": "info"}, "select": ["MI0"]})
    _, result = validate([card], config, Options(cross_check="never"))
    hits = [d for d in result.diagnostics if d.code == "MI002"]
    assert hits and all(d.severity is Severity.INFO for d in hits)
    assert result.summary.infos == len(hits) and result.summary.errors == 0
    _, result = validate([card], from_table({"ignore": ["MI002"]}), Options(cross_check="never"))
    assert "MI002" not in {d.code for d in result.diagnostics}


@pytest.mark.parametrize("table", [
    {"selct": ["MI2"]},
    {"select": ["MI999"]},
    {"select": [""]},
    {"select": 3},
    {"ignore": ["no-such-rule"]},
    {"severity": {"MI002": "fatal"}},
    {"severity": {"MI002": ["error"]}},
    {"severity": {"MI9": "error"}},
    {"severity": "error"},
    {"cross-check": "sometimes"},
    {"cache-dir": 3},
])
def test_bad_settings_are_errors(table):
    with pytest.raises(ConfigError):
        from_table(table)


@pytest.mark.parametrize("value", ["auto", "always", "never", "timm"])
def test_cross_check_settings(value):
    assert from_table({"cross-check": value}).cross_check == value


def _pyproject(directory: Path, text: str) -> Path:
    path = directory / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_pyproject_with_the_table_is_used(tmp_path):
    _pyproject(tmp_path, '[tool.model-index]\nselect = ["MI0"]\ncache-dir = ".cache"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    _pyproject(tmp_path / "a", '[project]\nname = "other"\n')
    config = load_config(start=nested)
    assert config.select == ["MI0"] and config.source == tmp_path / "pyproject.toml"
    assert Path(config.cache_dir) == tmp_path / ".cache"


def test_a_broken_pyproject_that_mentions_the_tool_is_an_error(tmp_path):
    _pyproject(tmp_path, '[tool.model-index\nselect = ["MI0"]\n')
    with pytest.raises(ConfigError):
        load_config(start=tmp_path)


def test_a_broken_unrelated_pyproject_is_passed_over(tmp_path):
    _pyproject(tmp_path, '[project\n')
    assert find_pyproject(tmp_path) != tmp_path / "pyproject.toml"  # and no ConfigError


def test_a_table_that_is_not_a_table(tmp_path):
    path = _pyproject(tmp_path, '[tool]\nmodel-index = 3\n')
    with pytest.raises(ConfigError):
        load_config(path)


def test_an_explicit_file_without_the_table_gives_defaults(tmp_path):
    assert load_config(_pyproject(tmp_path, '[project]\nname = "x"\n')).select == ["ALL"]


def test_an_unrelated_pyproject_with_a_scalar_tool_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    nested = tmp_path / "project"
    nested.mkdir()
    (nested / "pyproject.toml").write_text("[tool.model-index]\nignore = ['MI205']\n", encoding="utf-8")
    assert find_pyproject(tmp_path) is None
    assert find_pyproject(nested) == nested / "pyproject.toml"


@pytest.mark.parametrize("table, message", [
    ({"selct": ["MI2"]}, "did you mean 'select'"),
    ({"select": ["unknwn-key"]}, "did you mean 'unknown-key'"),
    ({"extend-select": ["MI99"]}, "MI99"),
    ({"per-file-ignores": {"legacy/*": ["number-as-strng"]}}, "did you mean 'number-as-string'"),
    ({"per-file-ignores": ["legacy/*"]}, "per-file-ignores"),
    ({"exclude": "site/"}, None),
    ({"extend-exclude": [3]}, "extend-exclude"),
    ({"extra-keys": {"Converted From": "mapp"}}, "did you mean 'mapping'"),
    ({"extra-keys": {"Metdata.Training Memory (GB)": "number"}}, "did you mean 'Metadata'"),
    ({"extra-keys": {"Downstream": ["list"]}}, "Downstream"),
    ({"baseline": 3}, "baseline"),
    ({"per-file-crosscheck": {"hub/": "auto"}}, "did you mean 'per-file-cross-check'"),
    ({"per-file-cross-check": {"hub/": "Timm"}}, "did you mean 'timm'"),
    ({"per-file-cross-check": {"hub/": "nevr"}}, "did you mean 'never'"),
    ({"per-file-cross-check": {"hub/": "always"}}, "hub/"),  # whether it runs is the run's, not a file's
    ({"per-file-cross-check": {"hub/": True}}, "hub/"),
    ({"per-file-cross-check": ["hub/"]}, "per-file-cross-check"),
    ({"cross-check": "tim"}, "did you mean 'timm'"),
])
def test_new_settings_are_checked_with_a_did_you_mean(table, message):
    if message is None:
        assert from_table(table).exclude == ["site/"]
        return
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_table(table)


def test_extend_select_adds_to_select_and_per_file_ignores_remove_by_path(tmp_path):
    config = from_table({"select": ["MI0"], "extend-select": ["MI201"],
                         "per-file-ignores": {"legacy/": ["MI0"], "*.mdx": ["MI201"], "docs/old/*.md": ["ALL"]}})
    config.source = tmp_path / "pyproject.toml"
    number_as_string = REGISTRY["MI201"]
    assert config.rule_severity(number_as_string) is number_as_string.severity
    assert config.rule_severity(REGISTRY["MI205"]) is None
    assert config.rule_severity(WRONG_TYPE, str(tmp_path / "legacy" / "a" / "card.md")) is None
    assert config.rule_severity(WRONG_TYPE, str(tmp_path / "new" / "card.md")) is not None
    assert config.rule_severity(number_as_string, str(tmp_path / "new" / "card.mdx")) is None
    assert config.rule_severity(number_as_string, str(tmp_path / "new" / "card.md")) is not None
    assert config.rule_severity(WRONG_TYPE, str(tmp_path / "docs" / "old" / "x.md")) is None
    assert config.rule_severity(WRONG_TYPE, str(tmp_path / "x" / "docs" / "old" / "x.md")) is not None


def test_the_command_line_select_replaces_extend_select_too(tmp_path, monkeypatch):
    from model_index.cli import configure

    (tmp_path / "pyproject.toml").write_text('[tool.model-index]\nextend-select = ["MI008"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = configure(None, ("MI002",), ())
    assert config.rule_severity(WRONG_TYPE) is not None and config.rule_severity(UNKNOWN_KEY) is None


def test_exclude_and_extend_exclude_skip_paths_of_the_walk(tmp_path):
    for name in ("cards/a.md", "cards/drafts/b.md", "cards/c.draft.md", "cards/legacy/d.md", "x/legacy/e.md",
                 "site/f.md", ".hidden/g.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"<!--\nModels:\n- Name: {Path(name).stem}\n-->\n", encoding="utf-8")
    config = from_table({"extend-exclude": ["drafts/", "*.draft.md", "cards/legacy"]})
    config.source = tmp_path / "pyproject.toml"

    def names(config, *paths):
        index, _ = validate(paths or [tmp_path], config, Options(cross_check="never"))
        return sorted(m.name for m in index.models)

    assert names(config) == ["a", "e"]
    assert names(from_table({"exclude": []})) == ["a", "b", "c.draft", "d", "e", "f", "g"]
    assert names(Config()) == ["a", "b", "c.draft", "d", "e"]  # the defaults skip site/ and hidden folders
    assert names(config, tmp_path / "cards" / "drafts" / "b.md") == ["b"]  # named explicitly: checked


def test_the_default_exclude_is_the_walks_default():
    from model_index.index import skipped_by_default

    config = Config()
    for name in (".git", ".cache", "venv", ".venv", "node_modules", "site", "__pycache__", "docs", "models"):
        for is_dir in (True, False):
            assert config.excluded(Path("zoo") / name, is_dir) is skipped_by_default(Path("zoo") / name, is_dir)


def test_per_file_cross_check_scopes_files_and_the_first_matching_glob_wins(tmp_path):
    path = _pyproject(tmp_path, """\
[tool.model-index]
cross-check = "timm"

[tool.model-index.per-file-cross-check]
"hub/legacy-*.md" = "never"
"hub/" = "auto"
"*.yml" = "never"
""")
    config = load_config(path)
    scope_of = {name: config.cross_check_scope(str(tmp_path / name))
                for name in ("hub/legacy-vgg.md", "hub/vgg.md", "hub/x/metafile.yml", "models/resnet.md")}
    assert scope_of == {"hub/legacy-vgg.md": "never", "hub/vgg.md": "auto",  # the first glob, in the written order
                        "hub/x/metafile.yml": "auto", "models/resnet.md": "timm"}  # no glob: the zoo's setting
    assert config.cross_check_scope(str(tmp_path / "models/resnet.md"), cross_check="auto") == "auto"  # the run's
    assert Config().cross_check_scope("hub/vgg.md") == "auto"


def test_a_bad_per_file_cross_check_exits_2_naming_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from model_index.cli import main

    (tmp_path / "card.md").write_text(CARD, encoding="utf-8")
    _pyproject(tmp_path, '[tool.model-index.per-file-cross-check]\n"hub/" = "timn"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "card.md", "--no-cross-check"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "hub/" in result.output and "'timm'" in result.output
