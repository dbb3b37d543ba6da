"""Static validation at scale: this checkout against an earlier commit, on a generated zoo, in one run.

    .venv/bin/python benchmarks/static_scale.py [--base 7af6df1] [--cards 2000] [--models 10] [--runs 3]
                                                [--growth 500,1000,2000]

A zoo of --cards cards with --models models each is written by benchmarks/zoo.py (the same seed
gives the same files) into a temporary folder, and the --base commit's `model_index/` is extracted
beside it with `git archive`. Both versions run as a whole command line,
`python -m model_index validate ZOO --no-cross-check --output-format json`, each with its own
package first on PYTHONPATH, alternately, best of --runs: wall time, CPU time (user + system of the
process) and peak memory. Their two JSON reports must be byte-identical; the script says whether
they are. The default base, 7af6df1, is the last commit before the one-pass YAML builder and the
lazy imports.

Then this checkout alone runs on zoos of the --growth sizes (the first cards of the same zoo), and
the cost per model shows whether the time grows linearly.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from timing import ROOT, Timing, best, code_at, timed
from zoo import write_zoo


def validate(zoo: Path, code: Path, report: Path) -> Timing:
    """One run of `validate` over `zoo` with the package in `code`, from the zoo's parent folder."""
    return timed([sys.executable, "-m", "model_index", "validate", zoo.name, "--no-cross-check",
                  "--output-format", "json"], code, zoo.parent, report)


def row(label: str, t: Timing, models: int) -> str:
    return (f"{label:<28} {t.wall:8.2f} s {t.cpu:8.2f} s {t.peak_mb:8.0f} MB "
            f"{1000 * t.wall / models:8.3f} ms {1000 * t.cpu / models:8.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="7af6df1", help="commit to compare with")
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--models", type=int, default=10, help="models per card")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each; the best is kept")
    parser.add_argument("--growth", default="500,1000,2000", help="zoo sizes (cards) for the growth table; '' for none")
    args = parser.parse_args()
    sizes = [int(n) for n in args.growth.split(",") if n]

    with tempfile.TemporaryDirectory(prefix="mi-scale-") as tmp:
        tmp = Path(tmp)
        base = code_at(args.base, tmp / "base")
        zoo = tmp / "zoo"
        write_zoo(zoo, args.cards, args.models)
        models = args.cards * args.models
        runs: dict[str, list[Timing]] = {"base": [], "new": []}
        for _ in range(args.runs):
            runs["base"].append(validate(zoo, base, tmp / "base.json"))
            runs["new"].append(validate(zoo, ROOT, tmp / "new.json"))
        old, new = best(runs["base"]), best(runs["new"])
        identical = filecmp.cmp(tmp / "base.json", tmp / "new.json", shallow=False)

        print(f"zoo: {args.cards} cards, {models} models (benchmarks/zoo.py); best of {args.runs}; "
              f"exit codes {old.exit}/{new.exit}")
        print(f"{'':<28} {'wall':>10} {'CPU':>10} {'peak':>11} {'wall/model':>11} {'CPU/model':>11}")
        print(row(f"base {args.base}", old, models))
        print(row("this checkout", new, models))
        print(f"ratio this/base: wall {new.wall / old.wall:.2f}, CPU {new.cpu / old.cpu:.2f} (target <= 0.5)")
        print(f"JSON reports byte-identical: {'yes' if identical else 'NO'}")

        if sizes:
            print(f"\ngrowth (this checkout, best of {args.runs}):")
            for cards in sizes:
                folder = tmp / f"zoo-{cards}"
                write_zoo(folder, cards, args.models)
                t = best([validate(folder, ROOT, tmp / "growth.json") for _ in range(args.runs)])
                print(row(f"{cards} cards, {cards * args.models} models", t, cards * args.models))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
