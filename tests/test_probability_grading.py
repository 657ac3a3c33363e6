"""01_probability graded end to end by real nbgrader: samples, mutants, variants."""
from __future__ import annotations

import csv

import pytest

from conftest import catalogue, load_goldens, save_goldens, student_id

ASSIGNMENT = "01_probability"
CATALOGUE = catalogue(ASSIGNMENT)
pytestmark = pytest.mark.slow


def by_kind(kind):
    return [pytest.param(spec, id=spec.name) for k, _, spec in CATALOGUE if k == kind]


def test_catalogue_is_big_enough():
    kinds = [k for k, _, _ in CATALOGUE]
    assert kinds.count("mutants") >= 10
    assert kinds.count("variants") >= 3
    names = {spec.name for k, _, spec in CATALOGUE if k == "samples"}
    assert {"all_correct", "fails_visible", "fails_hidden_only", "raises", "blank"} <= names


@pytest.mark.parametrize("spec", by_kind("samples"))
def test_sample_scores_match_goldens(graded_probability, spec, request):
    results, _ = graded_probability
    result = results[student_id("samples", spec)]
    assert result.error is None, result.error
    found = {gid: cell.score for gid, cell in result.cells.items()}
    goldens = load_goldens(ASSIGNMENT)
    if request.config.getoption("--update-goldens"):
        goldens[spec.name] = found
        save_goldens(ASSIGNMENT, goldens)
    assert spec.name in goldens, f"no golden for {spec.name}: run pytest --update-goldens and review it"
    assert found == goldens[spec.name]


@pytest.mark.parametrize("spec", by_kind("mutants"))
def test_mutant_loses_points(graded_probability, spec):
    results, _ = graded_probability
    result = results[student_id("mutants", spec)]
    assert result.error is None, result.error
    assert result.auto_score < result.auto_max, f"{spec.name} kept full points: {spec.summary}"
    for gid in spec.expect_fail:
        assert result.cells[gid].lost_points, f"{spec.name} should fail {gid}"


@pytest.mark.parametrize("spec", by_kind("variants"))
def test_variant_earns_full_points(graded_probability, spec):
    results, _ = graded_probability
    result = results[student_id("variants", spec)]
    assert result.error is None, result.error
    lost = [gid for gid, cell in result.cells.items() if cell.lost_points]
    assert not lost, f"correct variant {spec.name} lost points in {lost}"
    assert result.auto_score == result.auto_max


def test_samples_with_expectations_hold(graded_probability):
    results, _ = graded_probability
    for kind, _, spec in CATALOGUE:
        result = results[student_id(kind, spec)]
        if spec.expect_full:
            assert result.auto_score == result.auto_max, spec.name
        for gid in spec.expect_fail:
            assert result.cells[gid].lost_points, f"{spec.name}: {gid}"


def test_blank_release_earns_nothing_automatic(graded_probability):
    results, _ = graded_probability
    blank = results["samples-blank"]
    assert blank.auto_score == 0
    assert all(cell.score in (0, None) for cell in blank.cells.values())


def test_written_answers_wait_for_a_person(graded_probability):
    results, _ = graded_probability
    manual = [c for c in results["samples-all_correct"].cells.values() if c.manual]
    assert {c.grade_id for c in manual} >= {"answer_disease_by_hand"}
    assert all(c.score is None for c in manual)


def test_reports_are_written(graded_probability, course_copy):
    results, batch = graded_probability
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


def test_english_submission_grades_like_korean(graded_probability, course_copy):
    results, _ = graded_probability
    ko, en = results["samples-all_correct"], results["samples-all_correct_en"]
    assert {g: c.score for g, c in ko.cells.items()} == {g: c.score for g, c in en.cells.items()}
    submitted = (course_copy / "submitted" / "samples-all_correct_en" / ASSIGNMENT
                 / "probability.ipynb").read_text(encoding="utf-8")
    assert '"lang:en"' in submitted and '"lang:ko"' not in submitted
