"""The step properties of 02_attention_from_scratch/self_attention: matmul_of, softmax_of, normalized_by_sum.

Each judges one step of a chain of notebook cells on the student's own inputs to that step;
the reference's record fixes the shapes and the tolerance.
"""
from __future__ import annotations

import json
import math

import pytest
import torch

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def ev(*records):
    out = Evidence()
    for key, value, check in records:
        out.values.setdefault(key, []).append(plain(value))
        out.checks.setdefault(key, []).append(check)
    return out


def judged(prop, student_value, reference_value, **params):
    """None when the student's value passes the property the reference declared."""
    reference = ev(("k", reference_value, {"property": prop, **params}))
    return check_key("k", ev(("k", student_value, {})), reference)


torch.manual_seed(0)
W = torch.rand(6)                     # attention weights of one query (shape only matters)
W = W / W.sum()
V = torch.rand(6, 2)                  # values
A = torch.softmax(torch.rand(6, 6), dim=-1)
X = torch.rand(6, 3)
Q2, K = torch.rand(2), torch.rand(6, 2)
SCORES = torch.tensor([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865])
S2 = torch.rand(4, 5) * 3


# ---------------------------------------------------------------- matmul_of

@pytest.mark.parametrize("a, b", [(W, V), (A, X), (Q2, K.T), (Q2, K[1]), (X.T, A[:, 0])])
def test_matmul_of_accepts_the_product_of_the_students_own_parts(a, b):
    product = a @ b
    other_a = torch.rand(a.shape)     # the student's own (different) inputs: still judged on them
    assert judged("matmul_of", [other_a, b, other_a @ b], [a, b, product]) is None
    assert judged("matmul_of", [a, b, product], [a, b, product]) is None


def test_matmul_of_rejects_wrong_products():
    ref = [W, V, W @ V]
    assert judged("matmul_of", [W, V, W @ V + 1e-3], ref) is not None          # off by more than atol
    assert judged("matmul_of", [W, V, (W @ V).round(decimals=4)], ref) is not None   # typed from a printout
    assert judged("matmul_of", [W, X, W @ X], ref) is not None                 # context from inputs: wrong shapes
    assert judged("matmul_of", [W, V, V.T @ W], ref) is None                   # the same numbers are fine
    ref = [A, X, A @ X]
    assert judged("matmul_of", [A, X, A.T @ X], ref) is not None               # the other axis


def test_matmul_of_scalar_result():
    ref = [Q2, K[1], Q2 @ K[1]]
    assert judged("matmul_of", [Q2, K[1], float(Q2 @ K[1])], ref) is None
    assert judged("matmul_of", [Q2, K[1], float(Q2 @ K[1]) + 0.01], ref) is not None


# ---------------------------------------------------------------- softmax_of

def test_softmax_of_one_row_and_many_rows():
    assert judged("softmax_of", [SCORES, torch.softmax(SCORES, 0)], [SCORES, torch.softmax(SCORES, 0)]) is None
    scaled = torch.softmax(SCORES / math.sqrt(2), 0)
    assert judged("softmax_of", [SCORES, scaled], [SCORES, scaled], scale=math.sqrt(2)) is None
    ref = [S2, torch.softmax(S2, -1)]
    assert judged("softmax_of", [S2 + 1, torch.softmax(S2 + 1, -1)], ref) is None   # judged on the student's scores


@pytest.mark.parametrize("wrong", [
    torch.softmax(SCORES, 0),                     # scale missing
    torch.softmax(SCORES / 2, 0),                 # divided by d_k
    torch.softmax(SCORES / math.sqrt(3), 0),      # divided by sqrt(d_in)
    torch.softmax(SCORES, 0) / math.sqrt(2),      # scaled after the softmax
    SCORES / SCORES.sum(),                        # not a softmax
])
def test_softmax_of_rejects_wrong_scaling(wrong):
    ref = [SCORES, torch.softmax(SCORES / math.sqrt(2), 0)]
    assert judged("softmax_of", [SCORES, wrong], ref, scale=math.sqrt(2)) is not None


def test_softmax_of_rejects_the_wrong_axis_and_shapes():
    ref = [S2, torch.softmax(S2, -1)]
    assert judged("softmax_of", [S2, torch.softmax(S2, 0)], ref) is not None
    assert judged("softmax_of", [S2[:3], torch.softmax(S2[:3], -1)], ref) is not None
    assert judged("softmax_of", [SCORES, torch.softmax(SCORES, 0)], ref) is not None


# ---------------------------------------------------------------- normalized_by_sum

def test_normalized_by_sum():
    ref = [SCORES, SCORES / SCORES.sum()]
    assert judged("normalized_by_sum", ref, ref) is None
    assert judged("normalized_by_sum", [SCORES * 2, SCORES / SCORES.sum()], ref) is None
    assert judged("normalized_by_sum", [SCORES, SCORES / SCORES.max()], ref) is not None
    assert judged("normalized_by_sum", [SCORES, torch.softmax(SCORES, 0)], ref) is not None
    assert judged("normalized_by_sum", [torch.zeros(6), torch.zeros(6)], ref) is not None   # nothing to divide by


# ---------------------------------------------------------------- untrusted input never crashes

MALFORMED = [None, "x", 1.0, [], [1.0], [{"__unsupported__": "x"}] * 3, [[1.0, 2.0]] * 3,
             [{"__array__": [1, "x"], "shape": [2]}] * 3, [{"__array__": [1.0] * 8, "shape": [2, 2, 2]}] * 3,
             [{"__float__": "nan"}] * 3, [{"__array__": [1.0, 2.0], "shape": [3]}] * 3]


@pytest.mark.parametrize("prop, ref", [
    ("matmul_of", [W, V, W @ V]), ("matmul_of", [Q2, K[1], Q2 @ K[1]]),
    ("softmax_of", [SCORES, torch.softmax(SCORES, 0)]), ("normalized_by_sum", [SCORES, SCORES / SCORES.sum()]),
])
@pytest.mark.parametrize("garbage", MALFORMED)
def test_malformed_evidence_fails_without_crashing(prop, ref, garbage):
    assert "fail the property" in judged(prop, garbage, ref)


def test_nan_scores_fail():
    nan_scores = torch.full((6,), float("nan"))
    ref = [SCORES, torch.softmax(SCORES, 0)]
    assert judged("softmax_of", [nan_scores, nan_scores], ref) is not None
    assert judged("matmul_of", [W, V, torch.full((2,), float("nan"))], [W, V, W @ V]) is not None


# ---------------------------------------------------------------- central_difference

def _probe(fn, params, eps=1e-3):
    """What the notebook records: autograd gradients and the losses at +-eps for every entry."""
    params = [p.detach().double().clone().requires_grad_(True) for p in params]
    fn(*params).backward()
    grads, plus, minus = [], [], []
    for p in params:
        for index in range(p.numel()):
            grads.append(p.grad.view(-1)[index].item())
            with torch.no_grad():
                original = p.view(-1)[index].item()
                p.view(-1)[index] = original + eps
                plus.append(fn(*params).item())
                p.view(-1)[index] = original - eps
                minus.append(fn(*params).item())
                p.view(-1)[index] = original
    return {"grad": grads, "plus": plus, "minus": minus}


def _attention_loss(wq, wk, wv):
    x = torch.linspace(-1, 1, 12, dtype=torch.float64).reshape(4, 3)
    scores = (x @ wq) @ (x @ wk).T / math.sqrt(2)
    return (torch.softmax(scores, dim=-1) @ (x @ wv)).pow(2).sum()


WEIGHTS = [torch.rand(3, 2) for _ in range(3)]


def test_central_difference_accepts_true_gradients():
    ref = _probe(_attention_loss, WEIGHTS)
    assert judged("central_difference", ref, ref, eps=1e-3) is None
    assert judged("central_difference", {"returned": ref}, {"returned": ref}, eps=1e-3) is None
    other = _probe(_attention_loss, [w + 0.5 for w in WEIGHTS])     # judged on the student's own function
    assert judged("central_difference", {"returned": other}, {"returned": ref}, eps=1e-3) is None


def test_central_difference_rejects_wrong_or_missing_gradients():
    ref = _probe(_attention_loss, WEIGHTS)
    wrong = dict(ref, grad=[g * 0.5 for g in ref["grad"]])
    zero = dict(ref, grad=[0.0] * len(ref["grad"]))
    short = {k: v[:-1] for k, v in ref.items()}
    for bad in (wrong, zero, short, {"raised": "RuntimeError"}, {"returned": None}, None, "x",
                dict(ref, grad=[None] * len(ref["grad"])), dict(ref, plus=[float("nan")] * len(ref["plus"]))):
        assert judged("central_difference", bad, ref, eps=1e-3) is not None
