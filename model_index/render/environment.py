"""The sandboxed Jinja2 environment every card and template is rendered in.

Card text arrives in pull requests, so it is untrusted:

- templates run in Jinja's `ImmutableSandboxedEnvironment` (no attribute starting with an
  underscore, no mutation of the lists and dicts they are given), undefined names are errors rather
  than silent blanks, and the context holds only plain data (see `view.py`);
- every `{{ value }}` is escaped for the page (autoescape on): as Markdown text by default, and by
  context through filters (see `FILTERS`); a value already marked safe (`Markup`: the card's own
  prose, a filter's escaped output, `safe`) is written as it is;
- what a render may cost is bounded (`bounds.py`, `amplifiers.py`): arithmetic, `~`, filters,
  method and function calls (`str.format` included) and literals are weighed, the lines run, the
  call depth and the time are counted;
- templates are read only from inside their folders (`loader.py`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

from jinja2 import ChoiceLoader, StrictUndefined, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from markupsafe import EscapeFormatter, Markup

from ..escape import html, markdown, python, url
from . import amplifiers
from .bounds import Bounds, Budget, current
from .loader import ConfinedLoader

PACKAGE = Path(__file__).resolve().parent.parent


def default_templates() -> Path:
    """The templates shipped with model-index: inside the wheel, or the source tree's `templates/`
    in an editable install."""
    shipped = PACKAGE / "templates"
    return shipped if shipped.is_dir() else PACKAGE.parent / "templates"


def assets_dir() -> Path:
    """The JavaScript and CSS the site needs (vendored libraries with their licences)."""
    return PACKAGE / "assets"


def _escaping(escape: Callable[[Any], str]) -> Callable[[Any], Markup]:
    @functools.wraps(escape)
    def apply(value: Any) -> Markup:
        return Markup(escape(value))
    return apply


# The filters of each output context; each returns text marked safe, so it is written as it is.
FILTERS: dict[str, Callable[[Any], Markup]] = {
    "code": _escaping(markdown.code_span),  # an inline code span, backticks included
    "code_line": _escaping(markdown.code_line),  # inside a line of a fenced code block
    "attribute": _escaping(html.attribute),  # a quoted HTML attribute value
    "url": _escaping(url.link_target),  # a link target; "" when the scheme is not http(s) or relative
    "python_string": _escaping(python.string_literal),  # a Python string literal, quotes included
    # Jinja's own escaping filters escape for HTML only: here they escape for the page (Markdown).
    "escape": _escaping(markdown.text),
    "e": _escaping(markdown.text),
    "forceescape": _escaping(markdown.text),
}
REMOVED_FILTERS = {"urlize"}  # would make links of any text, past the URL allow-list
REMOVED_GLOBALS = {"lipsum"}  # writes as much text as it is asked for


def page_text(value: Any) -> Markup:
    """What `{{ value }}` writes: safe text as it is, anything else as Markdown text."""
    return value if isinstance(value, Markup) else Markup(markdown.text(value))


class CardCodeGenerator(CodeGenerator):
    """Jinja's code generator, with the values a template builds itself weighed: `~`
    concatenations and list, tuple and dict literals (`[x, x]` in a loop doubles without them);
    and a constant `{{ "..." }}` escaped for the page like any value (Jinja would escape it for
    HTML only, at compile time)."""

    def _output_child_to_const(self, node, frame, finalize) -> str:
        const = node.as_const(frame.eval_ctx)
        return str(const) if isinstance(node, nodes.TemplateData) else str(page_text(const))

    def _checked(self, visit: Callable[..., None], node: Any, frame: Any) -> None:
        self.write("environment.checked(")
        visit(node, frame)
        self.write(")")

    def visit_Concat(self, node, frame) -> None:
        self._checked(super().visit_Concat, node, frame)

    def visit_List(self, node, frame) -> None:
        self._checked(super().visit_List, node, frame)

    def visit_Dict(self, node, frame) -> None:
        self._checked(super().visit_Dict, node, frame)

    def visit_Tuple(self, node, frame) -> None:
        if node.ctx == "load":
            self._checked(super().visit_Tuple, node, frame)
        else:  # an assignment target
            super().visit_Tuple(node, frame)


class CardSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, escaping for the page and rendering within a `Budget`."""

    code_generator_class = CardCodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, loader: ChoiceLoader, bounds: Bounds, allow_html: bool = True) -> None:
        super().__init__(loader=loader, undefined=StrictUndefined, autoescape=True, finalize=page_text)
        self.bounds = bounds
        for name in REMOVED_FILTERS:
            del self.filters[name]
        for name in REMOVED_GLOBALS:
            del self.globals[name]
        self.filters.update(FILTERS)
        if not allow_html:  # no value becomes raw HTML, not even one a card marks safe
            self.filters["safe"] = FILTERS["escape"]
        self.filters["join"] = _bounded_join_filter(self.filters["join"])
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}

    def budget(self) -> Budget:
        """A fresh budget for one render (compile and render inside it)."""
        return Budget(self.bounds, self)

    def checked(self, value: Any) -> Any:
        return current().checked(value)

    def concat(self, pieces) -> str:  # every template's, macro's and block's output
        return current().joined(pieces)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        budget = current()
        amplifiers.check_binop(budget, operator, left, right)
        return budget.checked(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed `str.format` and `str.format_map`, formatting each field only once its
        format spec is within the width bound: the spec as the format uses it, its nested fields
        (`{0:>{1}}`) filled in, whatever type and source they had."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__
        formatter = _BoundedEscapeFormatter(self, escape=template.escape) if isinstance(template, Markup) \
            else _BoundedFormatter(self)

        @functools.wraps(value)
        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format_map":
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument, and no keyword arguments")
                args, kwargs = (), args[0]
            return type(template)(formatter.vformat(template, args, kwargs))
        return bounded_format

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        budget = current()
        target = amplifiers.check_method(budget, __obj, args, kwargs)
        return budget.checked(super().call(__context, target, *args, **kwargs))


class _BoundedFormatter(SandboxedFormatter):
    """Jinja's sandboxed `str.format` formatter, checking every field's final format spec."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        amplifiers.check_format_spec(current(), format_spec)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    """The same for `Markup.format`, which escapes each field."""


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, checked for amplification before it runs and its result weighed after."""
    check = amplifiers.FILTER_CHECKS.get(name)
    passes_first = getattr(function, "jinja_pass_arg", None) is not None  # context, eval_ctx or environment

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = current()
        if check is not None:
            check(budget, *args[passes_first:], **kwargs)
        return budget.checked(function(*args, **kwargs))
    return bounded


def _bounded_join_filter(join: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's `join`, on items gathered and added up first."""

    @pass_eval_context
    def bounded_join(eval_ctx, value: Any, d: str = "", attribute: Any = None) -> Any:
        return amplifiers.bounded_join(current(), lambda items: join(eval_ctx, items, d, attribute), d, value)
    return bounded_join


def make_environment(project_templates: Path | None = None, bounds: Bounds | None = None,
                     allow_html: bool = True) -> CardSandbox:
    """A sandbox that looks up templates in the project's folder first, then in the defaults;
    with `allow_html` false, `safe` escapes like any value."""
    folders = [p for p in (project_templates, default_templates()) if p is not None and p.is_dir()]
    return CardSandbox(ChoiceLoader([ConfinedLoader(p) for p in folders]), bounds or Bounds(), allow_html)
