"""Run a command of the project on hostile input in a subprocess, with a time and a memory limit.

Used by the hostile corpus (`tests/test_hostile.py`) and the fuzz test: whatever the input does,
the run is stopped after `timeout` seconds (its whole process group, measuring workers included)
and cannot take more than `memory_mib` of address space.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    """What a limited run did: exit code (None when it was stopped), output and time taken."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def run_limited(args: list[str], cwd: Path, timeout: float = 30, memory_mib: int = 1024,
                file_size: int | None = None, env: dict[str, str] | None = None) -> Run:
    """`python -m args[0] args[1:]` in `cwd` with the project importable, limited as said above.
    `file_size` caps the bytes any file may be written to (RLIMIT_FSIZE: a full disk)."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_mib << 20, memory_mib << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("GITHUB_", "MODEL_INDEX_", "PYTEST_"))}
    environment.update(PYTHONPATH=str(ROOT), NO_COLOR="1", MODEL_INDEX_DEBUG="1", **(env or {}))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", *args], cwd=cwd, env=environment, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        returncode = None
    return Run(returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"),
               time.perf_counter() - started)
