"""Escaping card text where it meets another language: one small module per output context.

Card text arrives in pull requests, so every value is treated as hostile at the point where it is
written out: a terminal or CI log (`terminal`), and the site's HTML, Markdown and scripts.
"""
