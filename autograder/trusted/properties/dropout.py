"""Inverted dropout, judged by what every correct dropout layer does."""
from __future__ import annotations

import math

from ..values import as_pair, returned
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
