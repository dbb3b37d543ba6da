"""The hostile corpus: every case in tests/hostile/cases runs the command line in a subprocess with a
time and a memory limit, and must end cleanly (no traceback, no internal error, an expected exit
code) and do what its case.toml expects. tests/hostile/README.md describes the format."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from hostile.harness import run_limited

CASES = Path(__file__).parent / "hostile" / "cases"
DEFAULTS = {"timeout": 30, "memory": 1024, "exit": [0, 1]}


def _cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if (path / "case.toml").is_file())


def _module(case: Path):
    """The case's case.py, if it has one."""
    source = case / "case.py"
    if not source.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"hostile_case_{case.name.replace('-', '_')}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _skip_reason(spec: dict) -> str | None:
    missing = [name for name in spec.get("needs", []) if importlib.util.find_spec(name) is None]
    if missing:
        return f"needs {', '.join(missing)}"
    if spec.get("posix") and os.name != "posix":
        return "POSIX only"
    if spec.get("skip_as_root") and os.name == "posix" and os.geteuid() == 0:
        return "root ignores file permissions"
    return None


@pytest.mark.parametrize("case", _cases(), ids=lambda path: path.name)
def test_hostile_case(case: Path, tmp_path: Path):
    spec = {**DEFAULTS, **tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))}
    reason = _skip_reason(spec)
    if reason:
        pytest.skip(reason)
    work = tmp_path / "work"
    if (case / "tree").is_dir():
        shutil.copytree(case / "tree", work, symlinks=True)
    else:
        work.mkdir()
    module = _module(case)
    if module is not None and hasattr(module, "make"):
        module.make(work)
    expect = spec.get("expect", {})
    unchanged = {name: (work / name).read_bytes() for name in expect.get("unchanged", [])}

    run = run_limited(spec["command"], work, timeout=spec["timeout"], memory_mib=spec["memory"],
                      file_size=spec.get("file_size"))

    assert not run.timed_out, f"no result after {spec['timeout']} s"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in spec["exit"], (run.returncode, run.stderr[-3000:])
    for text in expect.get("stdout_lacks", []):
        assert text not in run.stdout, text
    for text in expect.get("stderr_lacks", []):
        assert text not in run.stderr, text
    for text in expect.get("stderr_has", []):
        assert text in run.stderr, text
    for name, content in unchanged.items():
        assert (work / name).read_bytes() == content, f"{name} was changed"
    if {"files", "models", "codes"} & set(expect):
        report = json.loads(run.stdout)
        for key in ("files", "models"):
            if key in expect:
                assert report["summary"][key] == expect[key], key
        found = [d["code"] for d in report["diagnostics"]]
        for code, count in expect.get("codes", {}).items():
            assert found.count(code) == count, (code, found)
    if module is not None and hasattr(module, "check"):
        module.check(work, run)
