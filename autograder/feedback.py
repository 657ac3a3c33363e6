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

import nbformat
from nbconvert import HTMLExporter
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


def write_feedback(path: Path, executed_nb, verdicts: dict[str, CellVerdict], notes: list[str]) -> Path:
    nb = feedback_notebook(executed_nb, verdicts, notes)
    body, _ = HTMLExporter().from_notebook_node(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path
