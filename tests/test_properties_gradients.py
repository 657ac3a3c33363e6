"""The property central_difference_live: autograd gradients agree with central differences of the
student's own loss, and every weight the reference's loss depends on moves the student's loss too.

A function built to pass central_difference (a weight multiplied by 0: gradient 0, equal losses at
+-eps) must fail; wrong but real forward passes (another scale, the other softmax axis) still pass,
so a forward mistake is not charged twice.
"""
from __future__ import annotations

import json
import math

import pytest
import torch

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key

EPS = 1e-3


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, **params):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": "central_difference_live", "eps": EPS, **params}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    student.checks["k"] = [{}]
    return check_key("k", student, reference)


torch.manual_seed(0)
X = torch.randn(5, 3, dtype=torch.float64)
UP = torch.randn(5, 2, dtype=torch.float64)
WEIGHTS = [torch.randn(3, 2, dtype=torch.float64) * 0.8 for _ in range(3)]


def correct(wq, wk, wv):
    return torch.softmax((X @ wq) @ (X @ wk).T / math.sqrt(2), dim=-1) @ (X @ wv)


def no_scaling(wq, wk, wv):
    return torch.softmax((X @ wq) @ (X @ wk).T, dim=-1) @ (X @ wv)


def keys_at_queries(wq, wk, wv):
    return torch.softmax((X @ wk) @ (X @ wq).T / math.sqrt(2), dim=-1) @ (X @ wv)


def softmax_over_queries(wq, wk, wv):
    return torch.softmax((X @ wq) @ (X @ wk).T / math.sqrt(2), dim=0) @ (X @ wv)


def values_only(wq, wk, wv):        # the fabricated forward: W_query and W_key enter times 0
    return X @ wv + 0 * (wq.sum() + wk.sum())


def constant(wq, wk, wv):
    return torch.ones(5, 2, dtype=torch.float64) + 0 * (wq.sum() + wk.sum() + wv.sum())


def saturated(wq, wk, wv):          # scores ten times too large: queries and keys barely matter, but they do
    return torch.softmax(10 * (X @ wq) @ (X @ wk).T, dim=-1) @ (X @ wv)


def detached_query(wq, wk, wv):     # W_query's gradient is cut and it enters times 0: nothing moves
    return torch.softmax((X @ wq.detach() * 0) @ (X @ wk).T, dim=-1) @ (X @ wv) + 0 * wq.sum()


ENTRIES = [(w, i, j) for w in range(3) for i, j in ((0, 0), (2, 1))]


def probe(forward, weights=WEIGHTS):
    """What the notebook records: autograd gradients and the losses at +-eps for some entries."""
    params = [w.clone().requires_grad_(True) for w in weights]
    (forward(*params) * UP).sum().backward()
    found = {"grad": [], "plus": [], "minus": []}
    for w, i, j in ENTRIES:
        found["grad"].append(params[w].grad[i, j].item())
        with torch.no_grad():
            original = params[w][i, j].item()
            params[w][i, j] = original + EPS
            found["plus"].append((forward(*params) * UP).sum().item())
            params[w][i, j] = original - EPS
            found["minus"].append((forward(*params) * UP).sum().item())
            params[w][i, j] = original
    return {"returned": found}


REFERENCE = probe(correct)


def test_the_reference_moves_its_loss_through_every_probed_weight():
    found = REFERENCE["returned"]
    assert all(abs(p - m) / (2 * EPS) > 1e-3 for p, m in zip(found["plus"], found["minus"]))


@pytest.mark.parametrize("forward", [correct, no_scaling, keys_at_queries, softmax_over_queries, saturated])
def test_real_forward_passes_pass(forward):
    assert judged(probe(forward), REFERENCE, rtol=1e-2, atol=1e-3, floor=1e-10) is None
    other = probe(forward, [w + 0.3 for w in WEIGHTS])     # judged on the student's own function
    assert judged(other, REFERENCE, rtol=1e-2, atol=1e-3, floor=1e-10) is None


@pytest.mark.parametrize("forward", [values_only, constant, detached_query])
def test_weights_that_do_not_move_the_loss_fail(forward):
    fabricated = probe(forward)
    # the old property, judged on the student's own function alone, accepts these
    reference = Evidence()
    reference.values["k"] = [plain(REFERENCE)]
    reference.checks["k"] = [{"property": "central_difference", "eps": EPS, "rtol": 1e-2, "atol": 1e-3}]
    student = Evidence()
    student.values["k"] = [plain(fabricated)]
    student.checks["k"] = [{}]
    assert check_key("k", student, reference) is None
    assert "fail the property" in judged(fabricated, REFERENCE, rtol=1e-2, atol=1e-3, floor=1e-10)


def test_gradients_that_disagree_with_the_students_function_still_fail():
    found = dict(REFERENCE["returned"])
    found["grad"] = [g * 0.5 for g in found["grad"]]
    assert judged({"returned": found}, REFERENCE, rtol=1e-2, atol=1e-3, floor=1e-10) is not None


@pytest.mark.parametrize("garbage", [None, "x", 1.0, [], {"raised": "TypeError"}, {"returned": None},
                                     {"returned": {"grad": [0.0], "plus": [0.0], "minus": [0.0]}},
                                     {"returned": {"grad": ["x"] * 6, "plus": [0.0] * 6, "minus": [0.0] * 6}},
                                     {"returned": {"grad": [0.0] * 6, "plus": [{"__float__": "nan"}] * 6,
                                                   "minus": [0.0] * 6}}])
def test_malformed_evidence_fails_without_crashing(garbage):
    assert "fail the property" in judged(garbage, REFERENCE, rtol=1e-2, atol=1e-3, floor=1e-10)


def test_a_reference_without_numbers_fails_everything():
    broken = {"returned": {"grad": [0.0] * 6, "plus": ["x"] * 6, "minus": [0.0] * 6}}
    assert judged(REFERENCE, broken, rtol=1e-2, atol=1e-3, floor=1e-10) is not None
