"""Every assignment's samples, mutants and variants, graded by `course grade` (sandboxed, trusted).

Mutants must lose points, variants must keep them all, the reference must record evidence
in every test cell, and where goldens exist (tests/goldens/<assignment>.json) the trusted scores
of the samples' autograded cells must equal them. The goldens are trusted scores:
`pytest --update-goldens` rewrites the existing golden files from this run. (Stock nbgrader
cannot judge hidden tests, so its own test compares only the visible cells with them.)
"""
from __future__ import annotations

import nbformat
import pytest

from autograder.runner import Options, grade
from autograder.specs import build_submission, write_submission
from conftest import ROOT, SUBMISSIONS, catalogue, load_goldens, save_goldens
from course.paths import assignments, release_dir

pytestmark = pytest.mark.slow
ASSIGNMENTS = [a for a in assignments(ROOT) if (SUBMISSIONS / a).is_dir()]


def trusted_student(kind, stem, spec):
    return f"trusted-{stem}-{kind}-{spec.name}"


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, course_copy):
    assignment = request.param
    students = {}
    for kind, stem, spec in catalogue(assignment):
        source_nb = nbformat.read(course_copy / "source" / assignment / f"{stem}.ipynb", as_version=4)
        release_nb = nbformat.read(release_dir(course_copy, spec.lang) / assignment / f"{stem}.ipynb",
                                   as_version=4)
        student = trusted_student(kind, stem, spec)
        write_submission(build_submission(spec, source_nb, release_nb),
                         course_copy / "submitted" / student / assignment / f"{stem}.ipynb")
        students[student] = (kind, stem, spec)
    run = grade(course_copy, assignment, options=Options(workers=2, progress=False, resume=False),
                students=sorted(students))
    return assignment, run, students


def test_reference_records_evidence_in_every_test_cell(graded):
    assignment, run, _ = graded
    assert run.reference_problems == [], run.reference_problems


def test_every_submission_is_graded(graded):
    _, run, students = graded
    assert not run.rejected, run.rejected
    assert {(o.student) for o in run.outcomes} == set(students)


def test_expectations_hold(graded):
    _, run, students = graded
    problems = []
    for outcome in run.outcomes:
        kind, stem, spec = students[outcome.student]
        if outcome.notebook != stem:
            continue
        verdicts = outcome.verdicts
        lost = sorted(g for g, v in verdicts.items() if not v.trusted_passed)
        if kind == "variants" or spec.expect_full:
            if lost:
                problems.append(f"{spec.name}: a correct solution lost {lost}")
        if kind == "mutants" and not lost:
            problems.append(f"{spec.name}: a wrong solution kept full points ({spec.summary})")
        problems += [f"{spec.name}: should fail {g}" for g in spec.expect_fail
                     if g in verdicts and verdicts[g].trusted_passed]
        problems += [f"{spec.name}: unknown cell {g}" for g in spec.expect_fail + spec.expect_keep
                     if g not in verdicts]
        problems += [f"{spec.name}: should keep {g}" for g in spec.expect_keep
                     if g in verdicts and not verdicts[g].trusted_passed]
    assert not problems, "\n".join(problems)


def test_trusted_scores_equal_the_goldens(graded, request):
    assignment, run, students = graded
    goldens = load_goldens(assignment)
    if goldens and request.config.getoption("--update-goldens"):
        for outcome in run.outcomes:
            kind, stem, spec = students[outcome.student]
            if kind == "samples" and outcome.notebook == stem:
                # written answers wait for a person: the golden keeps what it had for them
                goldens[spec.name] = {**goldens.get(spec.name, {}),
                                      **{g: v.score for g, v in outcome.verdicts.items()}}
        save_goldens(assignment, goldens)
    compared = 0
    for outcome in run.outcomes:
        kind, stem, spec = students[outcome.student]
        if kind != "samples" or spec.name not in goldens:
            continue
        stock = {g: s for g, s in goldens[spec.name].items() if g in outcome.verdicts}
        assert {g: outcome.verdicts[g].score for g in stock} == stock, spec.name
        compared += 1
    if goldens:
        assert compared == len(goldens)
