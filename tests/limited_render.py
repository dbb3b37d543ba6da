"""Render one card in this process under an address-space limit, and print what happened as JSON.

Run as a script by the bounds tests (`python tests/limited_render.py DOCS CARD MEMORY_MB [SECONDS]`),
in a subprocess with a timeout: a template that escaped its bounds would hit the memory limit (a
MemoryError the render reports like any error, so the test checks the error's kind) or the timeout.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(docs: str, card: str, memory_mb: str, seconds: str = "") -> None:
    limit = int(memory_mb) * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from model_index.index import load
    from model_index.render import Site
    from model_index.render.bounds import Bounds

    bounds = Bounds(seconds=float(seconds)) if seconds else Bounds()
    site = Site(load([Path(docs) / "models"]), Path(docs), Path(docs).parent / "templates", bounds=bounds)
    started = time.monotonic()
    page = site.card(card, Path(card).read_text(encoding="utf-8"))
    print(json.dumps({"problems": [[p.line, p.kind] for p in site.problems],
                      "page": page, "seconds": time.monotonic() - started,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main(*sys.argv[1:])
