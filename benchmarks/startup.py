"""Start-up of the commands that only print: `--help`, `--version` and `rules`, against an earlier commit.

    .venv/bin/python benchmarks/startup.py [--base 7af6df1] [--runs 20]

Each command runs as `python -m model_index ...` in a fresh process, with this checkout's or the
--base commit's package (extracted with `git archive`) first on PYTHONPATH, alternately; the best
of --runs is kept (wall and CPU time). `python -c pass` is the floor no command can go below. The
modules a command loads are listed by `python -X importtime`: the cumulative import time of
model_index.cli is printed for each version (it is the part the code controls). Target: each
command under 0.15 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import ROOT, best, code_at, timed

COMMANDS = (["--help"], ["--version"], ["rules"])


def cli_import_ms(code: Path, cwd: Path) -> float:
    """Cumulative import time of model_index.cli (ms), from `python -X importtime`."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import model_index.cli"], cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=str(code)), capture_output=True, text=True, check=True)
    line = next(line for line in done.stderr.splitlines() if line.rstrip().endswith("| model_index.cli"))
    return int(line.split("|")[1]) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="7af6df1", help="commit to compare with")
    parser.add_argument("--runs", type=int, default=20, help="runs of each command; the best is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mi-startup-") as tmp:
        tmp = Path(tmp)
        versions = {f"base {args.base}": code_at(args.base, tmp / "base"), "this checkout": ROOT}
        floor = best([timed([sys.executable, "-c", "pass"], ROOT, tmp) for _ in range(args.runs)])
        print(f"python -c pass: {floor.wall:.3f} s wall, {floor.cpu:.3f} s CPU (best of {args.runs})")
        print(f"{'command':<22}" + "".join(f"{name:>28}" for name in versions))
        for command in COMMANDS:
            runs: dict[str, list] = {name: [] for name in versions}
            for _ in range(args.runs):
                for name, code in versions.items():
                    runs[name].append(timed([sys.executable, "-m", "model_index", *command], code, tmp))
            cells = "".join(f"{t.wall:.3f} s wall, {t.cpu:.3f} s CPU".rjust(28) for t in map(best, runs.values()))
            print(f"{' '.join(command):<22}{cells}")
        print(f"{'import model_index.cli':<22}" + "".join(f"{cli_import_ms(code, tmp):>25.0f} ms"
                                                      for code in versions.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
