"""nbgrader's gradebook, used the way nbgrader uses it, so formgrader and export keep working.

Three jobs only the trusted coordinator does: restore a submission's locked and
test cells from the gradebook before it runs (nbgrader's own sanitising
preprocessors), write the trusted scores afterwards (the one writer; a person's
scores from formgrader are kept), and store the students' names an LMS gave.
"""
from __future__ import annotations

import functools
import logging
import traceback
from pathlib import Path

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from nbgrader import utils
from nbgrader.api import InvalidEntry, MissingEntry
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

from ..cells import grade_id, nbgrader_meta
from ..nbgrader_app import cached_config, db_url, grades_and_comments, open_gradebook
from ..reports.results import display_name, name_fields
from ..trusted import CellVerdict


class _SchemaCheckedOnce(BaseMetadataValidator):
    """nbgrader's check of one cell's metadata (its schema version, then nbgrader's JSON schema),
    with that schema compiled once. jsonschema.validate, which nbgrader calls for every cell,
    first checks the schema itself against the JSON Schema meta-schema: nine tenths of the time
    it takes to restore a notebook, for a file that ships with nbgrader and never changes."""

    def __init__(self) -> None:
        super().__init__()
        kind = validator_for(self.schema)
        kind.check_schema(self.schema)
        self._validator = kind(self.schema)

    def validate_cell(self, cell) -> None:
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        error = best_match(self._validator.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class _MetadataValidator(MetadataValidatorV3, _SchemaCheckedOnce):
    """nbgrader's MetadataValidatorV3 (its own checks after the schema's, and unique grade ids),
    over _SchemaCheckedOnce: V3's call to its base class lands there (see the class's MRO)."""


@functools.cache
def _metadata_validator() -> _MetadataValidator:
    return _MetadataValidator()


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's CheckCellMetadata with the schema compiled once per process (see above)."""

    def preprocess(self, nb, resources):
        try:
            _metadata_validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            raise ValidationError("Notebook failed to validate; the nbgrader metadata may be corrupted.") from None
        return nb, resources


SANITIZERS = (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadataOnce)
# OverwriteCells warns "checksum has changed" for every test cell with hidden tests, honest
# or not; tampering_notes() reports the real edits instead.
_quiet = logging.getLogger("autograder.restore")
_quiet.setLevel(logging.ERROR)


def notebook_names(root: Path, assignment: str) -> list[str]:
    with open_gradebook(root) as gb:
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


def _find_or_add(find, add, *key, **fields):
    """A gradebook row, added if it is missing. Graders sharing one database (PostgreSQL) may
    run at the same time, and two runs that meet a new student both add the row: the second
    insert fails (nbgrader rolls it back and raises InvalidEntry) and that run uses the row
    the first one added, instead of losing its grades."""
    try:
        return find(*key)
    except MissingEntry:
        pass
    try:
        return add(*key, **fields)
    except InvalidEntry as lost_the_race:
        try:
            return find(*key)
        except MissingEntry:
            raise lost_the_race from None


def _manual_cell_score(cell) -> float | None:
    """nbgrader's rule: an untouched answer scores 0, anything written waits for a person."""
    score, _ = utils.determine_grade(cell)
    return score


def _needs_a_person(grade, auto_before: float | None, answer_changed: bool) -> bool:
    """nbgrader's rule where nobody has scored the cell: a person is needed when the grader
    cannot score it. Where a person has, their decision stands while what they judged is
    unchanged (a written answer's text, a test's automatic score), so a regrade never sends a
    graded answer back to "needs grading"; a changed one asks for another look (its score still
    counts, as in nbgrader)."""
    if grade.manual_score is None:
        return grade.auto_score is None
    if answer_changed or grade.auto_score != auto_before:
        return True
    return grade.needs_manual_grade


def write_scores(root: Path, assignment: str, notebook: str, student: str,
                 verdicts: dict[str, CellVerdict], submitted_nb, changed_answers: frozenset[str] = frozenset()) -> None:
    """Record trusted scores for one submitted notebook in one transaction. `changed_answers`:
    written answers whose text differs from the one graded before (see `changed_answers`)."""
    solutions = {grade_id(c): c for c in submitted_nb.cells if utils.is_solution(c)}
    answers = {gid: c for gid, c in solutions.items() if utils.is_grade(c)}
    with open_gradebook(root) as gb, gb.db.no_autoflush:
        _find_or_add(gb.find_student, gb.add_student, student)
        _find_or_add(gb.find_submission, gb.add_submission, assignment, student)
        submission = gb.find_submission_notebook(notebook, assignment, student)
        grades, comments = grades_and_comments(gb, submission)   # no_autoflush: no flush before each read
        for grade in grades:
            before = grade.auto_score
            if grade.name in verdicts and verdicts[grade.name].extra_credit:
                # a test worth extra credit has no points of its own (max_score 0): what it earned
                # goes where nbgrader counts extra credit, on top of the notebook's total
                grade.auto_score = 0.0
                grade.extra_credit = verdicts[grade.name].score
            elif grade.name in verdicts:
                grade.auto_score = verdicts[grade.name].score
            elif grade.name in answers:
                grade.auto_score = _manual_cell_score(answers[grade.name])
            else:  # a graded cell the run never produced: no evidence, no points
                grade.auto_score = 0.0
            grade.needs_manual_grade = _needs_a_person(grade, before, grade.name in changed_answers)
        for comment in comments:
            cell = solutions.get(comment.name)
            untouched = cell is not None and cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comment.auto_comment = "No response." if untouched else None
        gb.db.commit()


def changed_answers(graded_before, now) -> frozenset[str]:
    """Written answers (graded solution cells) whose text differs between the notebook graded
    before (the autograded copy formgrader showed the grader; None if there is none) and now."""
    if graded_before is None:
        return frozenset()

    def texts(nb):
        return {grade_id(c): c.source for c in nb.cells if utils.is_solution(c) and utils.is_grade(c)}
    before, after = texts(graded_before), texts(now)
    return frozenset(gid for gid in after if gid in before and before[gid] != after[gid])


def remember_names(root: Path, names: dict[str, str]) -> None:
    """Store the names an LMS zip gave in the gradebook's student records, where formgrader and
    `nbgrader export` read them and later runs keep them. A record whose name already reads the
    same is left as it is (a name an instructor typed in formgrader stays)."""
    if not names:
        return
    with open_gradebook(root) as gb:
        for student, name in names.items():
            if not name.strip():
                continue
            record = _find_or_add(gb.find_student, gb.add_student, student, **name_fields(name))
            if display_name(record.first_name, record.last_name) != name.strip():
                for field, value in name_fields(name).items():
                    setattr(record, field, value)
        gb.db.commit()
