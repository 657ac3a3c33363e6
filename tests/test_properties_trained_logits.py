"""cross_entropy_at_most and cross_entropy_between with bounds: trained models judged by raw
logits against the reference's targets."""
from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F

from autograder.kernel import evidence
from autograder.trusted import PROPERTIES, Evidence, check_key


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def judged(student_value, reference_value, prop="cross_entropy_at_most", **params):
    reference = Evidence()
    reference.values["k"] = [plain(reference_value)]
    reference.checks["k"] = [{"property": prop, **params}]
    student = Evidence()
    student.values["k"] = [plain(student_value)]
    return check_key("k", student, reference)


def probe(vocab=7, batch=3, time=5, seed=0):
    """Targets, logits that predict them well, and the loss of those logits."""
    g = torch.Generator().manual_seed(seed)
    targets = torch.randint(0, vocab, (batch, time), generator=g)
    logits = torch.randn(batch, time, vocab, generator=g) + 4.0 * F.one_hot(targets, vocab)
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1)).item()
    return logits, targets, loss


def test_the_loss_is_computed_like_torch():
    logits, targets, loss = probe()
    assert judged([logits, targets], [logits, targets], bound=loss + 1e-6) is None
    assert judged([logits, targets], [logits, targets], bound=loss - 1e-3) is not None
    assert judged([logits, targets], [logits, targets], "cross_entropy_between",
                  low=loss - 1e-6, high=loss + 1e-6) is None


def test_a_good_model_passes_and_a_bad_one_fails():
    logits, targets, _ = probe()
    reference = [logits, targets]
    assert judged([logits + 0.01 * torch.randn_like(logits), targets], reference, bound=1.0) is None
    uniform = torch.zeros_like(logits)   # loss ln 7 = 1.95
    assert judged([uniform, targets], reference, bound=1.0) is not None
    assert judged([uniform, targets], reference, "cross_entropy_between", low=1.9, high=2.0) is None


def test_the_students_targets_are_ignored():
    logits, targets, _ = probe()
    other, _, _ = probe(seed=1)
    # made-up logits with targets made up to match them: judged against the reference's targets
    fake_targets = other.argmax(-1)
    assert judged([other * 10, fake_targets], [logits, targets], bound=1.0) is not None


@pytest.mark.parametrize("fabricated", [
    "constant logits",
    "one-hot on a made-up series",
    "wrong shape",
    "a reported loss number",
    "a list of numbers",
    "non-finite logits",
    "garbage",
])
def test_fabricated_values_fail(fabricated):
    logits, targets, _ = probe()
    reference = [logits, targets]
    value = {
        "constant logits": [torch.full_like(logits, 3.0), targets],
        "one-hot on a made-up series": [10.0 * F.one_hot(torch.arange(15).reshape(3, 5) % 7, 7).float(), targets],
        "wrong shape": [logits[:, :4], targets[:, :4]],
        "a reported loss number": 0.01,
        "a list of numbers": [0.01, 0.02],
        "non-finite logits": [logits.masked_fill(targets.unsqueeze(-1) == 0, float("nan")), targets],
        "garbage": {"__unsupported__": "x"},
    }[fabricated]
    assert judged(value, reference, bound=1.0) is not None
    assert judged(value, reference, "cross_entropy_between", low=0.0, high=1.0) is not None


def test_outcome_wrapping_and_malformed_references_never_raise():
    logits, targets, loss = probe()
    assert judged({"returned": [logits, targets]}, {"returned": [logits, targets]}, bound=loss + 1e-6) is None
    assert judged({"raised": "ValueError"}, [logits, targets], bound=10.0) is not None
    bad_targets = torch.full_like(targets, 9)   # outside the vocabulary of 7
    assert judged([logits, targets], [logits, bad_targets], bound=100.0) is not None
    for garbage in (None, "x", [1, 2, 3], [[1], [2]], {"a": 1}):
        for prop in ("cross_entropy_at_most", "cross_entropy_between"):
            fn = PROPERTIES[prop]
            try:
                fn(plain(garbage), plain([logits, targets]), bound=1.0, low=0.0, high=1.0)
                fn(plain([logits, targets]), plain(garbage), bound=1.0, low=0.0, high=1.0)
            except Exception as err:   # the _safely wrapper would hide it; the property itself should not raise
                pytest.fail(f"{prop} raised {err!r} on {garbage!r}")


def test_infinite_loss_fails():
    logits, targets, _ = probe()
    minus_inf = logits.masked_fill(F.one_hot(targets, 7).bool(), -1e30)
    assert judged([minus_inf, targets], [logits, targets], bound=1.0) is not None
