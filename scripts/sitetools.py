"""Build a site, serve it on 127.0.0.1 and open it in headless Chromium: shared by the browser
tests, the screenshots script and the benchmark."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def mkdocs_build(project: Path, site_dir: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """`mkdocs build` of the project at `project` into `site_dir`, in a subprocess."""
    command = [sys.executable, "-m", "mkdocs", "build", "-d", str(site_dir)] + (["--strict"] if strict else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        """Requests are not worth a line each on stderr."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(playwright) -> Iterator:
    """A headless Chromium context with a fresh user data dir; yields the browser context."""
    with tempfile.TemporaryDirectory(prefix="mi-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
