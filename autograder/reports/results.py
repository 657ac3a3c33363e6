"""Scores as the gradebook holds them, one record per (student, notebook)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..nbgrader_app import db_url

PART_SUFFIX_RE = re.compile(r"_(visible|hidden)$")


@dataclass
class CellScore:
    grade_id: str
    score: float | None          # None: waits for manual grading
    max_score: float
    manual: bool                 # a written answer, graded by a person

    @property
    def lost_points(self) -> bool:
        return self.score is not None and self.score < self.max_score


@dataclass
class NotebookResult:
    student: str
    assignment: str
    notebook: str
    cells: dict[str, CellScore] = field(default_factory=dict)
    error: str | None = None     # why this submission has no grade

    @property
    def auto_score(self) -> float:
        return sum(c.score or 0.0 for c in self.cells.values() if not c.manual)

    @property
    def auto_max(self) -> float:
        return sum(c.max_score for c in self.cells.values() if not c.manual)


def question_of(grade_id: str) -> str:
    """Group a question's visible and hidden test cells: test_chain_rule_hidden -> chain_rule."""
    name = grade_id.removeprefix("test_")
    return PART_SUFFIX_RE.sub("", name)


def read_scores(root: Path, assignment: str, students: list[str]) -> list[NotebookResult]:
    """Every graded notebook of these students, cell by cell, from the gradebook."""
    results = []
    with Gradebook(db_url(root)) as gb:
        notebooks = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        for student in students:
            for notebook in notebooks:
                result = NotebookResult(student, assignment, notebook)
                try:
                    sub = gb.find_submission_notebook(notebook, assignment, student)
                except MissingEntry:
                    result.error = "no graded submission in the gradebook"
                    results.append(result)
                    continue
                for grade in sub.grades:
                    manual = grade.cell_type == "markdown"
                    score = grade.score if not (manual and grade.needs_manual_grade) else None
                    result.cells[grade.name] = CellScore(grade.name, score, grade.max_score, manual)
                results.append(result)
    return results
