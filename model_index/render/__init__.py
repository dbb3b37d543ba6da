"""Render model cards and the generated pages (model overview, rules reference) to Markdown.

The library half of the docs site: the mkdocs plugin and `model-index render` are thin adapters
over `Site`, so both produce the same Markdown. Rendering needs Jinja2 but never torch: which
models get timm code snippets, and under which timm name, is an input (`names`, see
`timm_models.py`), filled from the cross-check by callers that run it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..escape import url
from ..extract import MARKDOWN_SUFFIXES
from ..index import Entity, Index, display_path
from ..rules import all_rules
from . import text as cardtext
from .bounds import BoundExceeded, Bounds, Budget
from .environment import assets_dir, make_environment
from .problems import Failure, Problem, failure
from .timm_models import timm_names
from .view import family_view, findings_view, model_view, plain, with_columns

SCRIPTS = ["vendor/tablesort.min.js", "vendor/tablesort.number.min.js", "vendor/chart.umd.min.js",
          "model-index.js"]
STYLES = ["model-index.css"]
LICENCES = ["vendor/LICENSE-chart.js.txt", "vendor/LICENSE-tablesort.txt"]
ASSET_PREFIX = "assets/model-index/"


@dataclass
class Site:
    """Everything needed to render one documentation folder.

    Pages come from Markdown cards only. A model of a standalone `.yml`/`.json` file joins the card
    that defines its collection (`In Collection`); without one it is listed in the overview, unlinked.
    """

    index: Index
    docs_dir: Path
    templates: Path | None = None
    # model → the timm name of its code snippets, for every model the pages offer timm code for
    # (`timm_names`: the cross-check's resolutions, or what the cards say); None: what the cards say
    names: dict[Entity, str] | None = None
    problems: list[Problem] = field(default_factory=list)
    allow_html: bool = True  # raw HTML in a card's prose is kept (Markdown's rule); False shows it as text
    bounds: Bounds = field(default_factory=Bounds)  # what one card's templates may cost
    findings: list[Diagnostic] = field(default_factory=list)  # shown on top of the pages of their cards
    # card pages (paths relative to the docs folder) the site leaves out: listed in the overview, unlinked
    left_out: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates, self.bounds, self.allow_html)
        self._notes = make_environment(None, self.bounds)  # the shipped notes, whatever the project has
        names = self.names if self.names is not None else timm_names(self.index)
        self.families = _families(self.index, names)  # absolute path as loaded → family
        self._by_realpath = {os.path.realpath(home): home for home in self.families if _is_markdown(home)}
        self._findings: dict[str, list[Diagnostic]] = {}  # card → its findings, in report order
        for diagnostic in self.findings:
            home = self._home(diagnostic.path)
            if home is not None:
                self._findings.setdefault(home, []).append(diagnostic)

    def _home(self, path: str | Path) -> str | None:
        """The family of the card page at `path`: by the path as given, else by its real path."""
        absolute = os.path.abspath(path)
        if absolute in self.families and _is_markdown(absolute):
            return absolute
        return self._by_realpath.get(os.path.realpath(path))

    def is_card(self, path: str | Path) -> bool:
        return self._home(path) is not None

    def page_of(self, home: str) -> str | None:
        """The card page of a family, relative to the docs folder; None for a data file, a card
        loaded from outside the folder, or one the site leaves out."""
        if not _is_markdown(home):
            return None
        relative = Path(os.path.relpath(home, os.path.abspath(self.docs_dir)))
        page = relative.as_posix()
        return None if relative.parts[0] == ".." or page in self.left_out else page

    def cards(self) -> dict[str, str]:
        """Every card page in the docs folder: its path there → its file."""
        return {page: home for home in self.families if (page := self.page_of(home)) is not None}

    def card(self, path: str | Path, text: str) -> str:
        """The page Markdown for the card at `path` whose source is `text`.

        A card whose own template fails keeps its text as written, with a note, and so does a card
        whose text takes longer to prepare than the render's time bound; a card whose page
        template fails (card.md and its parts, the project's or the shipped ones) is shown without
        the generated sections, with a note. Either way the failure is a `Problem`. The card's
        `findings` come first, in a note of their own."""
        home = self._home(path)
        family = self.families[home]
        default = family["default"] or {}
        context = {"family": family, "models": family["models"], "model": default,
                   "model_name": default.get("timm_name", "")}
        front, body = cardtext.split_front_matter(text)
        shown, offset = display_path(Path(path)), front.count("\n")
        findings = self._findings_note(home)
        budget = self.env.budget()  # one clock for the card's text: preparing it and its own template
        try:
            parts, note = self._card_parts(body, context, budget, shown, offset)
        except BoundExceeded as error:  # preparing the text took too long: the card as written
            note = self._failed(shown, offset, failure(error), "card text")
            parts = cardtext.Parts("", "", self._as_written(body))
        note = Markup("\n\n").join(part for part in (findings, note) if part)
        context.update(title=Markup(parts.title), intro=Markup(parts.intro), rest=Markup(parts.rest), note=note,
                       has_snippets="code_snippets.md" in body or "timm.create_model" in body,
                       has_citation=_has_citation(body))
        try:
            with self.env.budget():
                page = self.env.get_template("card.md").render(context)
        except Exception as error:
            note = self._failed(shown, offset, failure(error), "page template")
            page = "\n\n".join(part for part in (parts.title, findings, note, parts.intro, parts.rest) if part)
        return front + page + "\n"

    def _card_parts(self, body: str, context: dict, budget: Budget, shown: str,
                    offset: int) -> tuple[cardtext.Parts, Markup]:
        """The card's text rendered (when it uses Jinja) and cut into title, introduction and the
        rest, within `budget`'s time; with the note of a template that failed."""
        protected = cardtext.protect_code(body, budget.check_clock)
        source = self._as_written(protected.text)
        note = Markup("")
        if cardtext.uses_jinja(source):
            try:
                with budget:
                    source = self.env.from_string(source).render(context)
            except Exception as error:  # any error a template can raise: see problems.py
                note = self._failed(shown, offset, failure(error), "card template")
        return cardtext.split_parts(source).restored(protected), note

    def _as_written(self, text: str) -> str:
        """A card's (protected) text without its metadata comments, with its raw HTML made text
        unless the site allows it."""
        text = cardtext.drop_metadata_comments(text)
        return text if self.allow_html else cardtext.without_raw_html(text)

    def overview(self, page: str) -> str:
        """The overview page at `page` (a path relative to the docs folder)."""
        here = Path(page).parent
        rows = []
        for home, family in sorted(self.families.items(), key=lambda item: item[1]["name"].lower()):
            target = self.page_of(home)
            link = url.page_link(Path(os.path.relpath(target, here)).as_posix()) if target else ""
            rows.extend(dict(model, link=link) for model in family["models"])
        return self._generated("overview.md", models=with_columns(rows), families=len(self.families)) + "\n"

    def generated(self, overview: str, rules: str) -> dict[str, str]:
        """The generated pages by their path in the docs folder (an empty path skips a page)."""
        pages = {}
        if overview:
            pages[overview] = self.overview(overview)
        if rules:
            pages[rules] = self.rules()
        return pages

    def rules(self) -> str:
        """The rules reference, from the rule registry's docstrings (Markdown, written as they are)."""
        rules = [dict(r.as_dict(), doc=Markup(r.doc), summary=Markup(r.summary)) for r in all_rules()]
        families: dict[str, list[dict]] = {}
        for rule in rules:
            families.setdefault(rule["family"], []).append(rule)
        return self._generated("rules.md", rules=rules, families=[
            {"title": title, "code": members[0]["code"][:3] + "xx", "rules": members}
            for title, members in families.items()])

    def _generated(self, name: str, **context) -> str:
        """The generated page of template `name`, or a note when the template fails."""
        try:
            with self.env.budget():
                return self.env.get_template(name).render(context)
        except Exception as error:
            found = failure(error)
            path, line = found.template or (name, 1)
            return self._failed(path, 0, Failure(found.message, found.kind, line, None), "page template")

    def _findings_note(self, home: str) -> Markup:
        """The note listing the findings of the card at `home`; empty when it has none."""
        found = self._findings.get(home)
        if not found:
            return Markup("")
        with self._notes.budget():
            return Markup(self._notes.get_template("card/findings.md").render(findings=findings_view(found)))

    def _failed(self, path: str, offset: int, found: Failure, what: str) -> Markup:
        """Record that `what` (the card's own template, or a page template) failed for the file
        at `path`, at its line `found.card_line` counted after `offset` lines of front matter;
        the note for its page."""
        self.problems.append(Problem(path, offset + (found.card_line or 1),
                                     f"{what} not rendered: {found.describe()}", found.kind))
        with self._notes.budget():
            return Markup(self._notes.get_template("card/error.md").render(message=found.describe()))


def _has_citation(body: str) -> bool:
    lowered = body.lower()
    return "```bibtex" in lowered or "\n## citation" in lowered


def _is_markdown(path: str) -> bool:
    return Path(path).suffix.lower() in MARKDOWN_SUFFIXES


def _in_collection(model: Entity) -> str:
    return plain(model.raw.get("In Collection"))


def _families(index: Index, names: dict[Entity, str]) -> dict[str, dict]:
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
        name = collection.name if collection is not None and collection.name else \
            Path(home).stem.replace("-", " ").title()
        views = [model_view(m, names.get(m), name, m in names) for m in models]
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
