"""Bounds on numbers and shapes: at_most, at_least, between, rows_sum_to_one, same_shape."""
from __future__ import annotations

from ..values import is_array, numbers, split_rows, vector_parts
from .registry import register_property


@register_property("at_most")
def prop_at_most(value, reference, bound, **_):
    nums = numbers(value)
    return bool(nums) and all(x <= bound for x in nums)


@register_property("at_least")
def prop_at_least(value, reference, bound, **_):
    nums = numbers(value)
    return bool(nums) and all(x >= bound for x in nums)


@register_property("rows_sum_to_one")
def prop_rows_sum_to_one(value, reference, atol=1e-5, **_):
    if not is_array(value) or not value["shape"]:
        return False
    data = numbers(value)
    rows = split_rows(value["shape"], data)
    return bool(rows) and all(min(r) >= -atol and abs(sum(r) - 1.0) <= atol for r in rows)


@register_property("same_shape")
def prop_same_shape(value, reference, **_):
    return is_array(value) and is_array(reference) and value["shape"] == reference["shape"]


@register_property("between")
def prop_between(value, reference, low, high, ndim=None, **_):
    """Every number lies in [low, high]; with ndim, value must also be an array of that many dimensions."""
    if ndim is not None:
        parts = vector_parts(value)
        if parts is None or len(parts[0]) != ndim:
            return False
    nums = numbers(value)
    return bool(nums) and all(low <= x <= high for x in nums)
