"""Feedback pages: the student's notebook with each test's trusted verdict.

Visible tests appear as the student saw them. A cell with hidden tests keeps
only its visible part; its outputs are reduced to the failure's type and
message (a traceback would quote the hidden code). Expected values are never
shown: trusted reasons only count mismatches.
"""
from __future__ import annotations

import copy
import html
from pathlib import Path

import mistune
import nbformat
from nbgrader.preprocessors import ClearHiddenTests

from .trusted import CellVerdict

HIDDEN_MARK = "BEGIN HIDDEN TESTS"


def _verdict_markdown(verdict: CellVerdict) -> str:
    mark = "✅" if verdict.trusted_passed else "❌"
    lines = [f"{mark} **{verdict.grade_id}: {verdict.score:g} / {verdict.max_points:g}**"]
    lines += [f"- {html.escape(reason)}" for reason in verdict.reasons]
    lines += [f"- ⚠️ {html.escape(flag)}" for flag in verdict.flags]
    return "\n".join(lines)


def _summarise_error(outputs) -> list:
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if not errors:
        return []
    first = errors[0]
    text = f"{first.get('ename', 'Error')}: {first.get('evalue', '')}"[:500]
    return [nbformat.v4.new_output("stream", name="stderr", text=f"hidden test failed: {text}\n")]


def feedback_notebook(executed_nb, verdicts: dict[str, CellVerdict], notes: list[str]):
    nb = copy.deepcopy(executed_nb)
    hidden = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and HIDDEN_MARK in cell.source:
            hidden.add(cell.get("id"))
            cell.outputs = _summarise_error(cell.get("outputs", []))
    nb, _ = ClearHiddenTests().preprocess(nb, {})
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in verdicts:
            cells.append(nbformat.v4.new_markdown_cell(_verdict_markdown(verdicts[gid])))
    total = sum(v.score for v in verdicts.values())
    top = sum(v.max_points for v in verdicts.values())
    header = [f"# Feedback: {total:g} / {top:g} autograded points"]
    header += [f"- {html.escape(note)}" for note in notes]
    nb.cells = [nbformat.v4.new_markdown_cell("\n".join(header)), *cells]
    return nb


PAGE_STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}
pre{background:#f6f8fa;padding:.7em;overflow:auto;border-radius:4px}
.out pre{background:#fff;border-left:3px solid #ddd}.err pre{border-left-color:#d33;color:#a00}
.verdict{border:1px solid #ccc;border-radius:4px;padding:.2em .8em;margin:.5em 0}
img{max-width:100%}"""


def _render_output(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        css = "err" if output.get("name") == "stderr" else "out"
        return f"<div class='{css}'><pre>{html.escape(output.get('text', ''))}</pre></div>"
    if kind == "error":
        return f"<div class='err'><pre>{html.escape(output.get('ename', ''))}: {html.escape(output.get('evalue', ''))}</pre></div>"
    data = output.get("data", {})
    if "image/png" in data:
        return f"<img alt='figure' src='data:image/png;base64,{data['image/png'].strip()}'>"
    if "text/plain" in data:
        return f"<div class='out'><pre>{html.escape(data['text/plain'])}</pre></div>"
    return ""


def render_html(nb, title: str) -> str:
    """A small self-contained page: markdown rendered, code escaped, outputs as text or images."""
    markdown = mistune.create_markdown(escape=True)
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(f"<div class='md'>{markdown(cell.source)}</div>")
        elif cell.cell_type == "code":
            parts.append(f"<pre><code>{html.escape(cell.source)}</code></pre>")
            parts += [_render_output(o) for o in cell.get("outputs", [])]
    return (f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{PAGE_STYLE}</style>\n" + "\n".join(parts) + "\n")


def write_feedback(path: Path, executed_nb, verdicts: dict[str, CellVerdict], notes: list[str]) -> Path:
    nb = feedback_notebook(executed_nb, verdicts, notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(nb, f"Feedback: {path.stem}"), encoding="utf-8")
    return path
