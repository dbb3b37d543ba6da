"""action.yml, the pull-request check: its steps run locally through scripts/run-action.py on a
fixture repository (one pull request changing one card), and the runner's own expression reader."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
RUNNER = ROOT / "scripts" / "run-action.py"
WARNED = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: '224'\n-->\n"  # MI201 warning
CLEAN = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: 224\n-->\n"
BROKEN = "# {name}\n\n<!--\nModels:\n- Name: {name}\n  Metadata:\n    Image Size: large\n-->\n"  # an error


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_action", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_action = _load_runner()


# --- the runner's reading of expressions, and action.yml within it ------------------------------

CONTEXTS = {"inputs": {"sarif": "true", "python-version": "", "paths": "docs"},
            "steps": {"validate": {"outputs": {"exit-code": "1"}}},
            "github": {"run_id": "7"}, "runner": {"os": "Linux", "temp": "/tmp/x"}}


@pytest.mark.parametrize("expression, value", [
    ("inputs.sarif == 'true'", True), ("inputs.sarif == 'TRUE'", True), ("inputs.python-version != ''", False),
    ("steps.validate.outputs.exit-code != '0'", True), ("steps.missing.outputs.x == ''", True),
    ("inputs.sarif == 'true' && !(inputs.paths == 'docs')", False), ("inputs.paths == 'x' || runner.os", "Linux"),
    ("'it''s'", "it's"),
])
def test_expressions(expression, value):
    assert run_action.evaluate(expression, CONTEXTS) == value


@pytest.mark.parametrize("expression", ["secrets.TOKEN", "hashFiles('x')", "inputs.sarif ==", "inputs.a ) ",
                                        "always(1)", "always("])
def test_what_the_runner_cannot_read_stops_it(expression):
    with pytest.raises(run_action.ExpressionError):
        run_action.evaluate(expression, CONTEXTS)


def test_substitution_and_conditions():
    assert run_action.substitute("${{ runner.temp }}/cache-${{ github.run_id }}", CONTEXTS) == "/tmp/x/cache-7"
    assert run_action.condition("${{ inputs.sarif == 'true' }}", CONTEXTS) is True
    assert run_action.condition(None, CONTEXTS) is True


def test_after_a_failure_only_steps_asking_for_it_run():
    """GitHub's implicit `success() &&`: without a status function an `if:` holds only while no step failed."""
    for failed in (False, True):
        assert run_action.condition(None, CONTEXTS, failed) is not failed
        assert run_action.condition("inputs.sarif == 'true'", CONTEXTS, failed) is not failed
        assert run_action.condition("${{ always() && inputs.sarif == 'true' }}", CONTEXTS, failed) is True
        assert run_action.condition("failure()", CONTEXTS, failed) is failed
        assert run_action.condition("success() || cancelled()", CONTEXTS, failed) is not failed


def _steps_using(action: dict, prefix: str) -> list[tuple[int, dict]]:
    return [(i, step) for i, step in enumerate(action["runs"]["steps"]) if str(step.get("uses", "")).startswith(prefix)]


def test_the_measurement_cache_is_saved_also_when_the_cards_have_errors():
    """actions/cache saves in a post step that runs only on success, and the action fails the job
    when validate finds errors: a zoo with errors would never save its measurements. So the action
    restores with actions/cache/restore and saves with actions/cache/save in a step that runs after
    a failure too, unless the exact key was restored (nothing new to save, and the key is taken)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert not _steps_using(action, "actions/cache@")
    [(restore_at, restore)] = _steps_using(action, "actions/cache/restore@")
    [(save_at, save)] = _steps_using(action, "actions/cache/save@")
    validate_at = next(i for i, step in enumerate(action["runs"]["steps"]) if step.get("id") == "validate")
    assert restore_at < validate_at < save_at
    assert save["with"]["path"] == restore["with"]["path"]
    assert save["with"]["key"] == f"${{{{ steps.{restore['id']}.outputs.cache-primary-key }}}}"

    assert run_action.condition(restore["if"], {"inputs": {"cross-check": "false"}}) is False

    def saves(restored: bool, hit: str, failed: bool) -> bool:
        outputs = {"cache-hit": hit, "cache-primary-key": "model-index-Linux-torch-2-timm-1-7"} if restored else {}
        contexts = {"inputs": {"cross-check": "true"}, "github": {}, "runner": {},
                    "steps": {restore["id"]: {"outputs": outputs}}}
        return run_action.condition(save.get("if"), contexts, failed)

    assert saves(True, "false", failed=True) and saves(True, "false", failed=False)
    assert not saves(True, "true", failed=True)  # restored under the exact key
    assert not saves(False, "", failed=True)  # no restore (no cross-check, or the install failed): no cache


def test_file_commands_are_read_as_github_writes_them(tmp_path):
    path = tmp_path / "out"
    path.write_text("a=1\nb=x=y\nnotes<<EOF\nline 1\nline=2\nEOF\nc=\n", encoding="utf-8")
    assert run_action.read_file_commands(path) == {"a": "1", "b": "x=y", "notes": "line 1\nline=2", "c": ""}


def test_the_action_stays_within_what_the_runner_checks():
    """Every expression and condition of action.yml reads; every input it uses is declared; every
    run step names bash and reaches inputs only through env (never pasted into the script)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = action["inputs"]
    contexts = {"inputs": {name: str(meta.get("default", "")) for name, meta in inputs.items()},
                "steps": {}, "github": {}, "runner": {}}
    text = ACTION.read_text(encoding="utf-8")
    for expression in re.findall(r"\$\{\{(.*?)\}\}", text):
        run_action.evaluate(expression, contexts)
        assert set(re.findall(r"inputs\.([\w-]+)", expression)) <= set(inputs)
    for step in action["runs"]["steps"]:
        run_action.condition(step.get("if"), contexts)
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], step["name"]
    assert action["runs"]["using"] == "composite"


def test_the_workflow_of_this_repository_uses_the_action_with_the_permissions_it_needs():
    workflows = list((ROOT / ".github" / "workflows").glob("*.yml"))
    uses = {}
    for path in workflows:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses") == "./":
                    uses[path.name] = (triggers, job, step)
    assert uses, "a workflow runs the action with `uses: ./`"
    for triggers, job, step in uses.values():
        assert {"push", "pull_request"} <= set(triggers)
        if step.get("with", {}).get("sarif", "false") != "false":
            assert job["permissions"]["security-events"] == "write"
            assert job["permissions"]["actions"] in ("read", "write")  # upload-sarif in a private repository
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0  # --changed-since needs the history to the base


# --- the steps, run locally on a pull request that changes one card -----------------------------

def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path) -> Path:
    """A clone of `main` (two cards: a.md with a warning, z.md clean) on a branch that breaks z.md."""
    upstream = tmp_path / "upstream"
    (upstream / "cards").mkdir(parents=True)
    (upstream / "cards" / "a.md").write_text(WARNED.format(name="a"), encoding="utf-8")
    (upstream / "cards" / "z.md").write_text(CLEAN.format(name="z"), encoding="utf-8")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "two cards")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(upstream), str(work))
    git(work, "checkout", "-q", "-b", "topic")
    (work / "cards" / "z.md").write_text(BROKEN.format(name="z"), encoding="utf-8")
    git(work, "commit", "-q", "-am", "break z")
    return work


@pytest.fixture
def python(tmp_path) -> Path:
    """A fresh venv with pip, standing in for actions/setup-python. The static dependencies are put in
    first with uv (seconds instead of a minute); the action's own step installs the package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "uv", "--quiet", "venv", "--seed", "--python", sys.executable, str(venv)],
                   check=True, capture_output=True)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    subprocess.run([sys.executable, "-m", "uv", "--quiet", "pip", "install", "--python", str(venv / "bin" / "python"),
                    *dependencies], check=True, capture_output=True)
    return venv / "bin" / "python"


def commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """The workflow commands of a log, parsed as in tests/test_github_reporter.py."""
    from test_github_reporter import parse_command

    return [parse_command(line) for line in output.splitlines() if line.startswith("::")]


@pytest.mark.install
def test_the_action_annotates_the_changed_card_first_and_writes_the_summary(pull_request, python, tmp_path):
    summary = tmp_path / "summary.md"
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    done = subprocess.run([sys.executable, str(RUNNER), "--workspace", str(pull_request), "--python", str(python),
                           "--event", "pull_request", "--base-ref", "main", "--summary", str(summary),
                           "-i", "paths=cards", "-i", "sarif=true"], capture_output=True, text=True, env=env)
    log = done.stdout
    assert done.returncode == 1, log + done.stderr  # the job fails: the pull request brings an error

    annotations = [(name, props.get("file")) for name, props, _ in commands(log)]
    assert annotations[0] == ("error", "cards/z.md")  # the changed card's error first
    assert ("warning", "cards/a.md") in annotations  # the unchanged card's warning after it
    assert annotations.index(("warning", "cards/a.md")) > max(i for i, a in enumerate(annotations)
                                                             if a[1] == "cards/z.md")

    text = summary.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| yes |") or line.startswith("|  |")]
    assert "cards/z.md" in rows[0] and rows[0].startswith("| yes |")
    assert any("cards/a.md" in row and row.startswith("|  |") for row in rows[1:])

    assert re.search(r"^run-action: output exit-code=1$", log, re.M)
    sarif = json.loads((pull_request / "model-index.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"cards/a.md", "cards/z.md"}  # SARIF lists everything, for code scanning
    skipped = [line for line in log.splitlines() if "needs GitHub" in line]
    assert any("actions/setup-python" in line for line in skipped)
    assert any("upload-sarif" in line and "model-index.sarif" in line for line in skipped)
    assert not any("actions/cache" in line for line in skipped)  # no cross-check asked: no cache step


@pytest.mark.install
def test_a_pinned_version_installs_with_the_extras_it_asks_for(pull_request, python, tmp_path):
    """`version` with `build-site`: pip must get `model-index-lint[docs]==X` (an extra written after
    the version is refused). The venv already holds this checkout with the docs extra at its own
    version, so pip finds the pin satisfied without an index (PIP_NO_INDEX keeps it off PyPI)."""
    from model_index import __version__

    subprocess.run([sys.executable, "-m", "uv", "--quiet", "pip", "install", "--python", str(python), f"{ROOT}[docs]"],
                   check=True, capture_output=True)
    (pull_request / "mkdocs.yml").write_text("site_name: cards\ndocs_dir: cards\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PIP_"))}
    env["PIP_NO_INDEX"] = "1"
    done = subprocess.run([sys.executable, str(RUNNER), "--workspace", str(pull_request), "--python", str(python),
                           "-i", "paths=cards", "-i", f"version={__version__}", "-i", "build-site=true"],
                          capture_output=True, text=True, env=env)
    log = done.stdout + done.stderr
    assert not re.search(r"^run-action: \[\d+\] Install model-index: failed", log, re.M), log
    assert re.search(rf"^model-index, version {re.escape(__version__)}$", log, re.M), log  # `model-index --version`
    assert re.search(r"^run-action: \[\d+\] Build the site$", log, re.M), log  # the docs extra's step ran
    assert re.search(r"^run-action: output exit-code=1$", log, re.M), log  # and validate ran: z.md has an error
