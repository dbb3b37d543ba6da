"""Benchmark the cross-check on a directory of cards: cold, warm and two baselines, side by side.

    .venv/bin/python benchmarks/crosscheck.py [CARDS] [--sample 10]

Every run is a fresh Python process, so each pays its own imports and reports its own peak RSS
(pool workers included):

- cold: `model_index.crosscheck.run` with an empty cache (process pool over architectures);
- warm: the same again, on the cache the cold run filled;
- meta loop: a straightforward single process that builds every card's model on the meta device
  and measures it (parameters, state_dict, FLOPs), without deduplication, cache or pool;
- naive: single process, `timm.create_model` on CPU with real weights, for a sample of the models
  (extrapolated to all of them; reported per model too).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CARDS = ROOT.parent / "shared" / "corpus" / "timm-docs-2021" / "models"

PRELUDE = textwrap.dedent("""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    def peak_mb():
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(own, children) / 1024
    from model_index import index as index_mod
    from model_index.lint import Options
    cards = index_mod.load([sys.argv[1]])
""")

RUN = PRELUDE + textwrap.dedent("""
    from model_index.crosscheck import run
    from model_index.diagnostics import Result
    start = time.perf_counter()
    findings = run(cards, Options(cache_dir=sys.argv[2]), Result())
    print(json.dumps({"seconds": time.perf_counter() - start, "models": len(cards.models),
                      "findings": len(findings), "peak_mb": peak_mb()}))
""")

META_LOOP = PRELUDE + textwrap.dedent("""
    start = time.perf_counter()
    import torch, timm
    from torch.utils.flop_counter import FlopCounterMode
    from timm.models import get_deprecated_models
    deprecated, done = get_deprecated_models(), 0
    for model in cards.models:
        name = (model.value(("Metadata", "ID")) or model.name or "").strip()
        name = deprecated.get(name) or name
        if not timm.is_model(name.partition(".")[0]):
            continue
        with torch.device("meta"):
            net = timm.create_model(name, pretrained=False).eval()
        sum(p.numel() for p in net.parameters()), sum(t.numel() for t in net.state_dict().values())
        size = timm.models.get_pretrained_cfg(name)
        size = size.input_size[-1] if size is not None else 224
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            net(torch.empty(1, 3, size, size, device="meta"))
        done += 1
    print(json.dumps({"seconds": time.perf_counter() - start, "models": done, "peak_mb": peak_mb()}))
""")

NAIVE = PRELUDE + textwrap.dedent("""
    start = time.perf_counter()
    import torch, timm
    from timm.models import get_deprecated_models
    deprecated, names = get_deprecated_models(), []
    for model in cards.models:
        name = (model.value(("Metadata", "ID")) or model.name or "").strip()
        name = deprecated.get(name) or name
        if timm.is_model(name.partition(".")[0]):
            names.append(name)
    step = max(len(names) // int(sys.argv[2]), 1)
    sample = names[::step][: int(sys.argv[2])]
    for name in sample:
        net = timm.create_model(name, pretrained=False)
        sum(p.numel() for p in net.parameters())
        del net
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "models": len(sample), "all_models": len(names),
                      "peak_mb": peak_mb(), "sample": sample}))
""")


def child(script: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cards", nargs="?", default=str(DEFAULT_CARDS))
    parser.add_argument("--sample", type=int, default=10, help="models the naive CPU baseline builds")
    args = parser.parse_args()
    if not Path(args.cards).is_dir():
        sys.exit(f"no cards at {args.cards}")
    with tempfile.TemporaryDirectory(prefix="mi-bench-cache-") as cache:
        runs = {"cold": child(RUN, args.cards, cache), "warm": child(RUN, args.cards, cache)}
    runs["meta loop"] = child(META_LOOP, args.cards)
    naive = child(NAIVE, args.cards, str(args.sample))
    naive["per_model"] = naive["seconds"] / naive["models"]
    naive["extrapolated"] = naive["per_model"] * naive["all_models"]
    runs["naive (CPU)"] = naive
    cold = runs["cold"]["seconds"]
    print(f"cards: {args.cards}  models: {runs['cold']['models']}  cores: {os.cpu_count()}")
    print(f"{'run':<14}{'models':>8}{'seconds':>10}{'s/model':>10}{'× cold':>9}{'peak RSS':>11}")
    for label, run in runs.items():
        seconds = run.get("extrapolated", run["seconds"])
        models = run["models"] if label != "naive (CPU)" else f"{run['models']}/{run['all_models']}"
        note = " (extrapolated)" if label == "naive (CPU)" else ""
        print(f"{label:<14}{models:>8}{seconds:>10.2f}{run['seconds'] / run['models']:>10.3f}"
              f"{seconds / cold:>9.2f}{run['peak_mb']:>9.0f} MB{note}")
    print(f"warm/cold = {runs['warm']['seconds'] / cold:.3f} (target < 0.1);  "
          f"cold/meta loop = {cold / runs['meta loop']['seconds']:.2f} (target < 1)")
    print(f"naive sample: {', '.join(naive['sample'])}")


if __name__ == "__main__":
    main()
