"""Autograded extra credit: a test cell worth points on top of the notebook's maximum.

nbgrader keeps extra credit as a number beside each grade (`Grade.extra_credit`, typed in formgrader)
and has no cell metadata for it. A test cell of the kit declares it in `metadata.autograder.extra_credit`
with nbgrader points 0, so the gradebook's maximum (the base total) stays; the trusted side scores it
like any test, and the gradebook gets what it earned as extra credit. Real gradebook, real pages.
"""
from __future__ import annotations

import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.cells import extra_credit, is_autograded_test
from autograder.grading.gradebook import write_scores
from autograder.nbgrader_app import db_url
from autograder.reports.feedback import feedback_record, render_page
from autograder.reports.results import notebook_result
from autograder.trusted import build_reference, kernel_verdicts, parse_evidence, score


def _test_cell(gid, points, bonus=None):
    cell = nbformat.v4.new_code_cell(f"record({gid!r}, 1.0)", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": points, "grade_id": gid, "schema_version": 3}})
    if bonus is not None:
        cell.metadata["autograder"] = {"extra_credit": bonus}
    return cell


NB = nbformat.v4.new_notebook(cells=[_test_cell("test_base", 2), _test_cell("test_bonus", 0, bonus=3)])
LINES = [json.dumps({"key": key, "value": 1.0, "check": {}}) + "\n" for key in ("test_base", "test_bonus")]
DATA = "".join(LINES).encode()
STATUS = {"finished": True, "cells": [
    {"index": 0, "status": "ok", "evidence_start": 0, "evidence_end": len(LINES[0].encode())},
    {"index": 1, "status": "ok", "evidence_start": len(LINES[0].encode()), "evidence_end": len(DATA)}]}


def _verdicts(student_lines):
    reference = build_reference(NB, STATUS, DATA)
    return score(reference, parse_evidence("".join(student_lines).encode()), kernel_verdicts(NB, STATUS))


def test_the_declared_extra_credit_is_what_the_cell_earns():
    passed, failed = _verdicts(LINES), _verdicts(LINES[:1])
    bonus = passed["test_bonus"]
    assert (bonus.score, bonus.max_points, bonus.extra_credit) == (3, 3, True)
    assert not failed["test_bonus"].trusted_passed and failed["test_bonus"].score == 0
    assert (passed["test_base"].score, passed["test_base"].extra_credit) == (2, False)


def test_malformed_extra_credit_metadata_counts_nothing():
    cell = _test_cell("test_x", 0)
    for value in (True, "3", -1, None, {"x": 1}):
        cell.metadata["autograder"] = {"extra_credit": value}
        assert extra_credit(cell) == 0.0
    cell.metadata["autograder"] = "3"
    assert extra_credit(cell) == 0.0


def _gradebook(root):
    """An assignment of one notebook, a base test and a bonus test, in the course's own gradebook
    (a new gradebook costs seconds: nbgrader runs alembic to create it)."""
    with Gradebook(db_url(root)) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("test_base", "nb", "a1", max_score=2.0, cell_type="code")
        gb.add_grade_cell("test_bonus", "nb", "a1", max_score=0.0, cell_type="code")
        gb.add_student("s1")


@pytest.mark.slow   # a built course (the session's template, copied)
def test_earned_extra_credit_lands_on_top_of_the_base_total(fresh_course):
    root = fresh_course
    _gradebook(root)
    verdicts = _verdicts(LINES)
    write_scores(root, "a1", "nb", "s1", verdicts, NB)
    result = notebook_result(root, "a1", "s1", "nb")
    totals = result.totals
    assert (totals.auto, totals.auto_max, totals.extra_credit, totals.score, totals.max_score) == (2, 2, 3, 5, 2)
    page = render_page(feedback_record(NB, verdicts, [], hidden_ids=set(), secrets=set()), result, "nb")
    assert "✅ <b>test_bonus: +3 of 3 extra credit</b>" in page
    assert "<tr><td>Extra credit</td><td>+3</td></tr><tr><th>Total</th><th>5 / 2</th></tr>" in page

    # graded again without the bonus: the extra credit goes, the base total never moved
    verdicts = _verdicts(LINES[:1])
    write_scores(root, "a1", "nb", "s1", verdicts, NB)
    result = notebook_result(root, "a1", "s1", "nb")
    assert (result.totals.extra_credit, result.totals.score, result.totals.max_score) == (0, 2, 2)
    page = render_page(feedback_record(NB, verdicts, [], hidden_ids=set(), secrets=set()), result, "nb")
    assert "❌ <b>test_bonus: +0 of 3 extra credit</b>" in page and "Extra credit</td>" not in page


def test_a_page_without_gradebook_scores_keeps_extra_credit_apart():
    page = render_page(feedback_record(NB, _verdicts(LINES), [], hidden_ids=set(), secrets=set()), None, "nb")
    assert "<b>Tests: 2 / 2 (+3 extra credit)</b>" in page


@pytest.mark.slow   # a built course (the session's template, copied)
def test_simple_gpts_extension_leaves_the_base_total_as_it_was(fresh_course):
    """04 simple_gpt's KV cache and sampling tests are extra credit: in the gradebook nbgrader built
    from the release, they are worth 0 and the notebook's maximum is the sum of the other cells'
    points (the course-feedback bonus, a written answer, is extra credit too)."""
    source = nbformat.read(fresh_course / "source" / "04_simple_gpt" / "simple_gpt.ipynb", as_version=4)
    bonus = {c.metadata.nbgrader.grade_id: extra_credit(c) for c in source.cells
             if extra_credit(c) and is_autograded_test(c)}
    base = sum(c.metadata.nbgrader.points for c in source.cells
               if c.metadata.get("nbgrader", {}).get("grade") and not extra_credit(c))
    assert sum(bonus.values()) == 7 and len(bonus) == 6
    with Gradebook(db_url(fresh_course)) as gb:
        notebook = gb.find_notebook("simple_gpt", "04_simple_gpt")
        assert {c.name: c.max_score for c in notebook.grade_cells if c.name in bonus} == dict.fromkeys(bonus, 0.0)
        assert notebook.max_score == base
