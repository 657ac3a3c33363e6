"""The coordinator's fast paths give the verdicts of the plain code they replace.

`values_match` compares long lists of numbers in one NumPy pass (compare.numbers_close), and
`depth_ok` passes over lists of scalars by the types they hold. Both run on every record a
sandbox hands back, so they must agree with the element-by-element definitions below, which are
the rules as first written, on any JSON a student's code can produce: NaN, infinities, -0.0,
integers too large for a float, bools among numbers, nested lists, tolerances of every size.
The check of a submission's nbgrader metadata compiles nbgrader's schema once
(gradebook.CheckCellMetadataOnce): it must refuse what nbgrader's CheckCellMetadata refuses.
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbgrader.preprocessors import CheckCellMetadata

from autograder.grading.gradebook import CheckCellMetadataOnce
from autograder.trusted.compare import VECTOR_MIN, numbers_close, values_match
from autograder.trusted.hostile import Untrusted, depth_ok, loads_bounded
from autograder.trusted.values import is_array, is_number, safely


def plain_values_match(student, reference, rtol, atol) -> bool:
    """The comparison number by number: the rule values_match must keep."""
    if is_number(reference):
        return is_number(student) and math.isclose(student, reference, rel_tol=rtol, abs_tol=atol)
    if reference is None or type(reference) in (bool, str):
        return type(student) is type(reference) and student == reference
    if isinstance(reference, list):
        return (isinstance(student, list) and len(student) == len(reference)
                and all(plain_values_match(s, r, rtol, atol) for s, r in zip(student, reference)))
    if is_array(reference):
        return (is_array(student) and student.get("shape") == reference.get("shape")
                and plain_values_match(student["__array__"], reference["__array__"], rtol, atol))
    if isinstance(reference, dict):
        if "__unsupported__" in reference:
            return False
        return (isinstance(student, dict) and set(student) == set(reference)
                and all(plain_values_match(student[k], reference[k], rtol, atol) for k in reference))
    return False


def plain_depth_ok(value, limit) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth >= limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0, 1.0 + 1e-7, 1e308, 5e-324])
numbers = floats | st.integers(-10, 10) | st.sampled_from([2**53 + 1, 10**20, 10**400, -10**400, True, False])
tolerances = st.sampled_from([0.0, 1e-12, 1e-6, 1e-3, 0.5, 1e300])


def near(values: list, draw_noise: list) -> list:
    """A copy of values with some entries nudged: most comparisons should be close calls."""
    out = []
    for value, noise in zip(values, draw_noise):
        if type(value) is float and math.isfinite(value) and noise:
            out.append(value * (1 + noise) + noise * 1e-9)
        else:
            out.append(value)
    return out


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_long_number_lists_get_the_verdict_of_the_number_by_number_rule(data):
    length = data.draw(st.integers(VECTOR_MIN, 3 * VECTOR_MIN))
    reference = data.draw(st.lists(numbers, min_size=length, max_size=length))
    noise = data.draw(st.lists(st.sampled_from([0.0, 0.0, 1e-13, -1e-8, 1e-7, 1e-4, 0.3, 0.8, -0.45]),
                               min_size=length, max_size=length))
    student = data.draw(st.sampled_from(["copy", "near", "one_off", "one_off", "one_off", "fresh"]))
    if student == "copy":
        student = list(reference)
    elif student == "one_off":   # the verdict hangs on one entry: every term of the rule matters
        where = data.draw(st.integers(0, length - 1))
        student = list(reference)
        student[where] = data.draw(numbers | st.just(near([reference[where]], [noise[where] or 0.8])[0]))
    elif student == "near":
        student = near(reference, noise)
    else:
        student = data.draw(st.lists(numbers, min_size=length, max_size=length))
    rtol, atol = data.draw(tolerances), data.draw(tolerances)
    expected = safely(plain_values_match, student, reference, rtol, atol)
    assert safely(values_match, student, reference, rtol, atol) == expected
    tagged = {"__array__": student, "shape": [length]}, {"__array__": reference, "shape": [length]}
    assert safely(values_match, *tagged, rtol, atol) == expected


def test_the_fast_path_declines_what_it_cannot_decide_alike():
    long = [1.0] * VECTOR_MIN
    assert numbers_close(long[:-1] + [True], long, 1e-6, 0.0) is None     # a bool is not a number here
    assert numbers_close(long[:-1] + [None], long, 1e-6, 0.0) is None
    assert numbers_close(long[:-1] + [10**400], long, 1e-6, 0.0) is None  # too large: math.isclose decides
    assert numbers_close(long, long, -1.0, 0.0) is None                   # a tolerance math.isclose refuses
    assert numbers_close(long[:-1] + [math.nan], long[:-1] + [math.nan], 1.0, 1.0) is False
    assert numbers_close(long[:-1] + [math.inf], long[:-1] + [math.inf], 0.0, 0.0) is True
    assert numbers_close(long[:-1] + [math.inf], long[:-1] + [1e308], 1e300, 1e300) is False
    # the larger magnitude sets the allowance, whichever side it is on (as in math.isclose)
    assert numbers_close(long[:-1] + [1.8], long[:-1] + [1.0], 0.5, 0.0) is True
    assert numbers_close(long[:-1] + [1.0], long[:-1] + [1.8], 0.5, 0.0) is True
    assert numbers_close(long[:-1] + [2.1], long[:-1] + [1.0], 0.5, 0.0) is False
    assert numbers_close(long[:-1] + [1.5], long[:-1] + [1.0], 0.0, 0.5) is True    # a difference of exactly atol
    assert numbers_close(long[:-1] + [-0.0], long[:-1] + [0.0], 0.0, 0.0) is True


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=2), children, max_size=4),
    max_leaves=60)


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(0, 8))
def test_depth_ok_agrees_with_the_walk_over_every_element(value, limit):
    assert depth_ok(value, limit) == plain_depth_ok(value, limit)


def test_deep_json_is_refused_and_long_flat_arrays_pass_quickly():
    deep = "[" * 100_000 + "]" * 100_000
    try:
        loads_bounded(deep)
    except Untrusted:
        pass
    else:
        raise AssertionError("100,000 levels of nesting were accepted")
    wide = json.dumps({"__array__": [0.5] * 200_000, "shape": [200_000]})
    assert loads_bounded(wide)["shape"] == [200_000]
    assert not depth_ok([[[[]]]], 3) and depth_ok([[[]]], 3)


RELEASE = Path(__file__).resolve().parents[1] / "release" / "en" / "01_probability" / "probability.ipynb"


def broken_metadata():
    """(name, change to one graded cell's nbgrader metadata) for every way we know to break it."""
    return [
        ("as released", lambda meta: None),
        ("points a string", lambda meta: meta.update(points="3")),
        ("grade not a bool", lambda meta: meta.update(grade=1)),
        ("no grade id", lambda meta: meta.pop("grade_id")),
        ("empty grade id", lambda meta: meta.update(grade_id="")),
        ("no points", lambda meta: meta.pop("points")),
        ("an unknown key", lambda meta: meta.update(hidden_answer=1)),
        ("old schema", lambda meta: meta.update(schema_version=2)),
        ("newer schema", lambda meta: meta.update(schema_version=4)),
        ("no schema version", lambda meta: meta.pop("schema_version")),
        ("metadata a list", "list"),
        ("a second cell with its grade id", "duplicate"),
    ]


def verdict(preprocessor, nb):
    try:
        preprocessor().preprocess(copy.deepcopy(nb), {})
    except Exception as err:   # the kind of refusal is what must agree
        return type(err).__name__
    return "accepted"


@pytest.mark.parametrize("name, change", broken_metadata(), ids=[n for n, _ in broken_metadata()])
def test_the_metadata_check_refuses_what_nbgraders_refuses(name, change):
    nb = nbformat.read(RELEASE, as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    if change == "list":
        graded[0].metadata["nbgrader"] = ["grade"]
    elif change == "duplicate":
        graded[1].metadata["nbgrader"]["grade_id"] = graded[0].metadata["nbgrader"]["grade_id"]
    else:
        change(graded[0].metadata["nbgrader"])
    ours, theirs = verdict(CheckCellMetadataOnce, nb), verdict(CheckCellMetadata, nb)
    assert ours == theirs
    assert (ours == "accepted") == (name == "as released")
