"""Comparing a student's evidence with the reference's, key by key.

Runs outside every sandbox. How each record is compared (tolerances, or a property) is read from
the reference run's record, never from the student's.
"""
from __future__ import annotations

import math

import numpy as np

from .evidence import Evidence
from .properties import PROPERTIES
from .values import is_array, is_number, safely

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


# Below this length a list of numbers is compared number by number; above it, in one NumPy pass.
VECTOR_MIN = 16
_NUMBERS = frozenset((int, float))


def numbers_close(student: list, reference: list, rtol: float, atol: float) -> bool | None:
    """math.isclose for every pair of two equally long lists of numbers, in one NumPy pass; None
    when the lists are not both plain numbers (bools, None, lists...) or the tolerances are not
    ones math.isclose accepts, and for numbers too large for a float: the caller then compares
    one by one, with math.isclose's own verdict (or error).

    The same rule as math.isclose(s, r, rel_tol=rtol, abs_tol=atol): equal numbers are close
    (inf to inf too); else both must be finite and differ by at most rtol times the larger of
    the two magnitudes, or by at most atol. NaN is close to nothing.
    """
    if not (rtol >= 0 and atol >= 0) or not set(map(type, reference)) <= _NUMBERS \
            or not set(map(type, student)) <= _NUMBERS:
        return None
    try:
        s, r = np.array(student, dtype=np.float64), np.array(reference, dtype=np.float64)
    except OverflowError:
        return None
    with np.errstate(all="ignore"):
        diff = np.abs(s - r)
        within = (diff <= np.abs(rtol * r)) | (diff <= np.abs(rtol * s)) | (diff <= atol)
        return bool(np.all((s == r) | (np.isfinite(s) & np.isfinite(r) & within)))


def values_match(student, reference, rtol: float, atol: float) -> bool:
    """Structural comparison of two plain values; floats within tolerance."""
    if is_number(reference):
        return is_number(student) and math.isclose(student, reference, rel_tol=rtol, abs_tol=atol)
    if reference is None or type(reference) in (bool, str):
        return type(student) is type(reference) and student == reference
    if isinstance(reference, list):
        if not (isinstance(student, list) and len(student) == len(reference)):
            return False
        fast = numbers_close(student, reference, rtol, atol) if len(reference) >= VECTOR_MIN else None
        if fast is not None:
            return fast
        return all(values_match(s, r, rtol, atol) for s, r in zip(student, reference))
    if is_array(reference):
        return (is_array(student) and student.get("shape") == reference.get("shape")
                and values_match(student["__array__"], reference["__array__"], rtol, atol))
    if isinstance(reference, dict):
        if "__unsupported__" in reference:
            return False
        return (isinstance(student, dict) and set(student) == set(reference)
                and all(values_match(student[k], reference[k], rtol, atol) for k in reference))
    return False


def describe(value, limit: int = 120) -> str:
    """A short, safe description of a plain evidence value for a student's feedback."""
    if is_array(value):
        shape = value.get("shape")
        data = value.get("__array__") if isinstance(value.get("__array__"), list) else []
        head = ", ".join(describe(x, 20) for x in data[:4])
        text = f"array of shape {shape if isinstance(shape, list) else '?'} [{head}{', ...' if len(data) > 4 else ''}]"
    elif isinstance(value, dict) and "__unsupported__" in value:
        text = f"an object the grader cannot compare ({str(value['__unsupported__'])[:60]})"
    elif isinstance(value, dict) and set(value) == {"raised"}:
        text = f"raised {str(value['raised'])[:60]}"
    elif isinstance(value, dict) and set(value) == {"returned"}:
        text = f"returned {describe(value['returned'], limit)}"
    elif type(value) is float:
        text = f"{value:.6g}"
    elif isinstance(value, list):
        text = "[" + ", ".join(describe(x, 30) for x in value[:5]) + (", ..." if len(value) > 5 else "") + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{str(k)[:20]}: {describe(v, 30)}" for k, v in list(value.items())[:5]) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _first_difference(student, reference, rtol: float, atol: float) -> str:
    """Where two plain values part, in words: for arrays the shape or the first differing entry."""
    if is_array(reference) and is_array(student):
        if student.get("shape") != reference.get("shape"):
            return f"expected shape {reference.get('shape')}, found shape {student.get('shape')}"
        found, expected = student.get("__array__"), reference["__array__"]
        if isinstance(found, list) and isinstance(expected, list):
            for position, (f, e) in enumerate(zip(found, expected)):
                if not safely(values_match, f, e, rtol, atol):
                    return f"entry {position} (flat): expected {describe(e)}, found {describe(f)}"
    return f"expected {describe(reference)}, found {describe(student)}"


def check_key(key: str, student: Evidence, reference: Evidence) -> str | None:
    """None when the student's evidence for key passes, else a reason safe to show the student.

    The reason names the first failing probe and, for a value comparison, the expected and the
    found value: both belong to this run's probes, which the next run draws anew.
    """
    expected = reference.values[key]
    if key not in student.values:
        return f"{key}: no result was recorded (the cell did not run, or failed before recording)"
    found = student.values[key]
    if len(found) != len(expected):
        return f"{key}: {len(found)} results recorded, {len(expected)} expected"
    # each record is judged by the reference's check for that record, so one key may hold
    # probes with different bounds (a dropout rate, a sequence length) in one loop
    checks = reference.checks.get(key, [])
    if len(checks) != len(expected):
        return f"{key}: the reference has {len(checks)} checks for {len(expected)} results (a test authoring error)"
    bad, unknown, first = 0, set(), None
    for number, (s, r, check) in enumerate(zip(found, expected, checks), 1):
        prop = check.get("property")
        if prop is not None:
            fn = PROPERTIES.get(prop)
            if fn is None:
                unknown.add(prop)
                continue
            params = {k: v for k, v in check.items() if k != "property"}
            failed = not safely(fn, s, r, **params)
            detail = f"found {describe(s)}"
        else:
            rtol = _safe_float(check.get("rtol"), DEFAULT_RTOL)
            atol = _safe_float(check.get("atol"), DEFAULT_ATOL)
            failed = not safely(values_match, s, r, rtol, atol)
            detail = _first_difference(s, r, rtol, atol) if failed else ""
        if failed:
            bad += 1
            if first is None:
                first = f"probe {number} of {len(found)}: {detail}"
    if unknown:
        return f"{key}: unknown property {sorted(unknown)[0]!r} (a test authoring error)"
    if not bad:
        return None
    props = sorted({c["property"] for c in checks if isinstance(c.get("property"), str)})
    what = f"fail the property {props[0]!r}" if props else "differ from the reference"
    return f"{key}: {bad} of {len(found)} results {what}; first, {first}"


def _safe_float(value, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default
