"""01_probability graded by stock nbgrader (`course grade --stock`): what that still proves.

Hidden tests only record evidence and judge nothing in the student's kernel (no answers live
there, docs/GRADING_PROTOCOL.md). Stock nbgrader believes the kernel, so it gives a hidden test
its full points whenever the cell runs without an error: **stock grading cannot judge hidden
tests, and its scores are not grades.** Grades come from `course grade`, whose trusted scores
tests/test_catalogue_trusted.py checks against the goldens (tests/goldens/01_probability.json).

What stock grading still means, and this file proves with real nbgrader:
- every sample is graded, and the blank release scores zero in every cell;
- visible tests judge in the kernel: every sample's visible-test scores equal the goldens (the
  trusted scores), and a mutant loses points in every visible test its `# expect: fail` names;
- correct variants keep full points;
- written answers wait for a person, reports and feedback are written, English grades like Korean.

Stock nbgrader runs here on a sample of the catalogue: every example, for each visible test the
first mutant that names it, and two correct variants. That is all stock grading can show (the
kernel judges only visible tests); the whole catalogue, hidden tests included, is proven by the
trusted grader (tests/test_catalogue_trusted.py).
"""
from __future__ import annotations

import csv

import nbformat
import pytest

from autograder.cells import HIDDEN_BEGIN
from autograder.stock import grade_assignment
from course.specs import submit

from conftest import ROOT, catalogue, copy_course, load_goldens, student_id

ASSIGNMENT = "01_probability"
pytestmark = pytest.mark.slow


def hidden_test_cells() -> set[str]:
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / "probability.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"] for c in source.cells
            if c.cell_type == "code" and HIDDEN_BEGIN in c.source}


HIDDEN = hidden_test_cells()


def stock_sample():
    """Every example; per visible test, the first mutant naming it; the first and last variant."""
    everything = catalogue(ASSIGNMENT)
    chosen = [entry for entry in everything if entry[0] == "samples"]
    covered = set()
    for entry in (e for e in everything if e[0] == "mutants"):
        visible = {g for g in entry[2].expect_fail if g not in HIDDEN}
        if visible - covered:
            chosen.append(entry)
            covered |= visible
    variants = [e for e in everything if e[0] == "variants"]
    return chosen + variants[:1] + variants[-1:]


CATALOGUE = stock_sample()
VISIBLE_TESTS = {g for kind, _, spec in catalogue(ASSIGNMENT) if kind == "mutants"
                 for g in spec.expect_fail if g not in HIDDEN}


@pytest.fixture(scope="module")
def graded_probability(course_template, tmp_path_factory):
    """The sample graded by real, stock nbgrader (`course grade --stock`)."""
    course = copy_course(course_template, tmp_path_factory.mktemp("stock") / "course")
    students = []
    for kind, stem, spec in CATALOGUE:
        submit(course, spec, ASSIGNMENT, stem, student_id(kind, spec))
        students.append(student_id(kind, spec))
    batch = grade_assignment(course, ASSIGNMENT, students)
    return {r.student: r for r in batch.results}, batch, course


def by_kind(kind, only=lambda spec: True):
    return [pytest.param(spec, id=spec.name) for k, _, spec in CATALOGUE if k == kind and only(spec)]


def names_a_visible_test(spec) -> bool:
    return any(g not in HIDDEN for g in spec.expect_fail)


def test_catalogue_is_big_enough():
    everything = catalogue(ASSIGNMENT)
    kinds = [k for k, _, _ in everything]
    assert kinds.count("mutants") >= 10
    assert kinds.count("variants") >= 3
    names = {spec.name for k, _, spec in CATALOGUE if k == "samples"}
    assert {"all_correct", "fails_visible", "fails_hidden_only", "raises", "blank"} <= names
    assert HIDDEN and len([1 for k, _, s in everything if k == "mutants" and names_a_visible_test(s)]) >= 10


def test_the_sample_reaches_every_visible_test():
    reached = {g for kind, _, spec in CATALOGUE if kind == "mutants" for g in spec.expect_fail if g not in HIDDEN}
    assert len(VISIBLE_TESTS) >= 5 and reached == VISIBLE_TESTS


@pytest.mark.parametrize("spec", by_kind("samples"))
def test_sample_visible_scores_match_goldens(graded_probability, spec):
    results, _, _ = graded_probability
    result = results[student_id("samples", spec)]
    assert result.error is None, result.error
    goldens = load_goldens(ASSIGNMENT)
    assert spec.name in goldens, f"no golden for {spec.name}: run pytest --update-goldens and review it"
    visible = {gid for gid, cell in result.cells.items() if not cell.manual and gid not in HIDDEN}
    missing = visible - set(goldens[spec.name])
    assert visible and not missing, f"goldens of {spec.name} lack {missing}"
    assert {g: result.cells[g].score for g in visible} == {g: goldens[spec.name][g] for g in visible}


@pytest.mark.parametrize("spec", by_kind("mutants", names_a_visible_test))
def test_mutant_loses_points_in_its_visible_tests(graded_probability, spec):
    results, _, _ = graded_probability
    result = results[student_id("mutants", spec)]
    assert result.error is None, result.error
    for gid in spec.expect_fail:
        if gid not in HIDDEN:
            assert result.cells[gid].lost_points, f"{spec.name} should fail {gid}: {spec.summary}"


@pytest.mark.parametrize("spec", by_kind("variants"))
def test_variant_earns_full_points(graded_probability, spec):
    results, _, _ = graded_probability
    result = results[student_id("variants", spec)]
    assert result.error is None, result.error
    lost = [gid for gid, cell in result.cells.items() if cell.lost_points]
    assert not lost, f"correct variant {spec.name} lost points in {lost}"
    assert result.auto_score == result.auto_max


def test_expectations_on_visible_tests_hold(graded_probability):
    results, _, _ = graded_probability
    for kind, _, spec in CATALOGUE:
        result = results[student_id(kind, spec)]
        if spec.expect_full:
            assert result.auto_score == result.auto_max, spec.name
        for gid in spec.expect_fail:
            if gid not in HIDDEN:
                assert result.cells[gid].lost_points, f"{spec.name}: {gid}"


def test_stock_grading_cannot_judge_hidden_tests(graded_probability):
    # by design: the hidden invalid-input test records outcomes and asserts nothing, so stock
    # nbgrader gives full points to code that validates nothing; the trusted grade is zero
    results, _, _ = graded_probability
    cell = results["samples-fails_hidden_only"].cells["test_invalid_input_hidden"]
    assert cell.score == cell.max_score
    assert load_goldens(ASSIGNMENT)["fails_hidden_only"]["test_invalid_input_hidden"] == 0


def test_blank_release_earns_nothing_automatic(graded_probability):
    results, _, _ = graded_probability
    blank = results["samples-blank"]
    assert blank.auto_score == 0
    assert all(cell.score in (0, None) for cell in blank.cells.values())


def test_written_answers_wait_for_a_person(graded_probability):
    results, _, _ = graded_probability
    manual = [c for c in results["samples-all_correct"].cells.values() if c.manual]
    assert {c.grade_id for c in manual} >= {"answer_disease_by_hand"}
    assert all(c.score is None for c in manual)


def test_reports_are_written(graded_probability):
    results, batch, course_copy = graded_probability
    with open(batch.reports["grades"], encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["student"] for r in rows} == set(results)
    correct = next(r for r in rows if r["student"] == "samples-all_correct")
    assert float(correct["auto_score"]) == float(correct["auto_max"]) > 0
    with open(batch.reports["questions"], encoding="utf-8") as f:
        questions = {r["question"] for r in csv.DictReader(f)}
    assert {"chain_rule", "bayes_theorem", "disease_posterior"} <= questions
    feedback = course_copy / "feedback" / "samples-all_correct" / ASSIGNMENT / "probability.html"
    assert feedback.is_file() and "chain_rule" in feedback.read_text(encoding="utf-8")


def test_english_submission_grades_like_korean(graded_probability):
    results, _, course_copy = graded_probability
    ko, en = results["samples-all_correct"], results["samples-all_correct_en"]
    assert {g: c.score for g, c in ko.cells.items()} == {g: c.score for g, c in en.cells.items()}
    submitted = (course_copy / "submitted" / "samples-all_correct_en" / ASSIGNMENT
                 / "probability.ipynb").read_text(encoding="utf-8")
    assert '"lang:en"' in submitted and '"lang:ko"' not in submitted
