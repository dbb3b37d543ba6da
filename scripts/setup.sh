#!/usr/bin/env bash
# Set up a working checkout: .venv with the project and all its extras, and Debian's chromium for
# the browser tests. Idempotent: what is already there is kept, so a second run takes seconds.
#
#   bash scripts/setup.sh            # everything
#   SKIP_CHROMIUM=1 bash scripts/setup.sh   # no browser (the browser tests then skip)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
fi

# The stamp holds a hash of what decides the install, so an unchanged checkout skips pip entirely
# and a changed pyproject.toml or constraints file reinstalls.
stamp=.venv/.model-index-setup
want="$(cat pyproject.toml scripts/constraints.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing the project with its timm, docs and test extras"
    .venv/bin/python -m pip install --quiet -c scripts/constraints.txt -e '.[timm,docs,test]'
    echo "$want" > "$stamp"
fi

# The browser tests drive Debian's chromium through playwright (no browser download).
if [ -z "${SKIP_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing Debian's chromium"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium >/dev/null
    else
        echo "setup: chromium is missing and cannot be installed here (needs root and apt-get);" \
             "the browser tests will be skipped" >&2
    fi
fi
echo "setup: ready ($(.venv/bin/model-index --version))"
