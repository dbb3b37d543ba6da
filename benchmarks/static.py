"""Static validation of the 50 shared timm cards: `model-index validate` against Papers with Code's `mi check`.

    .venv/bin/python benchmarks/static.py [--runs 5] [--cards ../shared/corpus/timm-docs-2021/models]
                                          [--base COMMIT] [--no-instructions]

Both tools run as a subprocess, once per timing, over the same 50 files; the best of --runs is kept,
so that process start-up is included for both and a busy machine's noise is not.

`mi check` (the `model-index` 0.1.11 package on PyPI; a peer, not our dependency) is installed into a
throwaway venv in a temporary folder. It takes one file, not a folder, so it is given a temporary
model-index.yml whose `Import:` glob names the 50 cards: one run loads and checks all of them, which
is the fair equivalent of our one run over the folder (50 runs of `mi check` would mostly measure
Python start-up 50 times).

Both keep Python's bytecode cache in a temporary folder, as installed packages have their .pyc files
(see timing.py). Ours is also timed as this checkout runs on a machine that writes no bytecode
(PYTHONDONTWRITEBYTECODE, set on this project's machines): every module compiled in every run.

Printed: the times (wall, and CPU of the process), the ratio ours/theirs, and what each tool
reported, to show what the time buys. With --base COMMIT, that commit's code (extracted with
`git archive`) is timed the same way, as the "before" of a change. Then each runs once under
valgrind's callgrind (unless --no-instructions): instruction counts do not depend on how busy the
machine is. Target: ours at most 0.4x of theirs.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import ROOT, Timing, best, code_at, instructions, timed

CARDS = ROOT.parent / "shared/corpus/timm-docs-2021/models"
PEER = "model-index==0.1.11"


def install_peer(folder: Path) -> Path:
    """A venv in `folder` with Papers with Code's model-index; returns its `mi` executable."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(folder / "bin/pip"), "install", "--quiet", "--disable-pip-version-check", PEER], check=True)
    return folder / "bin/mi"


def our_command(cards: Path) -> list[str]:
    return [sys.executable, "-m", "model_index", "validate", str(cards), "--no-cross-check"]


def line(label: str, t: Timing, runs: int) -> str:
    return f"{label:<44} {t.wall:.3f} s wall, {t.cpu:.3f} s CPU (best of {runs}), exit {t.exit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each tool; the best is kept")
    parser.add_argument("--cards", type=Path, default=CARDS, help="folder of the cards")
    parser.add_argument("--base", help="also time this commit's code, e.g. 7af6df1")
    parser.add_argument("--instructions", action=argparse.BooleanOptionalAction, default=True,
                        help="count each tool's instructions under callgrind (default: yes)")
    args = parser.parse_args()
    cards = args.cards.resolve()
    files = sorted(cards.glob("*.md"))
    if not files:
        print(f"no cards in {cards} (the shared corpus is beside the project in ../shared)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="mi-peer-") as tmp:
        print(f"installing {PEER} into a throwaway venv ...", file=sys.stderr)
        mi = install_peer(Path(tmp) / "venv")
        root = Path(tmp) / "model-index.yml"
        root.write_text(f"Import:\n- {cards}/*.md\n", encoding="utf-8")

        pycache = Path(tmp) / "pycache"
        timings: dict[str, list[Timing]] = {"ours": [], "compiling": [], "base": [], "theirs": []}
        base = code_at(args.base, Path(tmp) / "base") if args.base else None
        theirs_command = [str(mi), "check", str(root)]
        for _ in range(args.runs):  # alternately, so that a busy moment hits all of them
            timings["ours"].append(timed(our_command(cards), ROOT, Path(tmp), pycache=pycache))
            timings["compiling"].append(timed(our_command(cards), ROOT, Path(tmp)))
            if base:
                timings["base"].append(timed(our_command(cards), base, Path(tmp), pycache=pycache))
            timings["theirs"].append(timed(theirs_command, ROOT, Path(tmp), pycache=pycache))
        ours_t, theirs_t = best(timings["ours"]), best(timings["theirs"])
        counts = {}
        if args.instructions:
            counts = {"ours": instructions(our_command(cards), ROOT, Path(tmp), pycache),
                      "theirs": instructions(theirs_command, ROOT, Path(tmp), pycache)}
            if base:
                counts["base"] = instructions(our_command(cards), base, Path(tmp), pycache)
        theirs = subprocess.run([str(mi), "check", str(root)], capture_output=True, text=True)
        # What `mi check` loaded (its output does not say): count through its own loader.
        loaded = subprocess.run(
            [str(mi.parent / "python"), "-c",
             "import sys; from modelindex.load_model_index import load; m = load(sys.argv[1]); "
             "print(len(m.models), len(m.collections))", str(root)],
            capture_output=True, text=True, check=True).stdout.split()

    report = json.loads(subprocess.run(our_command(cards) + ["--output-format", "json"], cwd=ROOT.parent,
                                       env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                                       text=True).stdout)
    s = report["summary"]
    codes = collections.Counter(d["code"] for d in report["diagnostics"])
    their_lines = [line for line in theirs.stdout.splitlines()
                   if line.strip() and not line.startswith("Checking ") and line.strip() != "All good!"]

    print(f"cards: {len(files)} files in {cards}")
    print(line("model-index validate --no-cross-check:", ours_t, args.runs))
    print(line("  the same, compiling every module:", best(timings["compiling"]), args.runs))
    if base:
        base_t = best(timings["base"])
        print(line(f"  the same at {args.base}:", base_t, args.runs))
    print(line(f"mi check ({PEER}, one Import root):", theirs_t, args.runs))
    print(f"ratio ours/theirs: wall {ours_t.wall / theirs_t.wall:.2f}, CPU {ours_t.cpu / theirs_t.cpu:.2f}"
          + (f"; at {args.base}: wall {base_t.wall / theirs_t.wall:.2f}, CPU {base_t.cpu / theirs_t.cpu:.2f}"
             if base else ""))
    if counts and None not in counts.values():
        print(f"instructions (callgrind): ours {counts['ours'] / 1e9:.2f} G, theirs {counts['theirs'] / 1e9:.2f} G"
              + (f", at {args.base} {counts['base'] / 1e9:.2f} G" if base else "")
              + f"; ratio ours/theirs {counts['ours'] / counts['theirs']:.2f}")
    elif counts:
        print("instructions: valgrind is not installed")
    print(f"ours reported:   {s['files']} files, {s['models']} models, {s['collections']} collections; "
          f"{s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos, each with file:line:column")
    print("                 by rule: " + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())))
    print(f"theirs reported: {len(their_lines)} problem line(s) for {loaded[0]} models, {loaded[1]} collections "
          f"loaded; last line: {theirs.stdout.strip().splitlines()[-1]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
