#!/usr/bin/env bash
# The project's main job on its own documentation: set up, validate every card (cross-check
# against timm included), then build the site with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/model-index validate docs/ --strict   # our own cards: warnings fail too
.venv/bin/mkdocs build --strict
