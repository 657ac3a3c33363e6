"""The changes_like property: causality judged by which positions change when later tokens do."""
from __future__ import annotations

import json

import pytest
import torch

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, **params):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": "changes_like", **params}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    return check_key("k", student, reference)


def attention(x, mask_kind):
    """Toy self-attention over x (batch, tokens, dim), with the mask under test."""
    t = x.shape[-2]
    scores = x @ x.transpose(-1, -2)
    ones = torch.ones(t, t, dtype=torch.bool)
    keep = {"causal": torch.tril(ones), "none": ones, "upper": torch.triu(ones)}[mask_kind]
    weights = torch.softmax(scores.masked_fill(~keep, float("-inf")), dim=-1)
    return weights @ x


def pair(mask_kind, changed_from=3):
    torch.manual_seed(0)
    x = torch.randn(2, 6, 4)
    y = x.clone()
    y[:, changed_from:] = torch.randn(2, 6 - changed_from, 4)
    return [attention(x, mask_kind), attention(y, mask_kind)]


def test_a_causal_layer_passes_with_other_values():
    reference = pair("causal")
    student = [t * 2.0 + 1.0 for t in pair("causal")]   # other weights, same causal structure
    assert judged(student, reference) is None


@pytest.mark.parametrize("kind", ["none", "upper"])
def test_layers_that_see_the_future_fail(kind):
    assert judged(pair(kind), pair("causal")) is not None


def test_an_output_that_ignores_its_input_fails():
    constant = torch.zeros(2, 6, 4)
    assert judged([constant, constant.clone()], pair("causal")) is not None


def test_time_axis_is_a_parameter():
    reference = [t.transpose(-1, -2) for t in pair("causal")]
    student = [t.transpose(-1, -2) for t in pair("causal")]
    assert judged(student, reference, time_axis=-1) is None
    assert judged([t.transpose(-1, -2) for t in pair("none")], reference, time_axis=-1) is not None


@pytest.mark.parametrize("bad", [None, "x", [1, 2], [[1.0], [1.0, 2.0]], [[float("nan")] * 3, [0.0] * 3]])
def test_garbage_fails_without_raising(bad):
    assert judged(bad, pair("causal")) is not None
