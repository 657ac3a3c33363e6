"""What in a page could run script in a browser: tags, event handlers, javascript: links.

The pages checked are the kit's feedback pages and nbconvert's rendering of an autograded
notebook. Markup the page's own template adds (nbconvert's MathJax and require.js loaders)
is not from a submission, so only its `basic` body is checked.
"""
from __future__ import annotations

from html.parser import HTMLParser

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


def unsafe_markup(page: str) -> list[str]:
    finder = _Finder()
    finder.feed(page)
    finder.close()
    return finder.found
