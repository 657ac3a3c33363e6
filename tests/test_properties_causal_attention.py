"""The dropout_of property (03 causal_attention): dropout judged by its properties, not its mask."""
from __future__ import annotations

import json

import torch

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, **params):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": "dropout_of", **params}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    return check_key("k", student, reference)


def weights(size=40):
    """Causal uniform weights: row t spreads 1 / (t + 1) over tokens 0..t, zeros above the diagonal."""
    rows = torch.arange(size).float().unsqueeze(1) + 1
    return torch.tril(torch.ones(size, size)) / rows


def dropped(x, p, seed, scale=None):
    generator = torch.Generator().manual_seed(seed)
    keep = torch.rand(x.shape, generator=generator) >= p
    return x * keep * (1.0 / (1.0 - p) if scale is None else scale)


def test_inverted_dropout_passes_for_any_mask():
    x = weights()
    reference = [x, torch.nn.functional.dropout(x, 0.2, training=True)]
    for seed in range(3):
        assert judged([x, dropped(x, 0.2, seed)], reference, p=0.2, tolerance=0.05) is None


def test_scaling_by_one_over_p_fails():
    x = weights()
    reference = [x, dropped(x, 0.2, 0)]
    assert judged([x, dropped(x, 0.2, 1, scale=1 / 0.2)], reference, p=0.2, tolerance=0.05) is not None


def test_no_dropout_fails_and_everything_dropped_fails():
    x = weights()
    reference = [x, dropped(x, 0.5, 0)]
    assert judged([x, x * 2.0], reference, p=0.5, tolerance=0.05) is not None
    assert judged([x, x * 0.0], reference, p=0.5, tolerance=0.05) is not None


def test_wrong_rate_fails():
    x = weights()
    reference = [x, dropped(x, 0.5, 0)]
    assert judged([x, dropped(x, 0.2, 1, scale=2.0)], reference, p=0.5, tolerance=0.05) is not None


def test_leak_into_masked_positions_fails():
    x = weights()
    y = dropped(x, 0.5, 0)
    y[0, -1] = 0.3  # a future position that must stay zero
    assert judged([x, y], [x, dropped(x, 0.5, 1)], p=0.5, tolerance=0.05) is not None


def test_outcome_wrapping_shapes_and_garbage():
    x = weights(10)
    reference = {"returned": [x, dropped(x, 0.5, 0)]}
    assert judged({"returned": [x, dropped(x, 0.5, 2)]}, reference, p=0.5, tolerance=0.2) is None
    assert judged({"raised": "RuntimeError"}, reference, p=0.5, tolerance=0.2) is not None
    assert judged([x[:5], dropped(x[:5], 0.5, 2)], reference, p=0.5, tolerance=0.2) is not None
    assert judged("nonsense", reference, p=0.5, tolerance=0.2) is not None
    nan = dropped(x, 0.5, 2)
    nan[3, 0] = float("nan")
    assert judged([x, nan], reference, p=0.5, tolerance=0.2) is not None
