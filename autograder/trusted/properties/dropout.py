"""Inverted dropout, judged by what every correct dropout layer does."""
from __future__ import annotations

import math

from ..values import all_close, as_pair, returned, vector_parts
from .registry import register_property

# Dropout masks differ between torch versions and
# between correct solutions, so a dropout layer is judged by what every correct one does: value is
# [x, y], the values before dropout (fixed by the test cell) and after it (from the student's code),
# optionally wrapped as outcome()'s {"returned": ...}. Where x is 0, y stays 0; elsewhere every
# entry is either dropped (0) or kept and scaled by 1 / (1 - p); the share dropped lies within
# `tolerance` of p. The reference fixes the shape.

@register_property("dropout_of")
def prop_dropout_of(value, reference, p, tolerance, rtol=1e-4, atol=1e-6, **_):
    """value is [before, after]: after is inverted dropout with rate p applied to before."""
    found, expected = as_pair(returned(value)), as_pair(returned(reference))
    if found is None or expected is None or not (0.0 <= p < 1.0):
        return False
    (shape_x, before), (shape_y, after) = found
    if not (shape_x == shape_y == expected[0][0] == expected[1][0]):
        return False
    scale = 1.0 / (1.0 - p)
    candidates = dropped = 0
    for x, y in zip(before, after):
        if not (math.isfinite(x) and math.isfinite(y)):
            return False
        if x == 0.0:
            if abs(y) > atol:
                return False
            continue
        candidates += 1
        if abs(y) <= atol:
            dropped += 1
        elif abs(y - x * scale) > atol + rtol * abs(x * scale):
            return False
    return candidates > 0 and abs(dropped / candidates - p) <= tolerance


# Where dropout acts inside attention. A probe whose values read the weights out makes the place
# visible without fixing the mask: token j's value is one-hot at j followed by a 1 (per head, with
# an identity out_proj), so each output row holds one query's weights over the keys and then their
# sum. Dropping a weight zeroes it and removes it from the sum; dropping an output entry (or a
# context vector, or a value) zeroes entries independently of the sum. The mask itself is free (a
# per-head loop, another memory layout or another order of draws is as correct as the reference's),
# but it must come from torch's generator: the same seed gives the same output and another seed
# another mask, which a made-up deterministic mask cannot do.

def _readout_rows(shape, data):
    """(weights, sum) of every head of every output row: T weights and then their sum per head."""
    tokens, width = shape[-2], shape[-1]
    return [(data[start + head:start + head + tokens], data[start + head + tokens])
            for start in range(0, len(data), width) for head in range(0, width, tokens + 1)]


def _dropped_weights(undropped, after, p, rtol, atol):
    """The set of dropped (row, key) positions of `after`, or None when it is no inverted dropout of
    `undropped` (an entry neither 0 nor scaled by 1 / (1 - p), or a sum that is not its row's)."""
    scale = 1.0 / (1.0 - p)
    dropped, candidates = set(), 0
    for r, ((weights, _), (kept, total)) in enumerate(zip(undropped, after)):
        if not (math.isfinite(total) and math.isclose(total, math.fsum(kept), rel_tol=rtol, abs_tol=atol)):
            return None
        for j, (w, y) in enumerate(zip(weights, kept)):
            if not math.isfinite(y):
                return None
            if abs(w) <= 10 * atol:   # masked, or too small to tell kept from dropped: stays tiny
                if abs(y) > abs(w) * scale + atol:
                    return None
                continue
            candidates += 1
            if abs(y) <= atol:
                dropped.add((r, j))
            elif not math.isclose(y, w * scale, rel_tol=rtol, abs_tol=atol):
                return None
    return dropped, candidates


@register_property("dropout_on_attention_weights")
def prop_dropout_on_attention_weights(value, reference, p, tolerance, rtol=1e-4, atol=1e-5, **_):
    """value is [eval output, train output with seed a, again with seed a, train output with seed b]
    on the read-out probe: the eval output is the reference's, every train output is inverted
    dropout with rate p of the eval weights (each row's sum following), the share dropped within
    `tolerance` of p, the same seed repeats the mask and the other seed changes it."""
    found = [vector_parts(returned(v)) for v in value] if isinstance(value, list) else []
    expected = vector_parts(returned(reference[0])) if isinstance(reference, list) and reference else None
    if len(found) != 4 or None in found or expected is None or not (0.0 < p < 1.0):
        return False
    shape = expected[0]
    if len(shape) < 2 or shape[-2] < 1 or shape[-1] % (shape[-2] + 1) or any(f[0] != shape for f in found):
        return False
    if not all_close(found[0][1], expected[1], rtol, atol):
        return False
    undropped = _readout_rows(shape, found[0][1])
    masks = []
    for _, data in found[1:]:
        judged = _dropped_weights(undropped, _readout_rows(shape, data), p, rtol, atol)
        if judged is None or not judged[1] or abs(len(judged[0]) / judged[1] - p) > tolerance:
            return False
        masks.append(judged[0])
    return all_close(found[2][1], found[1][1], rtol, atol) and masks[0] != masks[2]
