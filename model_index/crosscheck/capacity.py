"""How many measuring workers this machine can hold: one per usable CPU, as many as memory allows.

A worker holds torch and timm, about `WORKER_MEMORY`. CPUs are those this process may run on
(its affinity mask, and a cgroup v2 CPU quota, as containers set them); memory is what Linux says
is available (``MemAvailable``, and the room left under a cgroup v2 memory limit), else the free
physical pages that `os.sysconf` reports. When memory cannot be read, CPUs alone decide."""

from __future__ import annotations

import math
import os
from pathlib import Path

WORKER_MEMORY = 700 * 2**20  # bytes a worker holding torch and timm takes
CGROUP = Path("/sys/fs/cgroup")  # cgroup v2's unified hierarchy, as a container sees its own


def automatic_workers() -> int:
    """The pool size when the user gives none (at least 1)."""
    cpus = usable_cpus()
    memory = available_memory()
    by_memory = cpus if memory is None else memory // WORKER_MEMORY
    return max(min(cpus, by_memory), 1)


def usable_cpus() -> int:
    """CPUs this process may run on, within its cgroup's CPU quota."""
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count() or 1
    quota = _read(CGROUP / "cpu.max").split()
    if len(quota) == 2 and quota[0] != "max" and _is_int(quota[0]) and _is_int(quota[1]) and int(quota[1]) > 0:
        cpus = min(cpus, max(math.ceil(int(quota[0]) / int(quota[1])), 1))
    return max(cpus, 1)


def available_memory() -> int | None:
    """Bytes that new processes can use without swapping, or None when the system does not say."""
    known = []
    for line in _read("/proc/meminfo").splitlines():
        name, _, value = line.partition(":")
        if name == "MemAvailable" and value.split() and _is_int(value.split()[0]):
            known.append(int(value.split()[0]) * 1024)
    limit, used = _read(CGROUP / "memory.max").strip(), _read(CGROUP / "memory.current").strip()
    if _is_int(limit) and _is_int(used):
        known.append(max(int(limit) - int(used), 0))
    if not known:
        try:
            known.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (AttributeError, OSError, ValueError):  # not POSIX, or no such variable (macOS)
            return None
    return min(known)


def _read(path) -> str:
    try:
        with open(path, encoding="ascii") as stream:
            return stream.read(65536)
    except (OSError, UnicodeDecodeError):
        return ""


def _is_int(text: str) -> bool:
    return text.isascii() and text.isdigit()
