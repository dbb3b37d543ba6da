"""Render model cards and the generated pages (model overview, rules reference) to Markdown.

The library half of the docs site: the mkdocs plugin and `model-index render` are thin adapters
over `Site`, so both produce the same Markdown. Rendering needs Jinja2 but never torch: the current
timm names of the models are an optional input (`names`), filled from the cross-check by callers
that run it. With them, timm code snippets are shown for those models only; without them a
snippet names the card's `ID` (or `Name`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from ..extract import MARKDOWN_SUFFIXES
from ..index import Entity, Index, display_path
from ..rules import all_rules
from . import text as cardtext
from .environment import assets_dir, make_environment
from .view import family_view, model_view, plain

SCRIPTS = ["vendor/tablesort.min.js", "vendor/tablesort.number.min.js", "vendor/chart.umd.min.js",
          "model-index.js"]
STYLES = ["model-index.css"]
LICENCES = ["vendor/LICENSE-chart.js.txt", "vendor/LICENSE-tablesort.txt"]
ASSET_PREFIX = "assets/model-index/"


@dataclass(frozen=True)
class Problem:
    """A card that could not be rendered as written; the page still builds, with a note."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Site:
    """Everything needed to render one documentation folder.

    Pages come from Markdown cards only. A model of a standalone `.yml`/`.json` file joins the card
    that defines its collection (`In Collection`); without one it is listed in the overview, unlinked.
    """

    index: Index
    docs_dir: Path
    templates: Path | None = None
    # model → current timm name (`arch.tag`) of every model the cross-check resolved to timm; None
    # when no cross-check ran (then every model is taken for a timm model, named by its card)
    names: dict[Entity, str] | None = None
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates)
        self.families = _families(self.index, self.names)  # absolute path as loaded → family
        self._by_realpath = {os.path.realpath(home): home for home in self.families if _is_markdown(home)}

    def _home(self, path: str | Path) -> str | None:
        """The family of the card page at `path`: by the path as given, else by its real path."""
        absolute = os.path.abspath(path)
        if absolute in self.families and _is_markdown(absolute):
            return absolute
        return self._by_realpath.get(os.path.realpath(path))

    def is_card(self, path: str | Path) -> bool:
        return self._home(path) is not None

    def page_of(self, home: str) -> str | None:
        """The card page of a family, relative to the docs folder; None for a data file, or for a
        card loaded from outside the folder."""
        if not _is_markdown(home):
            return None
        relative = Path(os.path.relpath(home, os.path.abspath(self.docs_dir)))
        return None if relative.parts[0] == ".." else relative.as_posix()

    def cards(self) -> dict[str, str]:
        """Every card page in the docs folder: its path there → its file."""
        return {page: home for home in self.families if (page := self.page_of(home)) is not None}

    def card(self, path: str | Path, text: str) -> str:
        """The page Markdown for the card at `path` whose source is `text`."""
        family = self.families[self._home(path)]
        default = family["default"] or {}
        context = {"family": family, "models": family["models"], "model": default,
                   "model_name": default.get("timm_name", "")}
        front, body = cardtext.split_front_matter(text)
        protected = cardtext.protect_code(body)
        source = cardtext.drop_metadata_comments(protected.text)
        note = ""
        if cardtext.uses_jinja(source):
            try:
                source = self.env.from_string(source).render(context)
            except TemplateError as error:
                line = front.count("\n") + _template_line(error)
                self.problems.append(Problem(display_path(Path(path)), line, f"card template not rendered: {error}"))
                note = self.env.get_template("card/error.md").render(message=str(error))
        parts = cardtext.split_parts(source).restored(protected)
        context.update(title=parts.title, intro=parts.intro, rest=parts.rest, note=note,
                       has_snippets="code_snippets.md" in body or "timm.create_model" in body,
                       has_citation=_has_citation(body))
        return front + self.env.get_template("card.md").render(context) + "\n"

    def overview(self, page: str) -> str:
        """The overview page at `page` (a path relative to the docs folder)."""
        here = Path(page).parent
        rows = []
        for home, family in sorted(self.families.items(), key=lambda item: item[1]["name"].lower()):
            target = self.page_of(home)
            link = Path(os.path.relpath(target, here)).as_posix() if target else ""
            rows.extend(dict(model, link=link) for model in family["models"])
        return self.env.get_template("overview.md").render(models=rows, families=len(self.families)) + "\n"

    def generated(self, overview: str, rules: str) -> dict[str, str]:
        """The generated pages by their path in the docs folder (an empty path skips a page)."""
        pages = {}
        if overview:
            pages[overview] = self.overview(overview)
        if rules:
            pages[rules] = self.rules()
        return pages

    def rules(self) -> str:
        """The rules reference, from the rule registry's docstrings."""
        rules = [r.as_dict() for r in all_rules()]
        families: dict[str, list[dict]] = {}
        for rule in rules:
            families.setdefault(rule["family"], []).append(rule)
        return self.env.get_template("rules.md").render(
            rules=rules, families=[{"title": title, "code": members[0]["code"][:3] + "xx", "rules": members}
                                   for title, members in families.items()])


def _template_line(error: TemplateError) -> int:
    """The line of the card template where `error` arose: syntax errors carry it, runtime errors
    have it in the traceback frames Jinja rewrites to point into the template."""
    line = getattr(error, "lineno", None)
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line or 1


def _has_citation(body: str) -> bool:
    lowered = body.lower()
    return "```bibtex" in lowered or "\n## citation" in lowered


def _is_markdown(path: str) -> bool:
    return Path(path).suffix.lower() in MARKDOWN_SUFFIXES


def _in_collection(model: Entity) -> str:
    return plain(model.raw.get("In Collection"))


def _families(index: Index, names: dict[Entity, str] | None) -> dict[str, dict]:
    """One family per home file (absolute, as loaded): a Markdown card with its models and those
    of data files in a collection it defines; a data file with its models that have no card."""
    collections = {c.name: c for c in index.collections if c.name}
    first_collection: dict[str, Entity] = {}  # file → the first collection it defines
    for collection in index.collections:
        first_collection.setdefault(os.path.abspath(collection.path), collection)
    card_of = {name: os.path.abspath(c.path) for name, c in collections.items() if _is_markdown(c.path)}
    by_home: dict[str, list[Entity]] = {}
    for model in index.models:
        home = os.path.abspath(model.path)
        if not _is_markdown(home):
            home = card_of.get(_in_collection(model), home)
        by_home.setdefault(home, []).append(model)
    families = {}
    for home, models in by_home.items():
        collection = first_collection.get(home) or collections.get(
            next((_in_collection(m) for m in models if _in_collection(m)), ""))
        name = collection.name if collection is not None else Path(home).stem.replace("-", " ").title()
        views = [model_view(m, (names or {}).get(m), name, names is None or m in names) for m in models]
        families[home] = family_view(name, collection, views)
    return families


def asset_files() -> dict[str, Path]:
    """Site path → file of every script and stylesheet the pages need, and the vendored licences."""
    return {ASSET_PREFIX + name: assets_dir() / name for name in SCRIPTS + STYLES + LICENCES}


def script_paths() -> list[str]:
    """The site paths of the scripts, in load order (for `extra_javascript`)."""
    return [ASSET_PREFIX + name for name in SCRIPTS]


def style_paths() -> list[str]:
    """The site paths of the stylesheets (for `extra_css`)."""
    return [ASSET_PREFIX + name for name in STYLES]
