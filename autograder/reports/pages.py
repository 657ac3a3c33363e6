"""The one HTML page builder of the kit, with its one stylesheet (feedback pages, report.html).

Callers hand in a body they built from escaped or sanitised parts; the title is escaped here.

A page with math (a feedback page) loads KaTeX from a CDN, pinned by version and by Subresource
Integrity hash, and typesets the `math` elements that markdown.py wrote. Its one piece of script
is the fixed `onload` handler below: nothing a student wrote is ever inside a script, and the
page's Content-Security-Policy allows no other script at all (no inline script, no handler but
this one, by hash), so even markup that slipped past the sanitiser could not run. Offline the
script does not load, and the math stays on the page as it was typed (`$x^2$`).
"""
from __future__ import annotations

import base64
import hashlib
import html

STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}
pre{background:#f6f8fa;padding:.7em;overflow:auto;border-radius:4px}
.out pre{background:#fff;border-left:3px solid #ddd}.err pre{border-left-color:#d33;color:#a00}
.verdict{border:1px solid #ccc;border-radius:4px;padding:.2em .8em;margin:.5em 0}
.verdict.lost{border-color:#d99}.verdict.pending{border-color:#db3;background:#fffbea}
.warn{background:#ffe9a8;padding:.6em;font-weight:bold}
table{border-collapse:collapse;margin:.5em 0}th{text-align:left}
td,th{padding:.2em .8em;border-bottom:1px solid #ddd}
.comment{border-left:3px solid #9bd;padding-left:.6em;margin:.3em 0}.comment p{margin:.2em 0}
img{max-width:100%;margin:.3em}"""

KATEX = "https://cdn.jsdelivr.net/npm/katex@0.19.1/dist/"
# the hashes the KaTeX project publishes for these files (npm's katex-0.19.1.tgz gives the same)
KATEX_JS = ("katex.min.js", "sha384-a1WQdjRj162i159OYq041X6I4K8NenkrI09LlPmiHg0YOb7CR+wJOraXwK9abpnE")
KATEX_CSS = ("katex.min.css", "sha384-WwGtaC6ywCHxA5cstpj/3+xIZvTez8dq2IcBQaXRkenHZ7FVVq1ZROtURwfbtTlG")
# Typeset every math element from its text: `$...$` inline, `$$...$$` in a div. KaTeX's defaults
# keep \href, \url and \html* macros inert (trust: false); an error shows the source in red.
TYPESET = ("for(const e of document.querySelectorAll('.math')){"
           "const d=e.tagName==='DIV',t=e.textContent.trim(),n=d?2:1;"
           "katex.render(t.slice(n,-n),e,{displayMode:d,throwOnError:false})}")
TYPESET_HASH = "sha256-" + base64.b64encode(hashlib.sha256(TYPESET.encode()).digest()).decode()
MATH_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline' {css}; font-src {fonts}; "
               "script-src {js} 'unsafe-hashes' '{handler}'; base-uri 'none'; form-action 'none'").format(
    css=KATEX + KATEX_CSS[0], fonts=KATEX + "fonts/", js=KATEX + KATEX_JS[0], handler=TYPESET_HASH)


def math_head() -> str:
    """The policy and the pinned KaTeX loader of a page with math."""
    return (f"<meta http-equiv='Content-Security-Policy' content=\"{MATH_POLICY}\">"
            f"<link rel='stylesheet' href='{KATEX}{KATEX_CSS[0]}' integrity='{KATEX_CSS[1]}' crossorigin='anonymous'>"
            f"<script defer src='{KATEX}{KATEX_JS[0]}' integrity='{KATEX_JS[1]}' crossorigin='anonymous' "
            f"onload=\"{TYPESET}\"></script>")


def head(title: str, math: bool = False) -> str:
    """Everything before the body: the same for every page of one kind, whatever the body."""
    return (f"<!doctype html><meta charset='utf-8'>{math_head() if math else ''}"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style>\n")


def page(title: str, body: str, *, math: bool = False) -> str:
    """A self-contained page: no outside resource, and no script but the math loader of a page
    with math."""
    return f"{head(title, math)}{body}\n"
