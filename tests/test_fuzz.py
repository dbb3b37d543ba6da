"""Fuzzing from the real corpus: cards with flipped bits, deleted lines, stray comment markers, odd
scalars and anchored values with their aliases are validated (and fixed) in a limited subprocess.
No crash, no hang, every file counted in the report, and --fix loses no model. Seeded, so a
failure reproduces."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

from hostile.harness import run_limited

SEED = 20240607
MUTANTS_PER_FILE = 4
ODD_SCALARS = ["", "~", ".inf", "-.nan", "1e999", "0x1F", "0o17", "+1_000", "'", '"', "[", "{", "]", "}", "&a",
               "*a", "*undefined", "!!binary aGk=", "!!python/object:os.system", "? x", "- - -", ": :", "|", ">-",
               '"\\ud800"', '"\\x1b[2J"', "2001-12-14t21:59:43.10-05:00", "9" * 400, "yes", "null", "<<: *a",
               "'''", "%YAML 1.1", "---", "...", "\t224", "224 # comment", "&a [*a]"]
VALUE = re.compile(rb"^(\s*(?:- )?[A-Za-z][\w ]*:)[ \t]+\S.*$", re.M)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three mutations of a card's bytes."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["flip", "delete", "marker", "scalar", "scalar", "alias"])
        if kind == "flip" and data:
            at = rng.randrange(len(data))
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
        elif kind == "delete":
            lines = data.split(b"\n")
            del lines[rng.randrange(len(lines))]
            data = b"\n".join(lines)
        elif kind == "marker":
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.choice([b"-->", b"<!--", b"`", b"```\n", b"\n---\n"]) + data[at:]
        elif kind == "alias":  # a value anchored, a later one made its alias
            values = list(VALUE.finditer(data))
            if len(values) >= 2:
                first, later = sorted(rng.sample(values, 2), key=lambda m: m.start())
                anchor = f"&v{rng.randrange(100)}".encode()
                data = (data[:first.end(1)] + b" " + anchor + data[first.end(1):later.start()] + later.group(1)
                        + b" *" + anchor[1:] + data[later.end():])
        else:
            values = list(VALUE.finditer(data))
            if values:
                found = rng.choice(values)
                odd = rng.choice(ODD_SCALARS).encode("utf-8")
                data = data[:found.start()] + found.group(1) + b" " + odd + data[found.end():]
    return data


def _sources(shared: Path) -> list[Path]:
    corpus = shared / "corpus"
    return sorted((corpus / "timm-docs-2021" / "models").glob("*.md")) + sorted(
        (corpus / "mmpretrain-sample").rglob("*.yml"))


def _write_mutants(shared: Path, folder: Path) -> list[str]:
    rng = random.Random(SEED)
    names = []
    for source in _sources(shared):
        data = source.read_bytes()
        for i in range(MUTANTS_PER_FILE):
            name = f"{source.parent.name}-{source.stem}-{i}{source.suffix}"
            (folder / name).write_bytes(_mutate(data, rng))
            names.append(name)
    return names


def _report(run) -> dict:
    assert not run.timed_out, "no result in time"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (0, 1), (run.returncode, run.stderr[-3000:])
    return json.loads(run.stdout)


def test_mutated_real_cards_are_all_reported(shared, tmp_path):
    cards = tmp_path / "cards"
    cards.mkdir()
    names = _write_mutants(shared, cards)
    assert len(names) >= 200
    command = ["model_index", "validate", *names, "--no-cross-check", "--output-format", "json"]
    report = _report(run_limited(command, cards, timeout=120, memory_mib=1024))
    assert report["summary"]["files"] == len(names)
    assert {d["path"] for d in report["diagnostics"]} <= set(names)

    fixed = tmp_path / "fixed"
    shutil.copytree(cards, fixed)
    after = _report(run_limited([*command, "--fix"], fixed, timeout=180, memory_mib=1024))
    assert after["summary"]["files"] == len(names)
    assert (after["summary"]["models"], after["summary"]["collections"]) == (
        report["summary"]["models"], report["summary"]["collections"])
