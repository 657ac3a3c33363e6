"""Scores as the gradebook holds them: one record per (student, notebook), and their totals.

The gradebook is the one truth every table, CSV and page is computed from: the trusted grader's
scores and what a person gave in formgrader (a written answer's score, an override, extra credit,
a comment) live there side by side. Totals follow nbgrader's own rule (`Grade.score`: a person's
score when there is one, else the automatic one, else zero; extra credit on top), so they equal
what `nbgrader export` writes. The reports (tables, CSV files, report.html) and the feedback
pages all read these records, so a page's total and a student's row in lms.csv cannot differ.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from ..cells import grade_id as grade_id_of
from ..nbgrader_app import grades_and_comments, open_gradebook

PART_SUFFIX_RE = re.compile(r"_(visible|hidden)$")
HANGUL_RE = re.compile(r"^[\uac00-\ud7a3]+$")


@dataclass
class CellScore:
    grade_id: str
    score: float | None          # points counted, extra credit apart; None: waits for a person
    max_score: float
    manual: bool                 # a written answer or task (nbgrader's manually graded cells): a person grades it
    extra_credit: float = 0.0
    by_person: bool = False      # a person gave this score (formgrader)
    recheck: bool = False        # a person's score on something that changed since: counted, look again
    comment: str | None = None   # the grader's comment on a written answer, if any

    @property
    def lost_points(self) -> bool:
        return self.score is not None and self.score < self.max_score

    @property
    def status(self) -> str:
        """pending (nobody graded it yet), recheck, graded (by a person), blank (a written answer
        left as released: zero, nobody needed), or auto (the grader's score)."""
        if self.score is None:
            return "pending"
        if self.recheck:
            return "recheck"
        if self.by_person:
            return "graded"
        return "blank" if self.manual else "auto"


@dataclass(frozen=True)
class Totals:
    """One student's points on a notebook or a whole assignment, as the gradebook counts them."""
    auto: float = 0.0            # test cells (a person's override included)
    auto_max: float = 0.0
    manual: float = 0.0          # written answers scored so far (pending ones count zero, as in nbgrader)
    manual_max: float = 0.0      # every written answer, pending ones included
    pending: int = 0             # written answers nobody has graded yet
    pending_max: float = 0.0
    recheck: int = 0             # a person's scores to look at again (the answer changed since)
    extra_credit: float = 0.0

    @property
    def score(self) -> float:
        return self.auto + self.manual + self.extra_credit

    @property
    def max_score(self) -> float:
        return self.auto_max + self.manual_max

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(a + b for a, b in zip(self._values(), other._values())))

    def _values(self):
        return (self.auto, self.auto_max, self.manual, self.manual_max, self.pending, self.pending_max,
                self.recheck, self.extra_credit)


@dataclass
class NotebookResult:
    student: str
    assignment: str
    notebook: str
    cells: dict[str, CellScore] = field(default_factory=dict)
    error: str | None = None     # why this submission has no grade
    # grade id -> the grader's comment, for cells without points a grader commented on in
    # formgrader (a solution code cell, say): shown on the feedback page, counted nowhere
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def totals(self) -> Totals:
        auto = [c for c in self.cells.values() if not c.manual]
        manual = [c for c in self.cells.values() if c.manual]
        # a bonus (no points, extra credit only) that nobody graded holds up no total
        waiting = [c for c in manual if c.score is None and c.max_score > 0]
        return Totals(auto=sum(c.score or 0.0 for c in auto), auto_max=sum(c.max_score for c in auto),
                      manual=sum(c.score or 0.0 for c in manual), manual_max=sum(c.max_score for c in manual),
                      pending=len(waiting), pending_max=sum(c.max_score for c in waiting),
                      recheck=sum(1 for c in self.cells.values() if c.recheck),
                      extra_credit=sum(c.extra_credit for c in self.cells.values()))

    @property
    def auto_score(self) -> float:
        return self.totals.auto

    @property
    def auto_max(self) -> float:
        return self.totals.auto_max


def totals_of(results: Iterable[NotebookResult]) -> Totals:
    """The sum over some notebooks' results (one student's assignment: all of its notebooks)."""
    total = Totals()
    for result in results:
        if not result.error:
            total = total + result.totals
    return total


def question_of(grade_id: str) -> str:
    """Group a question's visible and hidden test cells: test_chain_rule_hidden -> chain_rule."""
    name = grade_id.removeprefix("test_")
    return PART_SUFFIX_RE.sub("", name)


def _cell_score(grade, comment) -> CellScore:
    # a person grades nbgrader's manually graded answers (graded solution cells, Markdown or
    # code) and tasks; the gradebook keeps a comment for exactly those cells and solution cells,
    # so a grade with a comment is one (Gradebook.add_submission)
    manual = comment is not None
    nobody_scored = grade.manual_score is None and grade.auto_score is None
    person = grade.manual_score is not None
    score = None if nobody_scored else (grade.manual_score if person else grade.auto_score)
    return CellScore(grade.name, score, grade.max_score, manual, extra_credit=grade.extra_credit or 0.0,
                     by_person=person, recheck=person and grade.needs_manual_grade,
                     comment=comment.manual_comment if comment is not None else None)


@functools.lru_cache(maxsize=64)
def _places(path: Path, mtime_ns: int) -> dict[str, int]:
    cells = nbformat.read(path, as_version=4).cells if path.is_file() else []
    return {gid: place for place, gid in enumerate(grade_id_of(c) for c in cells) if gid}


def cell_places(root: Path, assignment: str, notebook: str) -> dict[str, int]:
    """grade id -> its place in the source notebook. The gradebook keeps no order of cells; SQLite
    happens to return rows as they were added, PostgreSQL in no set order (updated rows move):
    the tables take the order of questions from the notebook instead."""
    path = root / "source" / assignment / f"{notebook}.ipynb"
    return _places(path, path.stat().st_mtime_ns if path.is_file() else 0)


def _read_notebook(gb: Gradebook, root: Path, assignment: str, student: str, notebook: str) -> NotebookResult:
    result = NotebookResult(student, assignment, notebook)
    try:
        sub = gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        result.error = "no graded submission in the gradebook"
        return result
    grades, comments = grades_and_comments(gb, sub)
    comments = {c.name: c for c in comments}
    places = cell_places(root, assignment, notebook)
    # a cell the notebook no longer has goes last, in the gradebook's order (the sort is stable)
    for grade in sorted(grades, key=lambda g: places.get(g.name, float("inf"))):
        result.cells[grade.name] = _cell_score(grade, comments.get(grade.name))
    result.comments = {name: c.manual_comment for name, c in comments.items()
                       if name not in result.cells and c.manual_comment}
    return result


def read_scores(root: Path, assignment: str, students: Iterable[str] | None = None) -> list[NotebookResult]:
    """Every notebook of the assignment, cell by cell, from the gradebook: for these students, or
    (None) for every student with a submission of the assignment. A listed student without one
    gets a result per notebook with an error."""
    with open_gradebook(root) as gb:
        record = gb.find_assignment(assignment)
        notebooks = [nb.name for nb in record.notebooks]
        if students is None:
            students = sorted(sub.student.id for sub in record.submissions)
        return [_read_notebook(gb, root, assignment, student, notebook) for student in students
                for notebook in notebooks]


def notebook_result(root: Path, assignment: str, student: str, notebook: str) -> NotebookResult:
    """One student's notebook as the gradebook holds it (its `.totals`, each cell's comment), the
    record the reports read for it; with an error if the gradebook has no such submission."""
    with open_gradebook(root) as gb:
        return _read_notebook(gb, root, assignment, student, notebook)


def student_totals(root: Path, assignment: str) -> dict[str, Totals]:
    """Every student with a submission of the assignment -> their totals over all its notebooks."""
    by_student: dict[str, list[NotebookResult]] = {}
    for result in read_scores(root, assignment):
        by_student.setdefault(result.student, []).append(result)
    return {student: totals_of(results) for student, results in by_student.items()}


def display_name(first: str | None, last: str | None) -> str:
    """A student record's name as one string: Korean names family name first without a space,
    others given name first."""
    first, last = (first or "").strip(), (last or "").strip()
    if HANGUL_RE.match(first) and HANGUL_RE.match(last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def name_fields(name: str) -> dict[str, str]:
    """The student record's fields for a name an LMS gives as one string. It is kept whole, as
    the last name (formgrader lists students by last name): splitting a name into given and
    family names cannot be done right for every name (two-syllable Korean family names)."""
    return {"first_name": "", "last_name": name.strip()}


def read_roster(root: Path) -> dict[str, str]:
    """Every student the gradebook knows -> their name ("" when it has none)."""
    with open_gradebook(root) as gb:
        return {s.id: display_name(s.first_name, s.last_name) for s in gb.students}
