"""The dropout_on_attention_weights property: where dropout acts inside attention, whatever the mask.

The probe is the one the hidden tests of 03 causal_attention and 04 char_gpt build: values one-hot
per key plus a column of ones, so each output row holds a query's weights and their sum. A layer
that drops weights passes with any mask torch draws (per head, in another layout); one that drops
outputs, context vectors or values, drops nothing, or makes its mask up fails.
"""
from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F

from autograder.kernel import evidence
from autograder.trusted import Evidence, check_key

P, TOKENS, HEADS, BATCH = 0.5, 6, 2, 12


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def probe(seed=0, sharpness=1.0):
    """Random scores of HEADS heads and the one-hot-plus-ones values that read the weights out."""
    generator = torch.Generator().manual_seed(seed)
    scores = sharpness * torch.randn(BATCH, HEADS, TOKENS, TOKENS, generator=generator)
    scores = scores.masked_fill(torch.triu(torch.ones(TOKENS, TOKENS), diagonal=1).bool(), -torch.inf)
    values = torch.cat([torch.eye(TOKENS), torch.ones(TOKENS, 1)], dim=-1)   # (T, T + 1), the same per head
    return scores.softmax(dim=-1), values


def attention(weights, values, training, where="weights", p=P):
    """Heads joined along the last axis, dropout (if training) at `where`."""
    drop = (lambda t: F.dropout(t, p, training)) if training else (lambda t: t)
    if where == "weights":
        weights = drop(weights)
    if where == "heads_in_a_loop":   # one dropout call per head: another mask, just as correct
        weights = torch.stack([drop(weights[:, h]) for h in range(HEADS)], dim=1)
    if where == "layout":            # the weights in another memory layout: another mask again
        weights = drop(weights.transpose(1, 2).contiguous().transpose(1, 2))
    if where == "values":
        values = drop(values)
    out = (weights @ values).transpose(1, 2).reshape(BATCH, TOKENS, HEADS * (TOKENS + 1))
    return drop(out) if where == "output" else out


def runs(where, seeds=(11, 11, 12), sharpness=1.0, **kwargs):
    weights, values = probe(sharpness=sharpness)
    out = [attention(weights, values, False, **kwargs)]
    for seed in seeds:
        torch.manual_seed(seed)
        out.append(attention(weights, values, True, where, **kwargs))
    return out


def judged(student_runs, reference_runs=None, p=P, tolerance=0.12):
    reference = Evidence()
    reference.values["k"] = [plain([{"returned": r} for r in (reference_runs or runs("weights"))])]
    reference.checks["k"] = [{"property": "dropout_on_attention_weights", "p": p, "tolerance": tolerance,
                              "rtol": 1e-4, "atol": 1e-5}]
    student = Evidence()
    student.values["k"] = [plain([{"returned": r} for r in student_runs])]
    return check_key("k", student, reference)


@pytest.mark.parametrize("where", ["weights", "heads_in_a_loop", "layout"])
def test_dropped_weights_pass_whatever_the_mask(where):
    assert judged(runs(where, seeds=(3, 3, 4))) is None


def test_the_masks_of_those_variants_differ_from_the_reference():
    """What an exact comparison after seeding would have failed: the same seed, other masks."""
    reference = runs("weights")[1]
    for where in ("heads_in_a_loop", "layout"):
        assert not torch.equal(runs(where)[1], reference)


@pytest.mark.parametrize("where", ["output", "values", "none"])
def test_dropout_elsewhere_or_nowhere_fails(where):
    assert judged(runs(where)) is not None


def test_wrong_rate_or_scale_fails():
    assert judged(runs("weights", p=0.2)) is not None                 # p = 0.2 where 0.5 was asked
    right = runs("weights", p=0.2)
    assert judged(right, right, p=0.2) is None
    over_p = [right[0]] + [r * (1 - 0.2) / 0.2 for r in right[1:]]   # kept weights scaled by 1 / p
    assert judged(over_p, right, p=0.2) is not None


def test_a_made_up_or_unseeded_mask_fails():
    eval_out, *_ = runs("weights")
    weights, values = probe()
    keep = (torch.arange(weights.numel()).reshape(weights.shape) * 2654435761 % 1000) >= 1000 * P
    fixed = attention(weights * keep / (1 - P), values, False)        # right share and scale, no generator
    assert judged([eval_out, fixed, fixed, fixed]) is not None        # the same mask for every seed
    assert judged(runs("weights", seeds=(3, 4, 5))) is not None       # the same seed, another mask


def test_wrong_eval_output_shapes_and_garbage_fail():
    good = runs("weights")
    assert judged([good[0] * 1.01] + good[1:]) is not None
    assert judged(good[:3]) is not None
    assert judged([g[:, :3] for g in good]) is not None
    assert judged([good[0], good[1], good[2], "nonsense"]) is not None
    nan = good[3].clone()
    nan[0, 0, 0] = float("nan")
    assert judged(good[:3] + [nan]) is not None


def test_weights_too_small_to_tell_kept_from_dropped_are_not_judged():
    """Sharp scores leave weights near 1e-6, which float32 cannot tell kept from dropped."""
    sharp = runs("weights", sharpness=12.0)
    assert judged(runs("weights", seeds=(3, 3, 4), sharpness=12.0), sharp) is None
    assert judged(runs("output", sharpness=12.0), sharp) is not None
