"""Gradients checked against central differences of the student's own function."""
from __future__ import annotations

import math

from ..values import is_number, returned
from .registry import register_property


@register_property("central_difference")
def prop_central_difference(value, reference, eps, rtol=1e-2, atol=1e-3, **_):
    """value is {"grad": [...], "plus": [...], "minus": [...]}, optionally wrapped as outcome()'s {"returned": ...}.

    grad[i] is an autograd gradient entry of the student's loss, plus[i] and minus[i] the student's
    loss with that weight moved by +eps and -eps: each gradient must agree with the central
    difference (plus - minus) / (2 eps) of the student's own function. The reference fixes how
    many entries there are.
    """
    def unwrap(v):
        v = returned(v)
        if not (isinstance(v, dict) and all(isinstance(v.get(k), list) for k in ("grad", "plus", "minus"))):
            return None
        return v

    found, expected = unwrap(value), unwrap(reference)
    if found is None or expected is None:
        return False
    count = len(expected["grad"])
    columns = [found[k] for k in ("grad", "plus", "minus")]
    if count == 0 or any(len(c) != count or not all(is_number(x) for x in c) for c in columns):
        return False
    for grad, plus, minus in zip(*columns):
        difference = (plus - minus) / (2 * eps)
        if not (math.isfinite(grad) and math.isfinite(difference)
                and abs(grad - difference) <= atol + rtol * abs(difference)):
            return False
    return True


# central_difference judges a gradient on the student's own function, which a function built for
# the purpose passes trivially: one whose loss does not depend on a weight has gradient 0 and equal
# losses at +-eps. This variant also asks that the student's loss move wherever the reference's
# (a correct solution's) clearly does: every probed entry whose reference central difference is
# larger than atol must have a student central difference larger than `floor`. A wrong but real
# forward pass (another scale, the softmax over the other axis) still moves the loss through every
# weight, if sometimes by little (a saturated softmax: down to 1e-5 of the reference's movement), so
# the floor is absolute and far below that, and far above float64 rounding (about 1e-12 here); a
# weight multiplied by 0, detached or left out moves nothing.

@register_property("central_difference_live")
def prop_central_difference_live(value, reference, eps, rtol=1e-2, atol=1e-3, floor=1e-10, **_):
    """central_difference, and each weight the reference's loss depends on moves the student's loss too."""
    if not prop_central_difference(value, reference, eps, rtol=rtol, atol=atol):
        return False
    found, expected = returned(value), returned(reference)
    if not all(is_number(x) for k in ("plus", "minus") for x in expected[k]):
        return False
    for plus, minus, ref_plus, ref_minus in zip(found["plus"], found["minus"], expected["plus"], expected["minus"]):
        moved, ref_moved = abs(plus - minus) / (2 * eps), abs(ref_plus - ref_minus) / (2 * eps)
        if not math.isfinite(ref_moved):
            return False
        if ref_moved > atol and not moved > floor:
            return False
    return True
