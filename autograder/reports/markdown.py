"""Markdown as a page shows it: rendered (tables, lists, code, math as MathML) and sanitised.

A Markdown cell may be a student's answer, so it is hostile. markdown-it-py parses it with raw
HTML turned off (a `<script>` in an answer is text) and its own link check (no `javascript:` or
`vbscript:` link, no `data:` link but images); nh3 then cleans what came out, as a second wall.
Math (`$...$`, `$$...$$`) is cut out before any Markdown rule sees it, so `$a_i b_i$` keeps its
underscores, and is written back as escaped text in a `math` element; after nh3, mathml.py
turns that text into vetted MathML (or leaves it as typed, if it cannot).

One piece of HTML is understood, because the notebooks fold their code hints in it:
`<details><summary>TITLE</summary> MARKDOWN </details>`. The fold is taken apart before
parsing, its title and body rendered as Markdown like the rest, and real `details`/`summary`
elements are put around them here; raw HTML stays off everywhere else.
"""
from __future__ import annotations

import functools
import re

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


FOLD_RE = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)


# Most Markdown cells are the release's own text, the same on every student's page: rendered once.
@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown cell."""
    text, parts, start = str(text), [], 0
    for fold in FOLD_RE.finditer(text):
        title = _parser().renderInline(fold.group(1).strip())
        parts += [_parser().render(text[start:fold.start()]),
                  f"<details><summary>{title}</summary>{_parser().render(fold.group(2))}</details>"]
        start = fold.end()
    parts.append(_parser().render(text[start:]))
    return typeset(sanitize_html("".join(parts), allowed_classes=MATH_CLASSES))
