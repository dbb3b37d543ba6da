"""The mkdocs plugin's cost: a site of the 50 shared timm cards, built with the plugin, against a
plain `mkdocs build` of the same pages rendered to Markdown first (the timm way: render, then build).

    .venv/bin/python benchmarks/site_build.py [--runs 5] [--cards ../shared/corpus/timm-docs-2021/models]

Both builds run as `mkdocs build` subprocesses with the same theme and extensions; the plain one
gets the Markdown that `model-index render` writes (the same cards, overview and rules pages, and
scripts), so that only the plugin's work differs: loading and validating the cards and rendering
them. The builds alternate and the best of --runs is kept for each. The cross-check is off in both
(it is cached in real use and measured by its own benchmark). Target: ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import mkdocs_build  # noqa: E402

CARDS = ROOT.parent / "shared/corpus/timm-docs-2021/models"

CONFIG = """site_name: timm cards
docs_dir: {docs}
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - tables
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
"""


def prepare(cards: Path, workdir: Path) -> tuple[Path, Path]:
    """Two projects over the same cards: one with the plugin, one with pre-rendered Markdown."""
    from model_index.render import script_paths, style_paths

    plugin, plain = workdir / "plugin", workdir / "plain"
    shutil.copytree(cards, plugin / "docs" / "models")
    (plugin / "docs" / "index.md").write_text("# timm cards\n", encoding="utf-8")
    (plugin / "mkdocs.yml").write_text(CONFIG.format(docs="docs") + "  - model-index\n", encoding="utf-8")
    render = subprocess.run([sys.executable, "-m", "model_index", "render", "docs", "-o", str(plain / "docs")],
                            cwd=plugin, capture_output=True, text=True)
    if render.returncode not in (0, 1):  # 1: some card's template failed, which the plugin meets too
        sys.exit(f"render failed:\n{render.stderr}")
    extra = "extra_javascript:\n" + "".join(f"  - {p}\n" for p in script_paths())
    extra += "extra_css:\n" + "".join(f"  - {p}\n" for p in style_paths())
    (plain / "mkdocs.yml").write_text(CONFIG.format(docs="docs") + extra, encoding="utf-8")
    return plugin, plain


def timed_build(project: Path, site: Path) -> float:
    start = time.perf_counter()
    run = mkdocs_build(project, site, strict=False)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"mkdocs build failed in {project}:\n{run.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cards", type=Path, default=CARDS)
    args = parser.parse_args()
    if not args.cards.is_dir():
        sys.exit(f"no cards at {args.cards}")
    with tempfile.TemporaryDirectory(prefix="mi-bench-") as tmp:
        plugin, plain = prepare(args.cards, Path(tmp))
        times: dict[str, list[float]] = {"plugin": [], "plain": []}
        for _ in range(args.runs):
            times["plain"].append(timed_build(plain, Path(tmp) / "site-plain"))
            times["plugin"].append(timed_build(plugin, Path(tmp) / "site-plugin"))
    cards = len(list(args.cards.glob("*.md")))
    best = {name: min(values) for name, values in times.items()}
    print(f"{cards} cards, best of {args.runs} runs each")
    print(f"  plain mkdocs build of pre-rendered Markdown: {best['plain']:.2f} s")
    print(f"  mkdocs build with the model-index plugin:    {best['plugin']:.2f} s")
    print(f"  ratio plugin/plain: {best['plugin'] / best['plain']:.2f} (target <= 1.50)")


if __name__ == "__main__":
    main()
