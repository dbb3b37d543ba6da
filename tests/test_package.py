"""The package as a user installs it: sdist and wheel built from this tree, installed into fresh
venvs. One venv gets the wheel alone (the static checks: no torch, no Jinja2, no MkDocs); another
gets it with the docs extra, builds a site with the plugin, and builds the MkDocs guide's example
copied verbatim, checked in headless Chromium."""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from guide_site import check_card_page, new_project

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from sitetools import CHROMIUM, chromium, serve  # noqa: E402
SITE = ROOT / "tests" / "fixtures" / "site"
DOCS_URL = "https://model-index-lint.github.io/model-index-lint/"
BROKEN = "# Broken\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: large\n-->\n"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built the way a release is (`python -m build`: the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--installer", "uv", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def uv(*args: str) -> None:
    """uv (from the test extra): venvs and installs from PyPI in seconds, with a cache across runs."""
    done = subprocess.run([sys.executable, "-m", "uv", "--quiet", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def venv(path: Path, *requirements: str) -> Path:
    """A fresh venv at `path` with `requirements` installed; its bin folder."""
    uv("venv", "--python", sys.executable, str(path))
    uv("pip", "install", "--python", str(path / "bin" / "python"), *requirements)
    return path / "bin"


def installed(bin_dir: Path) -> set[str]:
    """The distributions installed in the venv, by normalised name (read from its site-packages)."""
    code = "import importlib.metadata as m, json; print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"
    names = subprocess.run([str(bin_dir / "python"), "-c", code], check=True, capture_output=True, text=True).stdout
    return {name.lower().replace("_", "-") for name in json.loads(names)}


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)


def test_sdist_and_wheel_carry_the_distribution_name_licence_and_urls(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(wheel.read(f"{info}/METADATA"))
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert meta["Name"] == "model-index-lint" and meta["License-Expression"] == "Apache-2.0"
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL"))
    assert urls["Documentation"] == DOCS_URL and set(urls) >= {"Source", "Issues"}
    assert "model-index = model_index.cli:main" in entry_points  # the command keeps its name
    assert "model-index = model_index.mkdocs_plugin:ModelIndexPlugin" in entry_points
    assert f"{info}/licenses/LICENSE" in names and "model_index/templates/card.md" in names
    readme = meta.get_payload()  # the README is the PyPI description: absolute links only
    assert "pip install model-index-lint" in readme and "](docs/" not in readme and "](./" not in readme
    with tarfile.open(dist["sdist"]) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "pyproject.toml", "templates/card.md", "action.yml"} <= members
    assert not any(name.startswith((".venv/", "site/")) for name in members)


def test_static_install_validates_without_torch_and_names_the_extras(dist, tmp_path):
    bin_dir = venv(tmp_path / "venv", str(dist["wheel"]))
    packages = installed(bin_dir)
    assert "model-index-lint" in packages
    assert not packages & {"torch", "timm", "jinja2", "mkdocs"}, "the static install pulls no extra"
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "broken.md").write_text(BROKEN, encoding="utf-8")

    report = run(bin_dir, "model-index", "validate", "cards", "--output-format", "json", cwd=tmp_path)
    assert report.returncode == 1, report.stderr
    data = json.loads(report.stdout)
    assert data["summary"]["files"] == 1 and data["summary"]["errors"] >= 1
    assert {(d["path"], d["line"]) for d in data["diagnostics"]} == {(os.path.join("cards", "broken.md"), 7)}
    assert "pip install 'model-index-lint[timm]'" in report.stderr  # cross-check skipped: what to install

    sarif = json.loads(run(bin_dir, "model-index", "validate", "cards", "--output-format", "sarif", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["tool"]["driver"]["informationUri"] == DOCS_URL  # read from the installed metadata

    render = run(bin_dir, "model-index", "render", "cards", "-o", "out", "--cards", ".", cwd=tmp_path)
    assert render.returncode == 2 and "pip install 'model-index-lint[docs]'" in render.stderr
    assert "Traceback" not in render.stderr and not (tmp_path / "out").exists()

    # MkDocs alone (it brings Jinja2) is not the docs extra: the plugin says what is missing.
    uv("pip", "install", "--python", str(bin_dir / "python"), "mkdocs")
    site = tmp_path / "site"
    (site / "docs" / "models").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - model-index\n", encoding="utf-8")
    build = run(bin_dir, "mkdocs", "build", "--strict", cwd=site)
    assert build.returncode != 0
    assert "pip install 'model-index-lint[docs]'" in build.stderr and "Traceback" not in build.stderr


def test_docs_install_builds_a_site_with_the_plugin(dist, tmp_path):
    bin_dir = venv(tmp_path / "venv", f"{dist['wheel']}[docs]")
    packages = installed(bin_dir)
    assert {"mkdocs", "mkdocs-material", "jinja2", "pymdown-extensions"} <= packages
    assert "torch" not in packages
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    build = run(bin_dir, "mkdocs", "build", "--strict", cwd=site)
    assert build.returncode == 0, build.stderr
    page = (site / "site" / "models" / "resnet" / "index.html").read_text(encoding="utf-8")
    assert "assets/model-index/model-index.js" in page  # the plugin rendered the card and added its scripts
    assert (site / "site" / "overview" / "index.html").is_file()

    # cross_check: true without timm: the build stops and names the plugin's option, not the CLI's
    (site / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - model-index:\n      cross_check: true\n",
                                     encoding="utf-8")
    build = run(bin_dir, "mkdocs", "build", cwd=site)
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert "cross_check: true" in build.stderr and "--cross-check" not in build.stderr
    assert "pip install 'model-index-lint[timm]'" in build.stderr

    guide = new_project(tmp_path / "guide", "guide")  # the guide's mkdocs.yml, verbatim
    build = run(bin_dir, "mkdocs", "build", "--strict", cwd=guide)
    assert build.returncode == 0, build.stderr
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: the guide's site was built, not looked at")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright, serve(guide / "site") as url, chromium(playwright) as context:
        context.route(lambda u: not u.startswith(url), lambda route: route.abort())  # Material's web fonts
        check_card_page(context.new_page(), url)
