"""A malformed submission is reported with a clear reason and skipped; the batch goes on."""
from __future__ import annotations

import json

import pytest

from autograder.grading.intake import notebook_problem
from autograder.stock import grade_assignment
from course.specs import SubmissionSpec, submit

ASSIGNMENT = "01_probability"
NOTEBOOK = "probability.ipynb"


def put(course, student, name, data: bytes):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


@pytest.mark.slow
def test_bad_submissions_are_skipped_and_reported(fresh_course):
    course_copy = fresh_course
    good = submit(course_copy, SubmissionSpec("good"), ASSIGNMENT, NOTEBOOK.removesuffix(".ipynb"), "intake-good")
    put(course_copy, "intake-invalid-json", NOTEBOOK, b'{"cells": [')
    put(course_copy, "intake-empty", NOTEBOOK, b"")
    put(course_copy, "intake-nbformat3", NOTEBOOK,
        json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}).encode())
    put(course_copy, "intake-wrong-name", "probability (1).ipynb", good.read_bytes())
    put(course_copy, "intake-binary", NOTEBOOK, bytes(range(256)) * 8)

    students = ["intake-binary", "intake-empty", "intake-good", "intake-invalid-json",
                "intake-nbformat3", "intake-wrong-name"]
    batch = grade_assignment(course_copy, ASSIGNMENT, students)
    by_student = {r.student: r for r in batch.results}
    assert set(by_student) == set(students)
    assert by_student["intake-good"].error is None
    assert by_student["intake-good"].auto_score == by_student["intake-good"].auto_max > 0
    expected = {
        "intake-invalid-json": "not valid JSON",
        "intake-empty": "is empty",
        "intake-nbformat3": "not an nbformat 4 notebook",
        "intake-wrong-name": "probability.ipynb is missing (found probability (1).ipynb)",
        "intake-binary": "not UTF-8",
    }
    for student, reason in expected.items():
        assert reason in (by_student[student].error or ""), (student, by_student[student].error)
    assert "ERROR" in batch.table and "intake-good" in batch.table


@pytest.mark.parametrize("content, reason", [
    (b"[]", "not an nbformat 4 notebook"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": "nope", "metadata": {}}).encode(),
     "does not follow the notebook schema"),
])
def test_notebook_problem_reasons(tmp_path, content, reason):
    path = tmp_path / NOTEBOOK
    path.write_bytes(content)
    assert reason in notebook_problem(path)


def test_oversized_notebook_is_refused_before_parsing(tmp_path):
    path = tmp_path / NOTEBOOK
    with open(path, "wb") as f:
        f.truncate(100 << 20)  # a sparse 100 MB file: cheap to make, must not be read
    assert "over the" in notebook_problem(path)


def test_a_notebook_of_100000_cells_is_refused_before_nbgrader_sees_it(tmp_path):
    path = tmp_path / NOTEBOOK
    cell = {"cell_type": "code", "source": "", "metadata": {}, "outputs": [], "execution_count": None}
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell] * 100_000}))
    assert "100000 cells, more than the 2000" in notebook_problem(path)


def test_a_notebook_nested_too_deeply_is_refused(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_text('{"nbformat": 4, "cells": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "nested too deeply" in notebook_problem(path)
