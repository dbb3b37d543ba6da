"""Card templates built to take the runner's time or memory stop at a bound: each renders in a
subprocess with a 1 GB address-space limit and a timeout, and must end with a `BoundExceeded`
problem at the template's line (not a MemoryError, not a hang), the card shown as written with a
note, and the rest of the page built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
HARNESS = ROOT / "tests" / "limited_render.py"
FIXTURE_CARD = ROOT / "tests" / "fixtures" / "site" / "docs" / "models" / "resnet.md"
MEMORY_MB = 1024
TIMEOUT = 120  # far above what any case takes; only a template that escaped its bounds reaches it
LINE = 5  # the template's line in the card

AMPLIFIERS = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    # `is sequence` calls the loop's __len__ inside `except Exception`: a bound must not be raised there
    "nested loops through a catching test": "{% for i in range(100000) %}{% for j in range(100000) %}"
                                            "{% if loop is sequence %}{% endif %}{% endfor %}{% endfor %}",
    "a loop writing text": "{% for i in range(99999) %}{% for j in range(99) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "{% endfor %}{% endfor %}",
    "a loop writing values": "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
    "power chain": "{{ 10 ** 1000 ** 10 }}",  # Jinja's ** groups from the left
    "squaring an integer": "{% set ns = namespace(x=3) %}{% for i in range(100) %}{% set ns.x = ns.x * ns.x %}"
                           "{% endfor %}{{ ns.x }}",
    "namespace squaring with ~": "{% set ns = namespace(x='ab') %}{% for i in range(64) %}"
                                 "{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x | length }}",
    "namespace squaring with +": "{% set ns = namespace(x='ab') %}{% for i in range(64) %}"
                                 "{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x | length }}",
    "doubling lists, then comparing": "{% set ns = namespace(a=[1], b=[1]) %}{% for i in range(80) %}"
                                      "{% set ns.a = [ns.a, ns.a] %}{% set ns.b = [ns.b, ns.b] %}{% endfor %}"
                                      "{{ ns.a == ns.b }}",
    "repeating a string": "{{ 'a' * 10 ** 9 }}",
    "replace": "{{ ('x' * 100000) | replace('x', 'y' * 100000) }}",
    "replace of the empty string": "{{ ('x' * 100000) | replace('', 'y' * 1000) }}",
    "str.replace": "{{ ('x' * 100000).replace('x', 'y' * 100000) }}",
    "center": "{{ 'x' | center(1000000000) }}",
    "str.center": "{{ 'x'.center(1000000000) }}",
    "str.zfill": "{{ '1'.zfill(1000000000) }}",
    "format filter": "{{ '%999999999d' | format(1) }}",
    "% with a width": "{{ '%0999999999d' % 1 }}",
    "% with a * width": "{{ '%*d' % (999999999, 1) }}",
    "% with a precision": "{{ '%.999999999f' % 1.5 }}",
    "str.format with a width": "{{ '{0:>999999999}'.format(1) }}",
    "str.format with a nested width": "{{ '{0:{1}}'.format(1, 999999999) }}",
    "str.format_map": "{{ '{x:>999999999}'.format_map({'x': 1}) }}",
    # a nested width given as a string, or as a string of a string: weighed only once formatted
    "str.format with a nested string width": "{{ '{0:>{1}}'.format(1, '2000000000') | length }}",
    "str.format with a wide fill and a string width": "{{ '{0:\U0001F600>{1}}'.format(1, '2000000000') | length }}",
    "str.format with a built spec and a keyword width": "{{ ('{0' ~ ':>{w}}').format(1, w='2000000000') }}",
    "str.format_map with a string width": "{{ '{x:>{w}}'.format_map({'x': 1, 'w': '2000000000'}) }}",
    "str.format with a nested precision": "{{ '{0:.{p}f}'.format(1.5, p='2000000000') }}",
    "str.format with a width from an item": "{{ '{0:>{1[0]}}'.format(1, ['2000000000']) }}",
    "indent": "{{ ('x\\n' * 100000) | indent(10000) }}",
    "wordwrap": "{{ ('x ' * 100000) | wordwrap(1, wrapstring='y' * 100000) }}",
    "join": "{{ range(1000) | map('string') | join('x' * 100000) }}",
    "str.join": "{{ ('x' * 100000).join(range(1000) | map('string')) }}",
    "batch": "{{ [1] | batch(1000000000, 0) | list }}",
    "slice": "{{ [1] | slice(1000000000) | list }}",
    "tojson indent": "{{ [[[[[1]]]]] | tojson(indent=100000000) }}",
    "sum of lists": "{{ [[1] * 1000] * 1000 | sum(start=[]) }}",
    "int.to_bytes": "{{ (1).to_bytes(1000000000, 'big') }}",
    "str.expandtabs": "{{ ('\\t' * 100000).expandtabs(100000) }}",
    "str.translate": "{{ ('x' * 100000).translate({120: 'y' * 100000}) }}",
    "a filter over many items": "{{ range(100000) | map('center', 10000) | list | length }}",
    "a macro's output, kept": "{% macro m() %}{{ 'x' * 1000000 }}{% endmacro %}{% for i in range(100000) %}"
                              "{% set x = m() %}{% endfor %}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "exponential macro": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "recursive include": "{% include 'itself.md' %}",
}


def render_limited(tmp_path: Path, template: str, seconds: str = "") -> dict:
    """The card with `template` on line 5, rendered by tests/limited_render.py."""
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "itself.md").write_text("x{% include 'itself.md' %}", encoding="utf-8")
    source = FIXTURE_CARD.read_text(encoding="utf-8")
    card = docs / "models" / "card.md"
    card.write_text(f"# Card\n\nProse.\n\n{template}\n\n" + source[source.index("<!--"):], encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, str(HARNESS), str(docs), str(card), str(MEMORY_MB), seconds],
                         capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def assert_stopped_by_a_bound(result: dict, template: str) -> None:
    assert result["problems"] == [[LINE, "BoundExceeded"]]
    page = result["page"]
    assert "!!! failure" in page and template in page  # the note, and the card as written
    assert "## Models" in page and "timm.create_model(" in page  # the generated sections


@pytest.mark.parametrize("template", AMPLIFIERS.values(), ids=AMPLIFIERS.keys())
def test_amplifier_stops_at_a_bound(tmp_path, template):
    assert_stopped_by_a_bound(render_limited(tmp_path, template), template)


def test_the_clock_stops_slow_operations_on_few_lines(tmp_path):
    """Comparing two long lists 100,000 times runs few template lines and produces nothing; only
    the time bound (lowered to 1 s here) stops it."""
    template = ("{% set a = range(100000) | list %}{% set b = range(100000) | list %}"
                "{% for i in range(100000) %}{% if a == b %}{% endif %}{% endfor %}")
    result = render_limited(tmp_path, template, seconds="1")
    assert_stopped_by_a_bound(result, template)
    assert result["seconds"] < 30


def test_preparing_a_long_card_is_inside_the_time_bound(tmp_path):
    """Hiding a card's code from Jinja looks at every code span of a line that holds a brace:
    900,000 of them take longer than the (lowered) time bound, which ends the preparation with a
    problem at the card's first line and the card shown as written."""
    prose = "`{`x" * 900_000
    result = render_limited(tmp_path, prose, seconds="1")
    assert result["problems"] == [[1, "BoundExceeded"]]
    page = result["page"]
    assert "!!! failure" in page and prose in page
    assert "## Models" in page and "timm.create_model(" in page

