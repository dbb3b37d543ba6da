"""Run the steps of this repository's composite action (action.yml) locally, as a GitHub runner would.

    python scripts/run-action.py --workspace REPO --python VENV/bin/python \\
        --event pull_request --base-ref main -i paths=docs/models -i strict=true

What it does as GitHub does: inputs get their defaults and reach the steps through `${{ inputs.x }}`
(composite actions get no INPUT_* variables); each `run:` step runs with `bash --noprofile --norc
-eo pipefail` in the workspace, with GITHUB_ACTIONS, GITHUB_WORKSPACE, GITHUB_ACTION_PATH,
GITHUB_EVENT_NAME, GITHUB_BASE_REF, RUNNER_OS and RUNNER_TEMP set and fresh GITHUB_OUTPUT,
GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files, which are read back after the step
(outputs, environment, path, and the step's summary appended to the job's); `if:` conditions are
evaluated, and a failed step skips the rest but those whose `if:` asks for `always()` or
`failure()`. What it cannot do: `uses:` steps need GitHub; they are skipped with a note that shows
their evaluated `with:`. actions/setup-python is stood in for by `--python`, whose folder goes
first on PATH.

Expressions are those action.yml uses: contexts (`inputs`, `steps.<id>.outputs`, `github`,
`runner`), '...' strings, ==, !=, &&, || and !, and the status functions success(), failure(),
always() and cancelled() (an `if:` without one of them means `success() && ...`, as on GitHub).
Anything else stops the run, so that the action cannot grow past what this script checks without
the tests noticing.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
STATUS = re.compile(r"\b(?:success|failure|always|cancelled)\s*\(")
TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][\w.-]*))")


class ExpressionError(Exception):
    """An expression this runner does not understand."""


def evaluate(text: str, contexts: dict, failed: bool = False):
    """The value of one expression (without `${{ }}`) against `contexts`; `failed`: whether a step
    of the job has failed (what the status functions read)."""
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    parser = _Parser(tokens, contexts, failed)
    value = parser.either()
    if parser.tokens:
        raise ExpressionError(f"unexpected {parser.tokens[0][1]!r} in {text!r}")
    return value


class _Parser:
    """Recursive descent: either := both ('||' both)*; both := test ('&&' test)*;
    test := unary (('=='|'!=') unary)?; unary := '!' unary | '(' either ')' | string | status '(' ')' | name."""

    def __init__(self, tokens, contexts, failed):
        self.tokens, self.contexts, self.failed = list(tokens), contexts, failed

    def _take(self, op: str) -> bool:
        if self.tokens and self.tokens[0] == ("op", op):
            self.tokens.pop(0)
            return True
        return False

    def either(self):
        value = self.both()
        while self._take("||"):
            right = self.both()
            value = value or right
        return value

    def both(self):
        value = self.test()
        while self._take("&&"):
            right = self.test()
            value = value and right
        return value

    def test(self):
        left = self.unary()
        for op in ("==", "!="):
            if self._take(op):
                right = self.unary()
                equal = str(left).lower() == str(right).lower()  # GitHub compares strings ignoring case
                return equal if op == "==" else not equal
        return left

    def unary(self):
        if not self.tokens:
            raise ExpressionError("expression ends too soon")
        if self._take("!"):
            return not self.unary()
        if self._take("("):
            value = self.either()
            if not self._take(")"):
                raise ExpressionError("missing ')'")
            return value
        kind, text = self.tokens.pop(0)
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "name" and self._take("("):
            return self._status(text)
        if kind == "name":
            return self._lookup(text)
        raise ExpressionError(f"unexpected {text!r}")

    def _status(self, function: str) -> bool:
        """A status function's value (nothing is ever cancelled here); no other function is read."""
        statuses = {"success": not self.failed, "failure": self.failed, "always": True, "cancelled": False}
        if function not in statuses or not self._take(")"):
            raise ExpressionError(f"unknown function {function}(...)")
        return statuses[function]

    def _lookup(self, dotted: str):
        head, *rest = dotted.split(".")
        if head not in self.contexts:
            raise ExpressionError(f"unknown context {head!r}")
        value = self.contexts[head]
        for part in rest:  # a missing property is '' (GitHub: null), a missing context is an error
            value = value.get(part, "") if isinstance(value, dict) else ""
        return value


def substitute(text, contexts):
    """`text` with every `${{ … }}` replaced by its value, as a string."""
    if not isinstance(text, str):
        return text
    return EXPRESSION.sub(lambda m: _string(evaluate(m.group(1), contexts)), text)


def _string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def condition(text, contexts, failed: bool = False) -> bool:
    """Whether a step runs: its `if:` is an expression, with or without `${{ }}`; without a status
    function in it, it holds only while no step has failed (GitHub's implicit `success() &&`)."""
    if text is None:
        return not failed
    text = str(text).strip()
    match = EXPRESSION.fullmatch(text)
    expression = match.group(1) if match else text
    if not STATUS.search(expression) and failed:
        return False
    return bool(evaluate(expression, contexts, failed))


def read_file_commands(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks."""
    values, lines = {}, path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


def run(action: Path, workspace: Path, python: str | None, inputs: dict[str, str], event: str, base_ref: str,
        summary: Path) -> int:
    spec = yaml.safe_load(action.read_text(encoding="utf-8"))
    declared = spec.get("inputs") or {}
    unknown = set(inputs) - set(declared)
    if unknown:
        raise SystemExit(f"run-action: unknown input(s): {', '.join(sorted(unknown))}")
    temp = Path(tempfile.mkdtemp(prefix="run-action-"))
    contexts = {
        "inputs": {name: inputs.get(name, _string((meta or {}).get("default", ""))) for name, meta in declared.items()},
        "steps": {},
        "github": {"action_path": str(action.parent), "workspace": str(workspace), "event_name": event,
                   "base_ref": base_ref if event.startswith("pull_request") else "", "run_id": "1"},
        "runner": {"os": "Linux", "temp": str(temp)},
    }
    env = {**os.environ, "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
           "GITHUB_ACTION_PATH": str(action.parent), "GITHUB_EVENT_NAME": event,
           "GITHUB_BASE_REF": contexts["github"]["base_ref"], "RUNNER_OS": "Linux", "RUNNER_TEMP": str(temp)}
    if python:
        env["PATH"] = str(Path(python).parent) + os.pathsep + env.get("PATH", "")
    failed = None
    for number, step in enumerate(spec["runs"]["steps"], 1):
        name = step.get("name") or step.get("uses") or f"step {number}"
        if not condition(step.get("if"), contexts, failed is not None):
            print(f"run-action: [{number}] {name}: skipped ({'an earlier step failed' if failed else 'if: false'})")
            continue
        if "uses" in step:
            given = {key: substitute(value, contexts) for key, value in (step.get("with") or {}).items()}
            stand_in = " (--python stands in)" if step["uses"].startswith("actions/setup-python") and python else ""
            print(f"run-action: [{number}] {name}: skipped, needs GitHub: uses {step['uses']} with {given}{stand_in}")
            continue
        print(f"run-action: [{number}] {name}", flush=True)
        files = {key: temp / f"{key.lower()}-{number}" for key in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH",
                                                                  "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            path.touch()
        step_env = {**env, **{key: str(path) for key, path in files.items()},
                    **{key: substitute(value, contexts) for key, value in (step.get("env") or {}).items()}}
        script = temp / f"step-{number}.sh"
        script.write_text(substitute(step["run"], contexts), encoding="utf-8")
        cwd = workspace / substitute(step.get("working-directory", "."), contexts)
        code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                              env=step_env).returncode
        if "id" in step:
            contexts["steps"][step["id"]] = {"outputs": read_file_commands(files["GITHUB_OUTPUT"]), "outcome":
                                             "success" if code == 0 else "failure"}
        env.update(read_file_commands(files["GITHUB_ENV"]))
        for entry in reversed(files["GITHUB_PATH"].read_text(encoding="utf-8").split("\n")):
            if entry:
                env["PATH"] = entry + os.pathsep + env["PATH"]
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8"))
        if code != 0:
            print(f"run-action: [{number}] {name}: failed with exit code {code}")
            failed = code
    for output, meta in (spec.get("outputs") or {}).items():
        print(f"run-action: output {output}={substitute(meta.get('value', ''), contexts)}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--action", type=Path, default=ROOT / "action.yml", help="the action.yml to run")
    parser.add_argument("--workspace", type=Path, default=Path.cwd(), help="the checked-out repository")
    parser.add_argument("--python", help="python whose folder stands in for actions/setup-python")
    parser.add_argument("-i", "--input", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--event", default="push", help="GITHUB_EVENT_NAME (pull_request sets GITHUB_BASE_REF)")
    parser.add_argument("--base-ref", default="main", help="the pull request's base branch")
    parser.add_argument("--summary", type=Path, help="file the job summary is written to (default: a temp file)")
    args = parser.parse_args()
    inputs = dict(item.split("=", 1) for item in args.input)
    summary = args.summary or Path(tempfile.mkstemp(prefix="job-summary-", suffix=".md")[1])
    code = run(args.action.resolve(), args.workspace.resolve(), args.python, inputs, args.event, args.base_ref,
               summary)
    print(f"run-action: job summary in {summary}; job {'failed' if code else 'succeeded'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
