"""What in a page could run script in a browser: tags, event handlers, javascript: links.

The pages checked are the kit's feedback pages and nbconvert's rendering of an autograded
notebook. Markup the page's own template adds (nbconvert's MathJax and require.js loaders, the
kit's head with its policy) is not from a submission, so only the body is checked: nbconvert's
`basic` body, and a kit page whose head must be exactly the one pages.py writes. The kit's math
is MathML in the body: a `math` element passes only with MathML Core elements and layout
attributes inside (the lists mathml.py keeps), and no link or handler anywhere in it.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from autograder.reports.mathml import ATTRIBUTES, ELEMENTS
from autograder.reports.pages import head

SCRIPT_TAGS = {"script", "iframe", "object", "embed", "svg", "base", "form", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.math_depth = 0   # open elements inside a <math>

    def handle_starttag(self, tag, attrs):
        if self.math_depth or tag == "math":
            self.math_depth += 1
            if tag not in ELEMENTS or {name for name, _ in attrs} - ATTRIBUTES:
                self.found.append(f"<{tag} {' '.join(name for name, _ in attrs)}> in math")
        if tag in SCRIPT_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            if name == "src" and value and value.startswith("data:") and not value.startswith(
                    ("data:image/png;base64,", "data:image/jpeg;base64,")):
                self.found.append(f"<{tag} src={value[:40]}>")

    def handle_endtag(self, tag):
        if self.math_depth:
            self.math_depth -= 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)


def kit_body(page: str) -> str:
    """A kit page without its head, which must be the kit's own, to the byte (else the whole
    page is the body, head included, and its script is found)."""
    title = re.match(r"<!doctype html><meta charset='utf-8'>.*?<title>(.*?)</title>", page, re.S)
    if title is None:
        return page
    for policy in (False, True):
        expected = head(html.unescape(title.group(1)), policy)
        if page.startswith(expected):
            return page[len(expected):]
    return page


def unsafe_markup(page: str) -> list[str]:
    finder = _Finder()
    finder.feed(kit_body(page))
    finder.close()
    return finder.found
