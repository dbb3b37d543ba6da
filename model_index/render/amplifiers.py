"""Operations whose result can be far larger than what they are given, checked before they run.

Weighing a result afterwards (`Budget.checked`) is too late when one step allocates gigabytes:
`'a' * 10 ** 9`, `2 ** 10 ** 9`, `'%999999999d' % 1`, `x | center(10 ** 9)`, `x | replace('', y)`,
`y.join(long_list)`. Each check here computes the size the operation would produce from its
arguments and refuses it beyond the bounds, before any of it is built.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable

from .bounds import Budget, weight

_DIGITS = re.compile(r"\d+")
# A `%` conversion: mapping key, flags, width, precision, length modifier, conversion.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def check_width(budget: Budget, width: Any, what: str) -> None:
    """A width, count or padding (an int, or a string used as one) within the width bound."""
    size = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    budget.require(size <= budget.bounds.width, "{} {} is larger than {:,}", what, size, budget.bounds.width)


def check_size(budget: Budget, size: int, what: str) -> None:
    budget.require(size <= budget.bounds.value, "{} would make a value larger than {:,} characters or items",
                   what, budget.bounds.value)


def check_format_spec(budget: Budget, spec: str) -> None:
    """A `str.format` field's format spec, as the format uses it: no width or precision beyond
    the width bound."""
    for number in _DIGITS.findall(spec):
        check_width(budget, int(number), "a format width or precision of")


def check_percent_format(budget: Budget, template: str, args: Any) -> None:
    """`template % args`: no width or precision beyond the width bound, also when given by `*`."""
    for spec in _PERCENT_SPEC.finditer(template):
        for number in spec.groups():
            if number == "*":
                for arg in args if isinstance(args, tuple) else (args,):
                    check_width(budget, arg, "a `*` width or precision of")
            elif number:
                check_width(budget, int(number), "a `%` width or precision of")


def check_binop(budget: Budget, operator: str, left: Any, right: Any) -> None:
    """`left operator right` for the operators that can amplify: `*`, `**` and `%`."""
    bits = budget.bounds.int_bits
    if operator == "*":
        if _is_int(left) and _is_int(right):
            budget.require(left.bit_length() + right.bit_length() <= bits + 1, "an integer of more than {} bits", bits)
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, bytes, list, tuple)) and _is_int(count):
                check_size(budget, weight(sequence, budget.bounds.value) * max(count, 0), "repeating a sequence")
    elif operator == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
        budget.require(right <= bits and (left.bit_length() - 1) * right <= bits, "an integer of more than {} bits", bits)
    elif operator == "%" and isinstance(left, str):
        check_percent_format(budget, left, right)


def replaced_size(text: str, old: str, new: str, count: Any = -1) -> int:
    """The length of `text.replace(old, new, count)`, without building it."""
    found = text.count(old) if old else len(text) + 1
    if _is_int(count) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def bounded_join(budget: Budget, join: Callable[[list], Any], separator: Any, items: Any) -> Any:
    """`join(list(items))` once the joined text is known to fit: the items are gathered first (each
    was weighed when it was produced), then the separators and items are added up."""
    gathered = list(items)
    size = len(str(separator)) * max(len(gathered) - 1, 0)
    size += sum(weight(item, budget.bounds.value) for item in gathered)
    check_size(budget, size, "joining")
    return join(gathered)


def check_method(budget: Budget, method: Any, args: tuple, kwargs: dict) -> Callable[..., Any]:
    """What to call for `method(*args, **kwargs)` from a template, once it is checked: the method
    itself, or for `str.join` a bounded join. Refuses `translate`, `maketrans` and `expandtabs`,
    which multiply text by a table or a tab size, and any width beyond the bound. (`str.format`
    arrives wrapped by the sandbox, which checks each field's spec as it formats it; the wrapper
    keeps the method as `__wrapped__`.)"""
    bound = getattr(method, "__wrapped__", method)
    owner, name = getattr(bound, "__self__", None), getattr(bound, "__name__", "")
    if isinstance(owner, (str, bytes)):
        budget.require(name not in {"translate", "maketrans", "expandtabs"}, "str.{} is not available to cards", name)
        if name in {"center", "ljust", "rjust", "zfill"} and args:
            check_width(budget, args[0], f"str.{name} width")
        elif name == "replace" and len(args) >= 2 and isinstance(owner, str):
            check_size(budget, replaced_size(owner, *args[:3]), "str.replace")
        elif name == "join" and args:
            return partial(bounded_join, budget, method, owner)
    elif _is_int(owner) and name == "to_bytes":
        check_width(budget, args[0] if args else kwargs.get("length", 1), "int.to_bytes length")
    return method


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


# Jinja's filters that can amplify: name → check(budget, *args, **kwargs) on the filter's arguments
# (the value filtered first), before it runs.
def _center(budget: Budget, value: Any, width: Any = 80) -> None:
    check_width(budget, width, "center width")


def _indent(budget: Budget, value: Any, width: Any = 4, *rest: Any, **options: Any) -> None:
    check_width(budget, width, "indent width")
    size = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    text = _text(value)
    check_size(budget, len(text) + (text.count("\n") + 1) * size, "indent")


def _wordwrap(budget: Budget, value: Any, width: Any = 79, break_long_words: Any = True,
              wrapstring: Any = None, *rest: Any, **options: Any) -> None:
    wrapstring = options.get("wrapstring", wrapstring)
    text = _text(value)
    check_size(budget, len(text) + (len(text) + 1) * len(_text(wrapstring or "\n")), "wordwrap")


def _replace(budget: Budget, value: Any, old: Any, new: Any, count: Any = None) -> None:
    check_size(budget, replaced_size(_text(value), _text(old), _text(new), -1 if count is None else count), "replace")


def _format(budget: Budget, value: Any, *args: Any, **kwargs: Any) -> None:
    check_percent_format(budget, _text(value), args or kwargs)


def _count(name: str) -> Callable[..., None]:
    def check(budget: Budget, value: Any, count: Any = 1, *rest: Any, **options: Any) -> None:
        check_width(budget, count, f"{name} count")
    return check


def _tojson(budget: Budget, value: Any, indent: Any = None) -> None:
    largest = 16  # an indent is written once per level of nesting, on every line
    budget.require(not indent or (len(indent) if isinstance(indent, str) else indent) <= largest,
                   "a tojson indent larger than {}", largest)


def _sum(budget: Budget, value: Any, attribute: Any = None, start: Any = 0) -> None:
    budget.require(isinstance(start, (int, float)), "sum adds numbers only in a card")


FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center, "indent": _indent, "wordwrap": _wordwrap, "replace": _replace,
    "format": _format, "batch": _count("batch"), "slice": _count("slice"), "tojson": _tojson, "sum": _sum,
}
