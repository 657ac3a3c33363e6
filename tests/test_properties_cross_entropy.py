"""The cross_entropy_at_most property: a trained model judged by its raw scores against the reference's targets."""
from __future__ import annotations

import json
import math

import pytest
import torch

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, **params):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": "cross_entropy_at_most", **params}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    return check_key("k", student, reference)


VOCAB = 7


def targets(seed=0, shape=(6, 5)):
    return torch.randint(0, VOCAB, shape, generator=torch.Generator().manual_seed(seed))


def confident(t, margin):
    """Scores that put `margin` more on the right answer than on every other token."""
    return torch.nn.functional.one_hot(t, VOCAB).float() * margin


def test_a_model_as_good_as_the_reference_passes():
    t = targets()
    reference = [confident(t, 4.0), t]
    assert judged([confident(t, 4.0) + 0.01, t], reference, factor=1.2, slack=0.1) is None
    assert judged([confident(t, 6.0), t], reference, factor=1.2, slack=0.1) is None   # better is fine


def test_an_untrained_model_fails():
    t = targets()
    reference = [confident(t, 4.0), t]
    uniform = torch.zeros(6, 5, VOCAB)   # cross-entropy ln 7
    assert judged([uniform, t], reference, factor=1.2, slack=0.1) is not None
    assert judged([uniform, t], reference, bound=0.8 * math.log(VOCAB)) is not None


def test_the_students_targets_are_ignored():
    t = targets(0)
    other = targets(1)
    reference = [confident(t, 4.0), t]
    # scores fitted to targets the student's kernel made up, recorded with them: judged on the reference's
    assert judged([confident(other, 6.0), other], reference, factor=1.2, slack=0.1) is not None


def test_absolute_bound():
    t = targets()
    reference = [confident(t, 4.0), t]
    loss = torch.nn.functional.cross_entropy(confident(t, 3.0).reshape(-1, VOCAB), t.reshape(-1)).item()
    assert judged([confident(t, 3.0), t], reference, bound=loss + 1e-6) is None
    assert judged([confident(t, 3.0), t], reference, bound=loss - 1e-3) is not None


def test_matches_torch_cross_entropy():
    torch.manual_seed(0)
    t = targets()
    scores = torch.randn(6, 5, VOCAB) * 3
    loss = torch.nn.functional.cross_entropy(scores.reshape(-1, VOCAB), t.reshape(-1)).item()
    assert judged([scores, t], [scores, t], bound=loss * (1 + 1e-9)) is None
    assert judged([scores, t], [scores, t], bound=loss * (1 - 1e-6)) is not None


def test_needs_a_bound_or_a_factor():
    t = targets()
    assert judged([confident(t, 4.0), t], [confident(t, 4.0), t]) is not None


@pytest.mark.parametrize("bad", [
    None, "scores", {"raised": "RuntimeError"}, [1.0, 2.0],
    [torch.zeros(6, 5, VOCAB + 1), targets()],       # another vocabulary
    [torch.zeros(3, 5, VOCAB), targets(shape=(3, 5))],  # another batch
])
def test_garbage_fails_without_raising(bad):
    t = targets()
    assert judged(bad, [confident(t, 4.0), t], factor=1.2, slack=0.1) is not None


def test_non_finite_scores_fail():
    t = targets()
    scores = confident(t, 4.0)
    scores[0, 0, 0] = float("nan")
    assert judged([scores, t], [confident(t, 4.0), t], factor=10.0, slack=10.0) is not None
    scores[0, 0, 0] = float("inf")
    assert judged([scores, t], [confident(t, 4.0), t], factor=10.0, slack=10.0) is not None


def test_outcome_wrapping_is_accepted():
    t = targets()
    assert judged({"returned": [confident(t, 4.0), t]}, {"returned": [confident(t, 4.0), t]},
                  factor=1.2, slack=0.1) is None
