"""Benchmark the cross-check on a directory of cards: cold and warm runs against a meta-device loop.

    .venv/bin/python benchmarks/crosscheck.py [CARDS] [--limit 15] [--repeat 3] [--jobs 1,2] [--naive 10]

Every run is a fresh Python process, so each pays its own imports. Memory is sampled every
0.1 s over the run's whole process tree (main process, fork server and workers): the peak of the
largest process's resident set, and the peak of their sum (an upper bound: workers share the
pages of torch and timm with the fork server they forked from). CPU is the user and system time of
every process of that tree, as last sampled: on a busy machine it shows the work a run does
where wall time shows mostly the neighbours.

- cold: `model_index.crosscheck.run` with an empty cache, once with the automatic pool size and
  once per `--jobs` value;
- warm: the same again, on the cache the automatic cold run filled;
- meta loop (the baseline): one process that imports torch and timm and, for every card model,
  builds it on the meta device, counts its parameters, summarises its state_dict for the file size
  and reads its pretrained config; it counts no FLOPs, caches nothing and runs no pool;
- old path: every fact the cold run measured is measured again the way the cross-check did before
  (FlopCounterMode, initialisers run), and the two are compared value by value;
- naive (with `--naive N`): real CPU models with real initialisation for N of the models,
  extrapolated to all.

The target of issue 10: cold at most 0.8x the meta loop, on 2 cores. With `--repeat`, each timed
run is repeated and the fastest is shown (the machine is shared; the fastest is the least disturbed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CARDS = ROOT.parent / "shared" / "corpus" / "timm-docs-2021" / "models"

PRELUDE = textwrap.dedent("""
    import json, sys, time, warnings
    warnings.simplefilter("ignore")
    from model_index import index as index_mod
    from model_index.lint import Options
    cards = index_mod.load(json.loads(sys.argv[1]))
""")

RUN = PRELUDE + textwrap.dedent("""
    from model_index.crosscheck import run
    from model_index.crosscheck.capacity import automatic_workers
    from model_index.diagnostics import Result
    jobs = int(sys.argv[3]) if sys.argv[3] != "auto" else None
    start = time.perf_counter()
    result = Result()
    findings = run(cards, Options(cache_dir=sys.argv[2], jobs=jobs), result)
    print(json.dumps({"seconds": time.perf_counter() - start, "models": len(cards.models),
                      "findings": sorted(f"{f.code} {f.entity.path}:{f.entity.name}:{f.expected}" for f in findings),
                      "notices": result.notices, "jobs": jobs or automatic_workers()}))
""")

META_LOOP = PRELUDE + textwrap.dedent("""
    start = time.perf_counter()
    import torch, timm
    from timm.models import get_deprecated_models
    from model_index.crosscheck import checkpoint
    deprecated, done = get_deprecated_models(), 0
    for model in cards.models:
        name = (model.value(("Metadata", "ID")) or model.name or "").strip()
        name = deprecated.get(name) or name
        if not timm.is_model(name.partition(".")[0]):
            continue
        with torch.device("meta"):
            net = timm.create_model(name, pretrained=False).eval()
        parameters = sum(p.numel() for p in net.parameters())
        shapes = [[k, str(t.dtype).removeprefix("torch."), list(t.shape)] for k, t in net.state_dict().items()]
        checkpoint.candidates({"parameters": parameters, **checkpoint.summary(shapes)})
        cfg = timm.models.get_pretrained_cfg(name)
        cfg and (cfg.input_size, cfg.test_input_size, cfg.crop_pct, cfg.interpolation, cfg.mean, cfg.std)
        done += 1
    print(json.dumps({"seconds": time.perf_counter() - start, "models": done}))
""")

OLD_PATH = textwrap.dedent("""
    import json, re, sys, warnings
    warnings.simplefilter("ignore")
    from pathlib import Path
    import torch, timm
    from torch.utils.flop_counter import FlopCounterMode
    from model_index.crosscheck import measure
    from model_index.crosscheck.cache import Cache
    same, different, uncountable = 0, [], []
    for path in sorted(Cache(sys.argv[1]).directory.glob("*.json")):
        match = re.fullmatch(r"(model|flops)-(.+)@([0-9]+)", path.stem)
        if not match:
            continue
        unit = measure.Unit(match[2], int(match[3]), match[1])
        new = json.loads(path.read_text())
        construction, kwargs = measure._construction(unit)
        with torch.device("meta"):
            model = timm.create_model(unit.full_name, pretrained=False, **kwargs).eval()
        if unit.what == measure.MODEL:
            old = measure._model_facts(model)
        else:
            try:
                counter = FlopCounterMode(display=False)
                with counter, torch.no_grad():
                    model(torch.empty(1, construction[2], unit.image_size, unit.image_size, device="meta"))
                old = {"flops": counter.get_total_flops()}
            except Exception as error:
                uncountable.append(f"{unit.full_name}: {type(error).__name__}")
                continue
        if old == new:
            same += 1
        else:
            different.append([unit.key, old, new])
    print(json.dumps({"same": same, "different": different, "uncountable": uncountable}))
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
    print(json.dumps({"seconds": seconds, "models": len(sample), "all_models": len(names)}))
""")


def tree_sample(root: int, cpu: dict[int, float]) -> tuple[int, int, int]:
    """(summed RSS, largest RSS, processes) of `root` and all its descendants, in bytes. Records
    in `cpu` each one's CPU seconds so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid → (parent, CPU seconds)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
            except (OSError, IndexError, ValueError):
                continue
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, largest, count, todo = 0, 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if pid in stats:
            cpu[pid] = stats[pid][1]
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as stream:
                rss = next(int(line.split()[1]) for line in stream if line.startswith("VmRSS:")) * 1024
        except (OSError, StopIteration, ValueError, IndexError):
            continue
        total, largest, count = total + rss, max(largest, rss), count + 1
    return total, largest, count


def child(script: str, *args: str) -> dict:
    """Run `script` in a fresh interpreter; its JSON result plus peak memory and process count."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak, peak_one, processes, cpu = 0, 0, 0, {}
    while process.poll() is None:
        memory, largest, count = tree_sample(process.pid, cpu)
        peak, peak_one, processes = max(peak, memory), max(peak_one, largest), max(processes, count)
        time.sleep(0.1)
    out, err = process.communicate()
    if process.returncode:
        sys.exit(f"benchmark child failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    return {**result, "peak_mb": peak / 2**20, "largest_mb": peak_one / 2**20, "processes": processes,
            "cpu": sum(cpu.values())}


def fastest(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cards", nargs="?", default=str(DEFAULT_CARDS))
    parser.add_argument("--limit", type=int, help="only the first N cards (by file name)")
    parser.add_argument("--repeat", type=int, default=1, help="time each run this many times, keep the fastest")
    parser.add_argument("--jobs", default="1", help="comma-separated pool sizes to time besides the automatic one")
    parser.add_argument("--naive", type=int, default=0, help="also build N models on CPU (0: skip)")
    args = parser.parse_args()
    if not Path(args.cards).is_dir():
        sys.exit(f"no cards at {args.cards}")
    cards = sorted(str(p) for p in Path(args.cards).iterdir() if p.suffix == ".md")[: args.limit]
    cards_arg = json.dumps(cards)
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mi-bench-") as scratch:
        def cold(jobs: str, keep: str | None = None) -> dict:
            attempts = []
            for attempt in range(args.repeat):
                cache = keep if keep and attempt == args.repeat - 1 else tempfile.mkdtemp(dir=scratch)
                attempts.append(child(RUN, cards_arg, cache, jobs))
            return fastest(attempts)

        kept = str(Path(scratch) / "kept")
        runs["meta loop"] = fastest([child(META_LOOP, cards_arg) for _ in range(args.repeat)])
        runs["cold, auto"] = cold("auto", kept)
        for jobs in [j for j in args.jobs.split(",") if j.strip()]:
            runs[f"cold, --jobs {jobs}"] = cold(jobs)
        runs["warm"] = fastest([child(RUN, cards_arg, kept, "auto") for _ in range(args.repeat)])
        old = child(OLD_PATH, kept)
    if args.naive:
        naive = child(NAIVE, cards_arg, str(args.naive))
        naive["seconds"] = naive["seconds"] / naive["models"] * naive["all_models"]
        naive["models"] = naive["all_models"]
        runs[f"naive CPU ({args.naive} built)"] = naive

    base = runs["meta loop"]["seconds"]
    print(f"cards: {len(cards)} in {args.cards}  models: {runs['cold, auto']['models']}  "
          f"CPUs: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  fastest of {args.repeat}")
    print(f"{'run':<22}{'workers':>8}{'seconds':>9}{'× meta loop':>13}{'CPU s':>8}{'× meta loop':>13}"
          f"{'RSS, sum':>11}{'largest':>10}{'processes':>11}")
    base_cpu = runs["meta loop"]["cpu"]
    for label, run in runs.items():
        workers = "-" if label == "warm" else run.get("jobs", 1)
        print(f"{label:<22}{workers!s:>8}{run['seconds']:>9.2f}{run['seconds'] / base:>13.2f}"
              f"{run['cpu']:>8.1f}{run['cpu'] / base_cpu:>13.2f}{run['peak_mb']:>8.0f} MB"
              f"{run['largest_mb']:>7.0f} MB{run['processes']:>11}")
    cold_auto = runs["cold, auto"]
    print(f"cold/meta loop = {cold_auto['seconds'] / base:.2f} (target <= 0.8);  "
          f"warm/cold = {runs['warm']['seconds'] / cold_auto['seconds']:.3f}")
    same_reports = all(run["findings"] == cold_auto["findings"] for label, run in runs.items() if "findings" in run)
    print(f"every cold and warm run made the same {len(cold_auto['findings'])} findings: {same_reports}")
    print(f"old path: {old['same']} measured units identical, {len(old['different'])} different"
          + "".join(f"\n  {key}: old {o} new {n}" for key, o, n in old["different"]))
    if old["uncountable"]:
        print(f"  FlopCounterMode could not count {len(old['uncountable'])}: {', '.join(old['uncountable'])}")


if __name__ == "__main__":
    main()
