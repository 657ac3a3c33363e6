"""What in a page could run script in a browser: tags, event handlers, javascript: links.

The pages checked are the kit's feedback pages and nbconvert's rendering of an autograded
notebook. Markup the page's own template adds (nbconvert's MathJax and require.js loaders, the
kit's head with its pinned math loader) is not from a submission, so only the body is checked:
nbconvert's `basic` body, and a kit page whose head must be exactly the one pages.py writes.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from autograder.reports.pages import head

SCRIPT_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "base", "form", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
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

    handle_startendtag = handle_starttag


def kit_body(page: str) -> str:
    """A kit page without its head, which must be the kit's own, to the byte (else the whole
    page is the body, head included, and its script is found)."""
    title = re.match(r"<!doctype html><meta charset='utf-8'>.*?<title>(.*?)</title>", page, re.S)
    if title is None:
        return page
    for math in (False, True):
        expected = head(html.unescape(title.group(1)), math)
        if page.startswith(expected):
            return page[len(expected):]
    return page


def unsafe_markup(page: str) -> list[str]:
    finder = _Finder()
    finder.feed(kit_body(page))
    finder.close()
    return finder.found
