"""One step of a chain of cells, judged on the student's own inputs to it."""
from __future__ import annotations

import math

from ..values import all_close, split_rows, tensor_parts
from .registry import register_property

# A notebook that computes scores, then weights,
# then context vectors in separate cells would lose every later cell to one early mistake if
# each were compared with the reference's value. These properties judge one step on the
# student's own inputs to it: value is [inputs..., output] as the student's kernel recorded it,
# and the reference's record fixes the shapes every part must have (and the tolerance).


def _step_parts(value, reference, count):
    """The student's `count` parts, each shaped like the reference's part, else None."""
    if not (isinstance(value, list) and isinstance(reference, list)
            and len(value) == count and len(reference) == count):
        return None
    parts = [tensor_parts(v) for v in value]
    expected = [tensor_parts(r) for r in reference]
    if None in parts or None in expected:
        return None
    if any(p[0] != e[0] for p, e in zip(parts, expected)):
        return None
    return parts


def _matmul(a, b):
    """(shape, numbers) of a @ b with torch.matmul's rules for 1-D and 2-D operands, else None."""
    (shape_a, data_a), (shape_b, data_b) = a, b
    if not shape_a or not shape_b:
        return None
    m, n = (1, shape_a[0]) if len(shape_a) == 1 else shape_a
    n_b, p = (shape_b[0], 1) if len(shape_b) == 1 else shape_b
    if n != n_b:
        return None
    data = [math.fsum(data_a[i * n + k] * data_b[k * p + j] for k in range(n)) for i in range(m) for j in range(p)]
    shape = ([m] if len(shape_a) == 2 else []) + ([p] if len(shape_b) == 2 else [])
    return shape, data


@register_property("matmul_of")
def prop_matmul_of(value, reference, rtol=1e-5, atol=1e-6, **_):
    """value is [a, b, c], each shaped like the reference's: c equals a @ b (1-D or 2-D, torch.matmul rules)."""
    parts = _step_parts(value, reference, 3)
    if parts is None:
        return False
    product = _matmul(parts[0], parts[1])
    return product is not None and product[0] == parts[2][0] and all_close(parts[2][1], product[1], rtol, atol)


def _softmax(row, scale):
    scaled = [x / scale for x in row]
    top = max(scaled)
    exps = [math.exp(x - top) for x in scaled]
    total = math.fsum(exps)
    return [e / total for e in exps]


@register_property("softmax_of")
def prop_softmax_of(value, reference, scale=1.0, rtol=1e-5, atol=1e-6, **_):
    """value is [scores, weights], shaped like the reference's: weights = softmax(scores / scale)
    along the last axis."""
    parts = _step_parts(value, reference, 2)
    if parts is None or not parts[0][0] or not parts[0][1]:
        return False
    (shape, scores), (_, weights) = parts
    if not all(math.isfinite(x) for x in scores):
        return False
    expected = [w for row in split_rows(shape, scores) for w in _softmax(row, float(scale))]
    return all_close(weights, expected, rtol, atol)


@register_property("normalized_by_sum")
def prop_normalized_by_sum(value, reference, rtol=1e-5, atol=1e-6, **_):
    """value is [x, y], shaped like the reference's: y = x / (sum of x) along the last axis."""
    parts = _step_parts(value, reference, 2)
    if parts is None or not parts[0][0] or not parts[0][1]:
        return False
    (shape, x), (_, y) = parts
    expected = []
    for row in split_rows(shape, x):
        total = math.fsum(row)
        if not math.isfinite(total) or total == 0:
            return False
        expected += [v / total for v in row]
    return all_close(y, expected, rtol, atol)
