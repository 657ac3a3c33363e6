"""nbgrader's gradebook, used the way nbgrader uses it, so formgrader and export keep working.

Two jobs only the trusted coordinator does: restore a submission's locked and
test cells from the gradebook before it runs (nbgrader's own sanitising
preprocessors), and write the trusted scores afterwards (the one writer).
"""
from __future__ import annotations

import logging
from pathlib import Path

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

from ..cells import grade_id, nbgrader_meta
from ..nbgrader_app import cached_config, db_url
from ..trusted import CellVerdict

SANITIZERS = (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata)
# OverwriteCells warns "checksum has changed" for every test cell with hidden tests, honest
# or not; tampering_notes() reports the real edits instead.
_quiet = logging.getLogger("autograder.restore")
_quiet.setLevel(logging.ERROR)


def notebook_names(root: Path, assignment: str) -> list[str]:
    with Gradebook(db_url(root)) as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            raise ValueError(f"{assignment} is not in the gradebook: run `course release {assignment}` first") from None


def restore_cells(root: Path, nb, assignment: str, notebook: str, student: str):
    """The submission as it must run: test and locked cells as the instructor wrote them,
    deleted or stripped ones put back, outputs cleared."""
    config = cached_config(root)
    resources = {"nbgrader": {"db_url": db_url(root), "assignment": assignment,
                              "notebook": notebook, "student": student}}
    for preprocessor in SANITIZERS:
        nb, resources = preprocessor(config=config, log=_quiet).preprocess(nb, resources)
    return nb


def tampering_notes(submitted_nb, release_nb) -> list[str]:
    """Locked cells the student edited, deleted or stripped of metadata (all restored before grading)."""
    def locked(nb):
        return {grade_id(c): c for c in nb.cells if nbgrader_meta(c).get("locked") and grade_id(c)}
    released, submitted = locked(release_nb), locked(submitted_nb)
    notes = []
    for gid, cell in released.items():
        if gid not in submitted:
            notes.append(f"{gid}: locked cell deleted or its metadata removed (restored before grading)")
        elif submitted[gid].source != cell.source:
            notes.append(f"{gid}: locked cell edited (restored before grading)")
        elif nbgrader_meta(submitted[gid]).get("points") != nbgrader_meta(cell).get("points"):
            notes.append(f"{gid}: points changed in the metadata (the gradebook's points count)")
    return notes


def _manual_cell_score(cell) -> float | None:
    """nbgrader's rule: an untouched answer scores 0, anything written waits for a person."""
    score, _ = utils.determine_grade(cell)
    return score


def write_scores(root: Path, assignment: str, notebook: str, student: str,
                 verdicts: dict[str, CellVerdict], submitted_nb) -> None:
    """Record trusted scores for one submitted notebook in one transaction."""
    solutions = {grade_id(c): c for c in submitted_nb.cells if utils.is_solution(c)}
    answers = {gid: c for gid, c in solutions.items() if utils.is_grade(c)}
    with Gradebook(db_url(root)) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        submission = gb.find_submission_notebook(notebook, assignment, student)
        for grade in submission.grades:
            if grade.name in verdicts:
                grade.auto_score = verdicts[grade.name].score
            elif grade.name in answers:
                grade.auto_score = _manual_cell_score(answers[grade.name])
            else:  # a graded cell the run never produced: no evidence, no points
                grade.auto_score = 0.0
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        for comment in submission.comments:
            cell = solutions.get(comment.name)
            untouched = cell is not None and cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comment.auto_comment = "No response." if untouched else None
        gb.db.commit()
