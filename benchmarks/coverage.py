"""Benchmark `model-index coverage` on the whole of timm: cold and warm, names only and with
parameter counts measured through the pool, at several worker counts.

    .venv/bin/python benchmarks/coverage.py [CARDS] [--jobs 2 4]

Each run is the command itself in a fresh process (`python -m model_index coverage CARDS
--output-format json`), timed on the wall clock. Peak memory is sampled from /proc every 0.1 s as
the resident memory of the whole process tree (the command, its fork server and pool workers),
and of its largest process. Runs:

- baseline: `import timm; timm.list_pretrained()`, what asking timm itself for its tags costs;
- names cold / warm: coverage with an empty cache (it builds the registry snapshot, importing
  timm), then again on that cache (torch and timm are not imported);
- parameters cold (per worker count) / warm: `--parameters`, which measures the parameter count of
  every undocumented tag on the meta device, with an empty cache and `--jobs N`, then again warm.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CARDS = ROOT.parent / "shared" / "corpus" / "timm-docs-2021" / "models"
PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> tuple[int, int]:
    """(total, largest) resident bytes of `root` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in members]
        members.update(children)
        frontier.extend(children)
    sizes = []
    for pid in members:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as stream:
                sizes.append(int(stream.read().split()[1]) * PAGE)
        except (OSError, IndexError, ValueError):
            continue
    return sum(sizes), max(sizes, default=0)


def timed(command: list[str]) -> dict:
    """Run `command`; its wall time, peak tree and largest-process RSS, and its standard output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            total, largest = tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{err}")
    return {"seconds": seconds, "peak_mb": peak[0] / 2**20, "largest_mb": peak[1] / 2**20, "stdout": out}


def coverage(cards: str, cache: str, *extra: str) -> dict:
    run = timed([sys.executable, "-m", "model_index", "coverage", cards, "--cache-dir", cache,
                 "--output-format", "json", "--no-progress", *extra])
    report = json.loads(run.pop("stdout"))
    run["undocumented"] = report["summary"]["undocumented"]
    run["measured"] = sum("parameters" in t for group in report["undocumented"] for t in group["tags"])
    run["architectures"] = len(report["undocumented"])
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cards", nargs="?", default=str(DEFAULT_CARDS))
    parser.add_argument("--jobs", type=int, nargs="+", default=[2, 4], help="worker counts of the cold measuring runs")
    args = parser.parse_args()
    if not Path(args.cards).is_dir():
        sys.exit(f"no cards at {args.cards}")
    runs: list[tuple[str, str, dict]] = []
    baseline = timed([sys.executable, "-c", "import timm; timm.list_pretrained()"])
    runs.append(("baseline: timm.list_pretrained()", "-", baseline))
    with tempfile.TemporaryDirectory(prefix="mi-coverage-") as cache:
        runs.append(("names, cold", "-", coverage(args.cards, cache)))
        runs.append(("names, warm", "-", coverage(args.cards, cache)))
    for jobs in args.jobs:
        with tempfile.TemporaryDirectory(prefix="mi-coverage-") as cache:
            runs.append(("parameters, cold", str(jobs), coverage(args.cards, cache, "--parameters", "--jobs", str(jobs))))
            if jobs == args.jobs[-1]:
                runs.append(("parameters, warm", str(jobs), coverage(args.cards, cache, "--parameters",
                                                                     "--jobs", str(jobs))))
    print(f"cards: {args.cards}  cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"{'run':<34}{'jobs':>5}{'seconds':>9}{'× base':>8}{'tree peak':>11}{'largest':>10}{'measured':>10}")
    for label, jobs, run in runs:
        measured = f"{run['measured']}/{run['undocumented']}" if "measured" in run else "-"
        print(f"{label:<34}{jobs:>5}{run['seconds']:>9.1f}{run['seconds'] / baseline['seconds']:>8.2f}"
              f"{run['peak_mb']:>8.0f} MB{run['largest_mb']:>7.0f} MB{measured:>10}")


if __name__ == "__main__":
    main()
