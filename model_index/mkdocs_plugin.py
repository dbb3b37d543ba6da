"""The `model-index` mkdocs plugin: a thin adapter over `model_index.render`.

It adds the Markdown extensions the pages need when the site lacks them, validates the cards
once per build (findings of severity error are logged as warnings, so `mkdocs build --strict` fails
on them), renders each card page (with its findings on top when `show_findings` is on, as it is
under `mkdocs serve`), adds the overview and rules pages and the site's scripts, and watches the
templates folder under `mkdocs serve`. It warns when the pages would render broken: the tabs
extension set up otherwise than they need, or content tabs on a card page under a theme other
than Material. Everything it logs passes through `escape.terminal.printable`: a card value cannot
start a line of the CI log.
"""

from __future__ import annotations

import logging
from html import unescape
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .config import ConfigError, load_config
from .diagnostics import Severity
from .escape.html import inert_data, without_active_attributes
from .escape.terminal import printable
from .extras import install_hint, missing
from .lint import Options, validate
from .render import Site, asset_files, extensions, script_paths, style_paths
from .render.timm_models import timm_names
from .render.text import split_front_matter

log = logging.getLogger("mkdocs.plugins.model_index")


class PluginConfig(Config):
    cards = opt.Type(str, default="models")  # folder of the cards, inside docs_dir
    cross_check = opt.Type(bool, default=False)  # measure the models with timm (cached)
    cache_dir = opt.Optional(opt.Type(str))  # measurement cache (default: the user cache dir)
    templates = opt.Type(str, default="templates")  # project templates, beside mkdocs.yml
    overview = opt.Type(str, default="overview.md")  # generated page, "" for none
    rules = opt.Type(str, default="rules.md")  # generated page, "" for none
    allow_html = opt.Type(bool, default=True)  # raw HTML in card prose; false for sites built from untrusted PRs
    show_findings = opt.Optional(opt.Type(bool))  # a card's findings on its page; default: under `mkdocs serve` only


class ModelIndexPlugin(BasePlugin[PluginConfig]):
    """Render model cards into the site; see the usage guide for the options."""

    site: Site | None = None
    serving = False  # run by `mkdocs serve`
    theme_warned = False  # the warning about content tabs outside Material, once per build

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        absent = missing("docs")  # mkdocs brings Jinja2; Material and pymdown-extensions it does not
        if absent:
            raise PluginError(f"model-index: the plugin needs the docs extra ({', '.join(absent)} not installed):"
                              f" {install_hint('docs')}")
        self._set_up_markdown(config)
        self.theme_warned = False
        config.extra_javascript.extend(script_paths())
        config.extra_css.extend(style_paths())
        return config

    def _set_up_markdown(self, config) -> None:
        """Add the extensions the pages need that the site lacks; warn about those it sets up
        otherwise (its own settings stay as they are)."""
        for name, settings in extensions.missing(config.markdown_extensions).items():
            config.markdown_extensions.append(name)
            config.mdx_configs[name] = dict(settings)
            log.debug(f"model-index: added the Markdown extension {name} {settings or ''}")
        for name, settings in extensions.misconfigured(config.markdown_extensions, config.mdx_configs).items():
            needed = ", ".join(f"{key}: {str(value).lower()}" for key, value in settings.items())
            log.warning(f"model-index: the card pages need the Markdown extension {name} with {needed};"
                        " mkdocs.yml sets it up otherwise, and the plugin keeps a site's own settings, so"
                        " the pages render broken (for pymdownx.tabbed: the code snippets' tabs as stacked blocks)")

    def on_files(self, files: Files, *, config) -> Files:
        docs_dir = Path(config.docs_dir)  # absolute, as mkdocs gives pages their abs_src_path
        if self.config.cross_check and missing("timm"):  # said here, so that it names the plugin's option
            raise PluginError(f"model-index: cross_check: true needs torch and timm ({install_hint('timm')})")
        left_out = _leave_out_unnamable(files)
        options = Options(cross_check="always" if self.config.cross_check else "never",
                          cache_dir=self.config.cache_dir)
        try:
            settings = load_config(start=self._root(config))
            index, result = validate([docs_dir / self.config.cards], settings, options)
        except ConfigError as error:  # a clear build error, not a traceback
            raise PluginError(f"model-index: {error}") from error
        for notice in result.notices:
            log.info(printable(notice))
        for d in result.diagnostics:
            level = logging.WARNING if d.severity is Severity.ERROR else logging.INFO
            log.log(level, printable(f"{d.location}: {d.code} [{d.rule}] {d.message}"))
        show_findings = self.serving if self.config.show_findings is None else self.config.show_findings
        names = timm_names(index, result.resolved if self.config.cross_check else None, settings)
        self.site = Site(index, docs_dir, self._root(config) / self.config.templates, names,
                         allow_html=self.config.allow_html, findings=result.diagnostics if show_findings else [],
                         left_out=left_out)
        for page, text in self.site.generated(self.config.overview, self.config.rules).items():
            files.append(File.generated(config, page, content=text))
        self._log_problems(0)
        for uri, path in asset_files().items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        path = page.file.abs_src_path
        if self.site is None or path is None or not self.site.is_card(path):
            return markdown
        seen = len(self.site.problems)
        rendered = self.site.card(path, page.file.content_string)  # the source, for its line numbers
        self._log_problems(seen)
        return split_front_matter(rendered)[1]  # mkdocs has read the front matter already

    def on_page_content(self, html: str, *, page, config, files) -> str:
        """With `allow_html: false`, a card page keeps no attribute that runs script and no link
        outside http(s) or the site, whatever Markdown syntax the card used to make one; its front
        matter and title (the theme writes them unescaped) become inert text."""
        path = page.file.abs_src_path
        if self.site is None or path is None or not self.site.is_card(path):
            return html
        self._check_theme(config, page, html)
        if self.config.allow_html:
            return html
        title = unescape(page.title or "")  # from the front matter, or the first heading's HTML
        page.meta = inert_data(dict(page.meta, title=title))
        return without_active_attributes(html)

    def _check_theme(self, config, page, html: str) -> None:
        """Warn (once a build) when a card page has content tabs and the theme cannot show them."""
        if config.theme.name != "material" and not self.theme_warned and 'class="tabbed-set' in html:
            self.theme_warned = True
            log.warning(printable(f"model-index: {page.file.src_uri} has content tabs (the code snippets), which"
                                  f" only the Material theme shows as tabs; with the theme {config.theme.name!r}"
                                  " they render as stacked blocks. Use `theme: name: material`."))

    def _log_problems(self, seen: int) -> None:
        for problem in self.site.problems[seen:]:
            log.warning(str(problem))  # Problem prints itself through `printable`

    def on_serve(self, server, *, config, builder):
        templates = self._root(config) / self.config.templates
        if templates.is_dir():
            server.watch(str(templates))
        return server


def _leave_out_unnamable(files: Files) -> frozenset[str]:
    """Remove from the site every file whose name is not UTF-8 (mkdocs cannot make a URL of it and
    stops with a traceback), with a warning naming it; their paths in the docs folder."""
    left_out = set()
    for file in list(files):
        try:
            file.src_uri.encode("utf-8")
        except UnicodeEncodeError:
            files.remove(file)
            left_out.add(file.src_uri)
            log.warning(printable(f"model-index: {file.src_uri} is left out of the site: its file name is not"
                                  " UTF-8, and a page address must be"))
    return frozenset(left_out)
