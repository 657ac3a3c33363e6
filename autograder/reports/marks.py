"""What the gradebook says about one submitted notebook, cell by cell: the points the grader
gave automatically, the points and comments a person gave in formgrader, and what still waits.

Read straight from nbgrader's Gradebook API, the way formgrader writes it (Grade.auto_score,
Grade.manual_score, Grade.extra_credit, Comment.manual_comment), so a page built from these
marks agrees with formgrader and with `nbgrader export` (Grade.score is nbgrader's own sum).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..nbgrader_app import db_url


@dataclass
class CellMark:
    grade_id: str
    max_points: float
    auto: float | None            # the autograder's points (0 for an answer left blank)
    manual: float | None          # a person's points; they replace the autograder's
    extra: float | None           # extra credit a person gave
    written: bool                 # an answer a person grades (a solution cell that has points)
    comment: str | None = None    # the grader's comment
    auto_comment: str | None = None
    graded: bool = True           # False: a cell without points that a grader commented on

    @property
    def pending(self) -> bool:
        """A written answer nobody has graded yet (nbgrader gives it no score at all)."""
        return self.graded and self.manual is None and self.auto is None

    @property
    def score(self) -> float:
        """nbgrader's score of the cell (Grade.score): a person's points win, extra credit adds."""
        base = self.manual if self.manual is not None else (self.auto or 0.0)
        return base + (self.extra or 0.0)


def submission_marks(root: Path, assignment: str, student: str, notebook: str) -> dict[str, CellMark] | None:
    """grade id -> its mark for every graded cell of the notebook, and a mark without points for
    every other cell a grader commented on; None if the gradebook has no such submission."""
    with Gradebook(db_url(root)) as gb:
        try:
            submission = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return None
        comments = {c.name: c for c in submission.comments}
        marks = {}
        for grade in submission.grades:
            comment = comments.get(grade.name)
            marks[grade.name] = CellMark(grade.name, grade.max_score, grade.auto_score, grade.manual_score,
                                         grade.extra_credit, written=comment is not None,
                                         comment=comment.manual_comment if comment else None,
                                         auto_comment=comment.auto_comment if comment else None)
        for name, comment in comments.items():
            if name not in marks and comment.manual_comment:
                marks[name] = CellMark(name, 0.0, None, None, None, written=False, comment=comment.manual_comment,
                                       graded=False)
        return marks
