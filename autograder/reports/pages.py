"""The one HTML page builder of the kit, with its one stylesheet (feedback pages, report.html).

Callers hand in a body they built from escaped or sanitised parts; the title is escaped here.

No page has script. Math is MathML written into the page (mathml.py), which the browser draws
offline as online; a page with a student's work in it (a feedback page) also carries a
Content-Security-Policy that allows no script, so even markup that slipped past the sanitiser
could not run.
"""
from __future__ import annotations

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

# A page that shows what a student wrote runs no script at all: its math is MathML, typeset
# before the page was written (mathml.py). The policy is the wall behind the sanitiser: were
# markup that can run script to slip past it, the browser would still run none.
POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'; "
          "base-uri 'none'; form-action 'none'")


def head(title: str, policy: bool = False) -> str:
    """Everything before the body: the same for every page of one kind, whatever the body."""
    guard = f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">" if policy else ""
    return (f"<!doctype html><meta charset='utf-8'>{guard}"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style>\n")


def page(title: str, body: str, *, policy: bool = False) -> str:
    """A self-contained page: no outside resource and no script. A page with a student's work in
    it (policy=True) says so to the browser too, in its Content-Security-Policy."""
    return f"{head(title, policy)}{body}\n"
