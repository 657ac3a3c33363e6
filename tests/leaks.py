"""What must never reach a student: the hidden tests and the instructor's answers, as lines.

A line counts when it is long enough to tell (cells.telling_lines) and appears nowhere a student
sees it anyway: in neither release, and (for answers) not in the student's own submission.
"""
from __future__ import annotations

import html
from pathlib import Path

import nbformat

from autograder.cells import HIDDEN_BEGIN, HIDDEN_END, hidden_secrets, nbgrader_meta, regions, telling_lines
from autograder.layout import LANGUAGES


def _released(course: Path, assignment: str, notebook: str) -> list:
    return [cell for lang in LANGUAGES for cell in nbformat.read(
        course / "release" / lang / assignment / f"{notebook}.ipynb", as_version=4).cells]


def hidden_lines(course: Path, assignment: str, notebook: str) -> set[str]:
    """Lines of the hidden tests that no student sees anywhere in either release."""
    source = nbformat.read(course / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    return hidden_secrets(source.cells, _released(course, assignment, notebook))


def answer_lines(course: Path, assignment: str, notebook: str, student: str) -> set[str]:
    """Lines of the instructor's solutions (code solution regions, model written answers) that
    neither release nor this student's own notebook holds."""
    source = nbformat.read(course / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    solutions = []
    for cell in source.cells:
        if cell.cell_type == "code":
            solutions += regions(str(cell.source), "solution")
        elif nbgrader_meta(cell).get("solution"):
            solutions.append(str(cell.source))
    submitted = nbformat.read(course / "submitted" / student / assignment / f"{notebook}.ipynb", as_version=4)
    seen = "\n".join(str(c.source) for c in [*submitted.cells, *_released(course, assignment, notebook)])
    return {line for line in telling_lines("\n".join(solutions)) if line not in seen}


def quoted(text: str, lines: set[str]) -> list[str]:
    """The lines (and hidden-test markers) a file's text holds, read as a browser would show it."""
    plain = html.unescape(text)
    found = sorted(line for line in lines if line in plain)
    return found + [marker for marker in (HIDDEN_BEGIN, HIDDEN_END) if marker in plain]
