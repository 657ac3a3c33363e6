"""Causal layers: which positions change when later tokens change."""
from __future__ import annotations

from ..values import as_pair
from .registry import register_property

# A causal layer's output at position t may depend on tokens 0..t only. The hidden
# test runs the student's layer twice, on a probe and on the same probe with its later tokens
# changed, and records both outputs. Which positions changed is then judged here: the student's
# pattern of changed positions must be the reference's (a correct causal layer's), so a layer
# that leaks the future (earlier rows change) or ignores its input (nothing changes) fails,
# whatever values the student's weights produce. (A mask that also hides the token itself still
# changes row t through its query: value tests with fixed weights catch that one.)

def _changed_positions(value, time_axis, atol):
    """For value [before, after] (same-shaped arrays), which indices along time_axis differ, else None."""
    import numpy as np
    pair = as_pair(value)
    if pair is None or pair[0][0] != pair[1][0]:
        return None
    shape = pair[0][0]
    if not shape:
        return None
    before = np.asarray(pair[0][1], dtype=float).reshape(shape)
    after = np.asarray(pair[1][1], dtype=float).reshape(shape)
    if not (np.isfinite(before).all() and np.isfinite(after).all()):
        return None
    axis = time_axis % len(shape)
    differs = np.abs(before - after) > atol
    other_axes = tuple(i for i in range(len(shape)) if i != axis)
    return shape, differs.any(axis=other_axes).tolist() if other_axes else differs.tolist()


@register_property("changes_like")
def prop_changes_like(value, reference, time_axis=-2, atol=1e-5, **_):
    """value is [output, output with later tokens changed]: the same positions change as in the reference."""
    found, expected = _changed_positions(value, time_axis, atol), _changed_positions(reference, time_axis, atol)
    return found is not None and expected is not None and found == expected
