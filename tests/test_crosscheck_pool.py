"""The measuring pool: sized by the machine's CPUs and memory, overridden by --jobs, started
early on a cold run, and never imported on a warm one."""

import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_index import crosscheck
from model_index.cli import main
from model_index.crosscheck import capacity, parallel

GiB = 2**30


def fake_files(monkeypatch, files):
    monkeypatch.setattr(capacity, "_read", lambda path: files.get(str(path), ""))


def test_one_worker_per_cpu_as_many_as_memory_holds(monkeypatch):
    monkeypatch.setattr(capacity, "usable_cpus", lambda: 16)
    monkeypatch.setattr(capacity, "available_memory", lambda: 3 * capacity.WORKER_MEMORY + 1)
    assert capacity.automatic_workers() == 3
    monkeypatch.setattr(capacity, "available_memory", lambda: 64 * GiB)
    assert capacity.automatic_workers() == 16
    monkeypatch.setattr(capacity, "available_memory", lambda: 100)
    assert capacity.automatic_workers() == 1
    monkeypatch.setattr(capacity, "available_memory", lambda: None)  # memory unknown: CPUs decide
    assert capacity.automatic_workers() == 16


def test_available_memory_is_the_least_of_what_linux_and_the_cgroup_allow(monkeypatch):
    meminfo = "MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"
    fake_files(monkeypatch, {"/proc/meminfo": meminfo})
    assert capacity.available_memory() == 20_000_000 * 1024
    fake_files(monkeypatch, {"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": f"{4 * GiB}\n",
                             "/sys/fs/cgroup/memory.current": f"{1 * GiB}\n"})
    assert capacity.available_memory() == 3 * GiB
    fake_files(monkeypatch, {"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"})
    assert capacity.available_memory() == 20_000_000 * 1024


def test_available_memory_falls_back_to_sysconf_then_to_nothing(monkeypatch):
    fake_files(monkeypatch, {})
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_AVPHYS_PAGES": 1000, "SC_PAGE_SIZE": 4096}[name])
    assert capacity.available_memory() == 4_096_000

    def no_such_variable(name):
        raise ValueError(name)

    monkeypatch.setattr(os, "sysconf", no_such_variable)
    assert capacity.available_memory() is None


def test_a_cgroup_cpu_quota_bounds_the_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    fake_files(monkeypatch, {"/sys/fs/cgroup/cpu.max": "250000 100000\n"})
    assert capacity.usable_cpus() == 3
    fake_files(monkeypatch, {"/sys/fs/cgroup/cpu.max": "max 100000\n"})
    assert capacity.usable_cpus() == 64


def test_the_pool_never_has_more_workers_than_architectures(monkeypatch):
    monkeypatch.setattr(capacity, "automatic_workers", lambda: 8)
    assert parallel.worker_count(100) == 8 and parallel.worker_count(3) == 3
    assert parallel.worker_count(100, workers=2) == 2 and parallel.worker_count(1, workers=4) == 1


def test_jobs_reaches_the_measuring(tmp_path, monkeypatch):
    if not crosscheck.available():
        pytest.skip("needs torch and timm")
    seen = []
    monkeypatch.setattr(crosscheck, "measure_all", lambda units, cache, progress, workers: seen.append(workers) or {
        unit: {"error": "not measured in this test"} for unit in units})
    card = tmp_path / "card.md"
    card.write_text("<!--\nType: model-index\nModels:\n- Name: resnet18\n-->\n", encoding="utf-8")
    runner = CliRunner()
    for args, workers in ((["--jobs", "3"], 3), ([], None)):
        runner.invoke(main, ["validate", str(card), "--cache-dir", str(tmp_path / "cache"), *args])
        assert seen.pop() == workers


def dies_in_a_worker():
    """Kills the process it runs in, unless that is the main process (as a segfault would)."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return os.getpid()


def test_what_a_dying_worker_was_to_run_is_run_here():
    assert parallel.in_worker(os.getpid, workers=2) != os.getpid()  # run by a worker
    assert parallel.in_worker(dies_in_a_worker, workers=2) == os.getpid()
    assert parallel.in_worker(os.getpid, workers=1) == os.getpid()  # a pool of one: nothing forked


def run_script(code):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=600, cwd=Path(__file__).parents[1], env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.timm
def test_with_a_pool_only_workers_import_torch_and_timm_cold_or_warm(tmp_path):
    if not crosscheck.available():
        pytest.skip("needs torch and timm")
    card = tmp_path / "card.md"
    card.write_text("<!--\nType: model-index\nModels:\n- Name: resnet18.tv_in1k\n  Metadata:\n    Parameters: 1\n"
                    "- Name: efficientnet_b0\n-->\n", encoding="utf-8")

    def run_with(cache, jobs):
        return run_script(f"""
            import sys
            from model_index.lint import Options, validate
            _, result = validate([{str(card)!r}], options=Options(cache_dir={str(tmp_path / cache)!r}, jobs={jobs}))
            print(sorted(m for m in ("torch", "timm") if m in sys.modules),
                  [(d.code, d.span.line) for d in result.diagnostics if d.code.startswith("MI3")])
            """)

    assert run_with("cache", 2) == run_with("cache", None) == "[] [('MI302', 6)]"  # cold, then warm
    assert run_with("another", 1) == "['timm', 'torch'] [('MI302', 6)]"  # --jobs 1: measured here


def test_the_progress_bar_says_who_measures():
    pytest.importorskip("tqdm")
    pooled, here = parallel._bar(10, 3, True), parallel._bar(10, 0, True)
    assert "3 workers" in pooled.desc and "3" not in here.desc
    pooled.close(), here.close()
