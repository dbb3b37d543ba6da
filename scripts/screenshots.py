"""Refresh the screenshots in docs/assets: the README's overview.png and card.png, and
tables-1280.png and tables-420.png, a card's tables at a desktop and a phone width.

    .venv/bin/python scripts/screenshots.py [--card models/big-transfer/] [--tables models/vision-transformer/]

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
    parser.add_argument("--tables", default="models/vision-transformer/",
                        help="the card page whose tables to show (the longest model names)")
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
            for width in (1280, 420):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url + args.tables)
                page.screenshot(path=ASSETS / f"tables-{width}.png", clip=_models_section(page), full_page=True)
    print(f"wrote overview.png, card.png, tables-1280.png and tables-420.png in {ASSETS}")


def _models_section(page) -> dict[str, float]:
    """The page region from the card's "Models" heading to the next section's heading."""
    return page.evaluate("""() => {
        const start = document.getElementById('models');
        let end = start.nextElementSibling;
        while (end && end.tagName !== 'H2') end = end.nextElementSibling;
        const top = start.getBoundingClientRect().top + scrollY - 16;
        const bottom = (end ? end.getBoundingClientRect().top : document.body.scrollHeight) + scrollY - 8;
        return {x: 0, y: top, width: innerWidth, height: bottom - top};
    }""")


if __name__ == "__main__":
    main()
