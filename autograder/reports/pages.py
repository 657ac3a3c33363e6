"""The one HTML page builder of the kit, with its one stylesheet (feedback pages, report.html).

Callers hand in a body they built from escaped or sanitised parts; the title is escaped here.
"""
from __future__ import annotations

import html

STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}
pre{background:#f6f8fa;padding:.7em;overflow:auto;border-radius:4px}
.out pre{background:#fff;border-left:3px solid #ddd}.err pre{border-left-color:#d33;color:#a00}
.verdict{border:1px solid #ccc;border-radius:4px;padding:.2em .8em;margin:.5em 0}
.warn{background:#ffe9a8;padding:.6em;font-weight:bold}
td{padding:.2em .8em;border-bottom:1px solid #ddd}
img{max-width:100%;margin:.3em}"""


def page(title: str, body: str) -> str:
    """A self-contained page: no script, no outside resource."""
    return (f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style>\n{body}\n")
