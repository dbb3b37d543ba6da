"""Shared by the benchmarks that compare this checkout with an earlier commit, in one run.

`code_at(commit, folder)` writes that commit's `model_index/` package into `folder` (git archive: the
repository and its worktrees are left alone); `timed(command, pythonpath)` runs a command with
that package first on the path and measures it: wall time, CPU time (user + system of the child)
and peak memory. On a shared machine CPU time is the steadier of the two. `instructions(command,
pythonpath)` counts the instructions the command executes under valgrind's callgrind: slow, but
the same on a quiet machine and a busy one.

Given a `pycache` folder, a run reads and writes Python's bytecode cache there (PYTHONPYCACHEPREFIX),
as an installed package has its .pyc files (pip compiles them at install time); without one, the
machine's settings apply, and a machine that sets PYTHONDONTWRITEBYTECODE compiles every module of
a source checkout in every run. The first run fills the cache; the best of several is a warm one.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Timing:
    wall: float
    cpu: float
    peak_mb: float
    exit: int


def code_at(commit: str, folder: Path) -> Path:
    """`commit`'s model_index package, written under `folder`; returns the folder to put on PYTHONPATH."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit, "model_index"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def environment(pythonpath: Path, pycache: Path | None = None) -> dict[str, str]:
    """The environment of a run with `pythonpath` first on the module path (and its bytecode cache
    in `pycache`, when given)."""
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def timed(command: list[str], pythonpath: Path, cwd: Path, output: Path | None = None,
          pycache: Path | None = None) -> Timing:
    """Run `command` in `cwd` with `pythonpath` first on the module path (stdout to `output`, or
    discarded). `cwd` must not hold a model_index package: `python -m` puts it first on the path."""
    env = environment(pythonpath, pycache)
    with open(output or os.devnull, "wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode)


def best(timings: list[Timing]) -> Timing:
    """The fastest of repeated runs (wall and CPU each at their minimum, memory at its maximum)."""
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings), max(t.peak_mb for t in timings),
                  timings[-1].exit)


def instructions(command: list[str], pythonpath: Path, cwd: Path, pycache: Path | None = None) -> int | None:
    """The instructions `command` executes (callgrind's total), or None when valgrind is missing."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory(prefix="mi-callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *command], cwd=cwd,
                       env=environment(pythonpath, pycache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = re.search(r"^totals: (\d+)", out.read_text(), re.M) if out.exists() else None
    return int(found.group(1)) if found else None
