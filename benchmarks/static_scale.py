"""Static validation at scale: this checkout against an earlier commit, on a generated zoo, in one run.

    .venv/bin/python benchmarks/static_scale.py [--base 7af6df1] [--reference 0bd84f3] [--cards 2000]
                                                [--models 10] [--runs 3] [--growth 500,1000,2000]
                                                [--instructions 100] [--no-bytecode-cache]

A zoo of --cards cards with --models models each is written by benchmarks/zoo.py (the same seed
gives the same files) into a temporary folder, and the --base commit's `model_index/` is extracted
beside it with `git archive`. Both versions run as a whole command line,
`python -m model_index validate ZOO --no-cross-check --output-format json`, each with its own
package first on PYTHONPATH, alternately, best of --runs: wall time, CPU time (user + system of the
process) and peak memory. The default base, 7af6df1, is the last commit before the one-pass YAML
builder and the lazy imports. Runs keep Python's bytecode cache in a temporary folder, as an
installed package has its .pyc files (see timing.py; --no-bytecode-cache: the machine's settings).

The report of this checkout must be byte-identical to the --reference commit's (run once, untimed):
the base's report lacks fields added to the JSON report since (`applicability` of a fix), so the
reference is the last commit that changed what a report holds. The script says whether they are.

Then this checkout alone runs on zoos of the --growth sizes (the first cards of the same zoo), and
the cost per model shows whether the time grows linearly. Last, both versions run once under
valgrind's callgrind on a zoo of --instructions cards (0: skip): instruction counts do not depend
on how busy the machine is.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from timing import ROOT, Timing, best, code_at, instructions, timed
from zoo import write_zoo


def validate(zoo: Path, code: Path, report: Path, pycache: Path | None) -> Timing:
    """One run of `validate` over `zoo` with the package in `code`, from the zoo's parent folder."""
    return timed(command(zoo), code, zoo.parent, report, pycache)


def command(zoo: Path) -> list[str]:
    return [sys.executable, "-m", "model_index", "validate", zoo.name, "--no-cross-check", "--output-format", "json"]


def row(label: str, t: Timing, models: int) -> str:
    return (f"{label:<28} {t.wall:8.2f} s {t.cpu:8.2f} s {t.peak_mb:8.0f} MB "
            f"{1000 * t.wall / models:8.3f} ms {1000 * t.cpu / models:8.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="7af6df1", help="commit to compare with")
    parser.add_argument("--reference", default="0bd84f3", help="commit whose report must be the same, byte for byte")
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--models", type=int, default=10, help="models per card")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each; the best is kept")
    parser.add_argument("--growth", default="500,1000,2000", help="zoo sizes (cards) for the growth table; '' for none")
    parser.add_argument("--instructions", type=int, default=100, help="cards of the callgrind comparison; 0 to skip")
    parser.add_argument("--no-bytecode-cache", dest="bytecode", action="store_false",
                        help="keep no bytecode cache: the machine's settings apply")
    args = parser.parse_args()
    sizes = [int(n) for n in args.growth.split(",") if n]

    with tempfile.TemporaryDirectory(prefix="mi-scale-") as tmp:
        tmp = Path(tmp)
        base = code_at(args.base, tmp / "base")
        reference = code_at(args.reference, tmp / "reference")
        pycache = tmp / "pycache" if args.bytecode else None
        zoo = tmp / "zoo"
        write_zoo(zoo, args.cards, args.models)
        models = args.cards * args.models
        runs: dict[str, list[Timing]] = {"base": [], "new": []}
        for _ in range(args.runs):
            runs["base"].append(validate(zoo, base, tmp / "base.json", pycache))
            runs["new"].append(validate(zoo, ROOT, tmp / "new.json", pycache))
        old, new = best(runs["base"]), best(runs["new"])
        validate(zoo, reference, tmp / "reference.json", pycache)
        identical = filecmp.cmp(tmp / "reference.json", tmp / "new.json", shallow=False)

        print(f"zoo: {args.cards} cards, {models} models (benchmarks/zoo.py); best of {args.runs}; "
              f"exit codes {old.exit}/{new.exit}; bytecode cache {'kept' if args.bytecode else 'as the machine has it'}")
        print(f"{'':<28} {'wall':>10} {'CPU':>10} {'peak':>11} {'wall/model':>11} {'CPU/model':>11}")
        print(row(f"base {args.base}", old, models))
        print(row("this checkout", new, models))
        print(f"ratio this/base: wall {new.wall / old.wall:.2f}, CPU {new.cpu / old.cpu:.2f} (target <= 0.5)")
        print(f"JSON report byte-identical to {args.reference}'s: {'yes' if identical else 'NO'}")

        if sizes:
            print(f"\ngrowth (this checkout, best of {args.runs}):")
            for cards in sizes:
                folder = tmp / f"zoo-{cards}"
                write_zoo(folder, cards, args.models)
                t = best([validate(folder, ROOT, tmp / "growth.json", pycache) for _ in range(args.runs)])
                print(row(f"{cards} cards, {cards * args.models} models", t, cards * args.models))

        if args.instructions:
            folder = tmp / f"zoo-{args.instructions}"
            write_zoo(folder, args.instructions, args.models)
            counts = {name: instructions(command(folder), code, tmp, pycache)
                      for name, code in ((f"base {args.base}", base), ("this checkout", ROOT))}
            if None in counts.values():
                print("\ninstructions: valgrind is not installed")
            else:
                print(f"\ninstructions (callgrind, {args.instructions} cards, {args.instructions * args.models} models):")
                for name, count in counts.items():
                    print(f"{name:<28} {count / 1e9:8.2f} G")
                first, last = counts.values()
                print(f"ratio this/base: {last / first:.2f}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
