"""Markdown as a page shows it: rendered (tables, lists, code, math as MathML) and sanitised.

A Markdown cell may be a student's answer, so it is hostile. markdown-it-py parses it with raw
HTML turned off (a `<script>` in an answer is text) and its own link check (no `javascript:` or
`vbscript:` link, no `data:` link but images); nh3 then cleans what came out, as a second wall.
Math (`$...$`, `$$...$$`) is cut out before any Markdown rule sees it, so `$a_i b_i$` keeps its
underscores, and is written back as escaped text in a `math` element; after nh3, mathml.py
turns that text into vetted MathML (or leaves it as typed, if it cannot).
"""
from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.dollarmath import dollarmath_plugin

from ..trusted.hostile import sanitize_html
from .mathml import typeset

# the only classes a rendered cell keeps: the math markers mathml.py looks for
MATH_CLASSES = {"span": {"math", "inline"}, "div": {"math", "inline", "block"}}


def _math_source(content: str, options: dict) -> str:
    """Math written back with its dollars, escaped: mathml.py strips them again."""
    fence = "$$" if options.get("display_mode") else "$"
    return escapeHtml(f"{fence}{content}{fence}")


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    dollarmath_plugin(parser, allow_labels=False, double_inline=True, renderer=_math_source)
    return parser


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown cell."""
    return typeset(sanitize_html(_parser().render(str(text)), allowed_classes=MATH_CLASSES))
