#!/usr/bin/env bash
# Set up (venv, packages, chromium) and run the whole test suite on both cores.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k crosscheck -n 0`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q -n 2 "$@"
