"""The property translations_near_reference: a trained model is judged on probe inputs the hidden test
picks, by its own predictions against the reference's targets, never by a number it reports itself.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key

rng = np.random.default_rng(0)
TARGETS = rng.integers(0, 30, size=(100, 10))


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, tolerance=0.15):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": "translations_near_reference", "tolerance": tolerance}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    student.checks["k"] = [{}]
    return check_key("k", student, reference)


def with_errors(rows):
    """The targets with the first `rows` rows wrong in one character."""
    predicted = TARGETS.copy()
    predicted[:rows, 3] = (predicted[:rows, 3] + 1) % 30
    return predicted


REFERENCE = {"predicted": with_errors(5), "targets": TARGETS}     # the reference model: 95% exact


@pytest.mark.parametrize("rows", [0, 5, 10, 20])
def test_translations_about_as_good_as_the_references_pass(rows):
    assert judged({"predicted": with_errors(rows), "targets": TARGETS}, REFERENCE) is None


@pytest.mark.parametrize("rows", [21, 50, 100])
def test_worse_translations_fail(rows):
    assert "fail the property" in judged({"predicted": with_errors(rows), "targets": TARGETS}, REFERENCE)


def test_the_students_own_targets_are_never_read():
    bad = with_errors(100)
    # a student who also rewrites the targets to match a bad model's output gains nothing
    assert judged({"predicted": bad, "targets": bad}, REFERENCE) is not None
    assert judged({"predicted": TARGETS}, REFERENCE) is None


def test_the_bound_follows_the_reference():
    weak_reference = {"predicted": with_errors(60), "targets": TARGETS}   # 40% exact
    assert judged({"predicted": with_errors(70), "targets": TARGETS}, weak_reference) is None
    assert judged({"predicted": with_errors(80), "targets": TARGETS}, weak_reference) is not None


@pytest.mark.parametrize("garbage", [
    None, "x", 0.99, [], {}, {"predicted": None}, {"predicted": TARGETS[:50]}, {"predicted": TARGETS[:, :9]},
    {"predicted": TARGETS.reshape(-1)}, {"predicted": TARGETS.reshape(10, 10, 10)},
    {"predicted": {"__array__": ["x"] * 1000, "shape": [100, 10]}},
    {"predicted": {"__array__": [1.0] * 7, "shape": [100, 10]}},
    {"predicted": {"__unsupported__": "x"}}, {"raised": "RuntimeError"},
])
def test_malformed_evidence_fails_without_crashing(garbage):
    assert "fail the property" in judged(garbage, REFERENCE)


def test_nan_predictions_fail():
    predicted = TARGETS.astype(float)
    predicted[0, 0] = float("nan")
    assert judged({"predicted": predicted}, REFERENCE) is not None


def test_a_broken_reference_passes_nobody():
    assert judged({"predicted": TARGETS}, {"predicted": TARGETS}) is not None          # no targets
    assert judged({"predicted": TARGETS}, {"predicted": TARGETS[:0], "targets": TARGETS[:0]}) is not None
