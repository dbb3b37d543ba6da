"""Refresh the README's screenshots: docs/assets/overview.png and docs/assets/card.png.

    .venv/bin/python scripts/screenshots.py [--card models/big-transfer/]

Builds the project's site (mkdocs.yml) into a temporary folder, serves it on 127.0.0.1 and takes
the pictures in headless Chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitetools import chromium, mkdocs_build, serve

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "docs" / "assets"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--card", default="models/big-transfer/", help="the card page to show")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mi-shots-") as tmp:
        run = mkdocs_build(ROOT, Path(tmp) / "site", strict=False)
        if run.returncode != 0:
            sys.exit(run.stderr)
        ASSETS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright, serve(Path(tmp) / "site") as url, chromium(playwright) as context:
            page = context.new_page()
            page.goto(url + "overview/")
            page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('mi-overview-chart'))")
            page.screenshot(path=ASSETS / "overview.png", full_page=True)
            page.goto(url + args.card)
            page.screenshot(path=ASSETS / "card.png", clip={"x": 0, "y": 0, "width": 1280, "height": 1600},
                            full_page=True)
    print(f"wrote {ASSETS / 'overview.png'} and {ASSETS / 'card.png'}")


if __name__ == "__main__":
    main()
