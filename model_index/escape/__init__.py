"""Escaping card text where it meets another language: one small module per output context.

Card text arrives in pull requests, so every value is treated as hostile at the point where it is
written out: a terminal or CI log (`terminal`); the site's Markdown, as text, a code span or a line
of a code block (`markdown`); an HTML attribute value (`html`); a link target (`url`); a Python
string in a code snippet (`python`). JSON in a `<script>` is Jinja's `tojson`. Templates reach
these through filters (`render.environment`), with autoescape on.
"""
