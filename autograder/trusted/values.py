"""Plain evidence values as the trusted side sees them: numbers, tagged arrays, lists.

Every value here came out of a sandbox as JSON (autograder/kernel/evidence.py tags arrays as
{"__array__": [...], "shape": [...]}). The helpers accept only well-formed data and never raise;
anything else becomes None or NaN, which no check passes.
"""
from __future__ import annotations

import math


def is_number(x) -> bool:
    return type(x) in (int, float)


def is_array(x):
    return isinstance(x, dict) and "__array__" in x


def vector_parts(value):
    """(shape, numbers) of a tagged array or a flat list of numbers, else None; non-numbers become NaN."""
    if isinstance(value, list):
        if not all(is_number(x) for x in value):
            return None
        return [len(value)], [float(x) for x in value]
    if not is_array(value):
        return None
    shape, data = value.get("shape"), value["__array__"]
    if not (isinstance(shape, list) and isinstance(data, list)
            and all(type(n) is int and n >= 0 for n in shape) and math.prod(shape) == len(data)):
        return None
    return shape, [float(x) if is_number(x) else math.nan for x in data]


def numbers(value, depth=0) -> list[float]:
    """Every number in a number, array or nested list; NaN for anything else."""
    if is_number(value):
        return [float(value)]
    parts = vector_parts(value)
    if parts is not None:
        return parts[1]
    if isinstance(value, list) and depth < 20:
        return [x for v in value for x in numbers(v, depth + 1)]
    return [math.nan]


def as_pair(value):
    if not (isinstance(value, list) and len(value) == 2):
        return None
    parts = [vector_parts(v) for v in value]
    return None if None in parts else parts


def tensor_parts(value):
    """(shape, numbers) of a number (shape []) or a tagged array / flat list of at most 2 dimensions."""
    if is_number(value):
        return [], [float(value)]
    parts = vector_parts(value)
    if parts is None or len(parts[0]) > 2:
        return None
    return parts


def all_close(found, expected, rtol, atol) -> bool:
    return len(found) == len(expected) and all(
        math.isfinite(f) and math.isfinite(e) and math.isclose(f, e, rel_tol=rtol, abs_tol=atol)
        for f, e in zip(found, expected))


def split_rows(shape, data):
    """The slices along the last axis of a 1-D or 2-D array."""
    width = shape[-1] if shape else 1
    return [data[i:i + width] for i in range(0, len(data), width)] if width else []


def returned(value):
    """The value inside outcome()'s {"returned": value}; anything else as it is."""
    if isinstance(value, dict) and set(value) == {"returned"}:
        return value["returned"]
    return value


def safely(check, *args, **kwargs) -> bool:
    """A check on student data that breaks on malformed input is a failed check, never a crash."""
    try:
        return bool(check(*args, **kwargs))
    except Exception:  # the evidence is untrusted: any shape of garbage may arrive
        return False
