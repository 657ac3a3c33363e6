"""Trained models, judged by their raw predictions on probe data against the reference's targets."""
from __future__ import annotations

import math

from ..values import as_pair, returned, split_rows, vector_parts
from .registry import register_property

# Training results differ a little between correct
# solutions, so a trained model is judged by how well its raw scores predict targets the student cannot
# shape: value is [logits (..., V), targets (...)] as the hidden test recorded it from the student's model
# (03 attention_heatmaps, 04 simple_gpt and char_gpt),
# and reference is the reference run's record of the same probe. Only the student's logits are used; the
# targets come from the reference's record, so editing the data in the student's kernel changes nothing.

def _cross_entropy(logits_part, targets_part) -> float | None:
    """Mean cross-entropy of logits (shape (..., V)) against integer targets (shape (...)), else None."""
    import numpy as np
    (shape_l, logits), (shape_t, targets) = logits_part, targets_part
    if len(shape_l) < 2 or list(shape_l[:-1]) != list(shape_t) or not targets or shape_l[-1] < 1:
        return None
    width = shape_l[-1]
    scores = np.asarray(logits, dtype=float).reshape(-1, width)
    labels = np.asarray(targets, dtype=float).ravel()
    if not (np.isfinite(scores).all() and len(labels) == len(scores)):
        return None
    if not (np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < width):
        return None
    top = scores.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(scores - top).sum(axis=1)) + top[:, 0]
    loss = float(np.mean(log_norm - scores[np.arange(len(labels)), labels.astype(int)]))
    return loss if math.isfinite(loss) else None


def _student_loss(value, reference) -> float | None:
    """The student's logits scored against the reference's targets; None unless shaped like the reference's."""
    found, expected = as_pair(returned(value)), as_pair(returned(reference))
    if found is None or expected is None or found[0][0] != expected[0][0]:
        return None
    return _cross_entropy(found[0], expected[1])


@register_property("cross_entropy_at_most")
def prop_cross_entropy_at_most(value, reference, bound=None, factor=None, slack=0.0, **_):
    """value is [logits, targets]: the cross-entropy of the student's logits against the reference's targets
    is at most `bound`, and at most factor * (the reference's own cross-entropy) + slack (each when given)."""
    if bound is None and factor is None:
        return False
    loss = _student_loss(value, reference)
    if loss is None:
        return False
    if bound is not None and not loss <= float(bound):
        return False
    if factor is not None:
        expected = as_pair(returned(reference))
        reference_loss = _cross_entropy(expected[0], expected[1])
        if reference_loss is None or not loss <= float(factor) * reference_loss + float(slack):
            return False
    return True


# A training run differs between correct solutions (other float rounding, other batches), so its
# result is judged by a bound; but a loss the student's kernel reports about itself can be made up.
# Instead the hidden test calls the trained model on probe inputs it picks and records the raw
# predictions, together with the targets of those probes. The targets used here are always the
# reference's, and so is the bound: the student's exact-match rate against the reference's targets
# may fall short of the reference model's own rate by at most `tolerance`.

def _id_rows(value):
    """(shape, numbers) of a 2-D tagged array of finite numbers, else None."""
    parts = vector_parts(value)
    if parts is None or len(parts[0]) != 2 or not all(math.isfinite(x) for x in parts[1]):
        return None
    return parts


def _exact_match_rate(predicted, targets) -> float | None:
    if predicted is None or targets is None or predicted[0] != targets[0] or not predicted[0][0]:
        return None
    width = targets[0][1]
    rows = split_rows(targets[0], predicted[1]), split_rows(targets[0], targets[1])
    return sum(p == t for p, t in zip(*rows)) / len(rows[0]) if width else None


@register_property("translations_near_reference")
def prop_translations_near_reference(value, reference, tolerance, **_):
    """value is {"predicted": ids (N, T), ...}: its exact-match rate against the reference's "targets" is
    at least the reference's own rate minus tolerance. The student's own "targets" are never read."""
    if not (isinstance(value, dict) and isinstance(reference, dict)):
        return False
    targets = _id_rows(reference.get("targets"))
    expected = _exact_match_rate(_id_rows(reference.get("predicted")), targets)
    found = _exact_match_rate(_id_rows(value.get("predicted")), targets)
    return found is not None and expected is not None and found >= expected - tolerance


@register_property("cross_entropy_between")
def prop_cross_entropy_between(value, reference, low, high, **_):
    """value is [logits, targets]: the cross-entropy of the student's logits against the reference's
    targets lies in [low, high] (a model at initialisation: near ln V, neither trained nor broken)."""
    loss = _student_loss(value, reference)
    return loss is not None and float(low) <= loss <= float(high)
