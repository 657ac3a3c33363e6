"""The evidence protocol: what the kernel may record, and how the trusted side judges it."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from autograder.kernel import evidence
from autograder.trusted import build_reference, check_key, kernel_verdicts, parse_evidence, score, values_match


class AlwaysEqual(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Sneaky:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.7467


def plain(value):
    return json.loads(json.dumps(evidence.to_plain(value)))


def test_plain_values_round_trip():
    assert plain(0.25) == 0.25 and plain(3) == 3 and plain(True) is True and plain("x") == "x"
    assert plain([1, (2.5, None)]) == [1, [2.5, None]]
    assert plain(np.float64(0.5)) == 0.5 and plain(np.int64(4)) == 4
    arr = plain(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert arr["shape"] == [2, 3] and arr["__array__"] == [0, 1, 2, 3, 4, 5]
    t = plain(torch.ones(2, 2, requires_grad=True))
    assert t["shape"] == [2, 2] and t["__array__"] == [1.0] * 4
    assert plain(float("nan")) == {"__float__": "nan"}


@pytest.mark.parametrize("cheat", [AlwaysEqual(1), Sneaky(), object(), {1, 2}])
def test_objects_that_lie_are_never_evidence(cheat):
    recorded = plain(cheat)
    assert isinstance(recorded, dict) and "__unsupported__" in recorded
    assert not values_match(recorded, 1, 1e-6, 1e-9)
    assert not values_match(recorded, 0.7467, 1e-6, 1e-9)


def test_outcome_names_the_builtin_exception():
    class MyError(ValueError):
        pass

    def bad():
        raise MyError("no")

    assert evidence.outcome(bad) == {"raised": "ValueError"}
    assert evidence.outcome(lambda: 4) == {"returned": 4}


def test_probe_seed_depends_on_the_secret_and_the_name(monkeypatch):
    monkeypatch.delenv(evidence.PROBE_SEED_ENV, raising=False)
    default = evidence.probe_seed("chain_rule")
    assert default == evidence.probe_seed("chain_rule")
    assert default != evidence.probe_seed("bayes")
    monkeypatch.setenv(evidence.PROBE_SEED_ENV, "secret-1")
    assert evidence.probe_seed("chain_rule") != default


def test_record_writes_only_while_grading(tmp_path, monkeypatch):
    path = tmp_path / "ev.jsonl"
    monkeypatch.delenv(evidence.EVIDENCE_FILE_ENV, raising=False)
    evidence.record("k", 1)
    assert not path.exists()
    monkeypatch.setenv(evidence.EVIDENCE_FILE_ENV, str(path))
    evidence.record("k", 1)
    evidence.record("k", np.array([0.5, 0.5]), property="rows_sum_to_one")
    ev = parse_evidence(path.read_bytes())
    assert ev.values["k"][0] == 1 and ev.checks["k"] == [{}, {"property": "rows_sum_to_one"}]


def ev(*records):
    return parse_evidence("".join(json.dumps({"key": k, "value": v, "check": c}) + "\n"
                                  for k, v, c in records).encode())


def test_check_key_compares_with_reference_tolerance():
    ref = ev(("p", 0.7466666, {"rtol": 1e-4}))
    assert check_key("p", ev(("p", 0.74667, {})), ref) is None
    assert "differ" in check_key("p", ev(("p", 0.75, {})), ref)
    assert "no result" in check_key("p", ev(), ref)
    assert "1 results recorded, 2 expected" in check_key("p", ev(("p", 0.7466666, {})),
                                                         ev(("p", 1.0, {}), ("p", 2.0, {})))


def test_student_cannot_loosen_the_check():
    ref = ev(("p", 0.7467, {}))
    student = ev(("p", 0.5, {"rtol": 10, "property": "at_most", "bound": 1}))
    assert "differ" in check_key("p", student, ref)


def test_reasons_name_the_probe_and_both_values():
    # the grader draws new probes every run, so this run's expected values are safe to show
    reason = check_key("p", ev(("p", 0.5, {}), ("p", 0.1, {})), ev(("p", 0.5, {}), ("p", 0.746666, {})))
    assert "1 of 2" in reason and "probe 2 of 2" in reason
    assert "expected 0.746666" in reason and "found 0.1" in reason


def test_reasons_for_arrays_name_the_first_differing_entry():
    ref = {"__array__": [1.0, 2.0, 3.0, 4.0], "shape": [2, 2], "dtype": "f"}
    wrong = {"__array__": [1.0, 2.0, 3.5, 4.0], "shape": [2, 2], "dtype": "f"}
    assert "entry 2" in check_key("a", ev(("a", wrong, {})), ev(("a", ref, {})))
    flat = {"__array__": [1.0, 2.0, 3.0, 4.0], "shape": [4], "dtype": "f"}
    assert "expected shape [2, 2], found shape [4]" in check_key("a", ev(("a", flat, {})), ev(("a", ref, {})))


def test_reasons_stay_short_whatever_the_student_recorded():
    huge = ["x" * 10_000] * 1000
    reason = check_key("k", ev(("k", huge, {})), ev(("k", [1], {})))
    assert len(reason) < 600


@pytest.mark.parametrize("prop, value, params, ok", [
    ("rows_sum_to_one", {"__array__": [0.2, 0.8, 0.5, 0.5], "shape": [2, 2]}, {}, True),
    ("rows_sum_to_one", {"__array__": [0.2, 0.9, 0.5, 0.5], "shape": [2, 2]}, {}, False),
    ("rows_sum_to_one", {"__array__": [1.5, -0.5], "shape": [1, 2]}, {}, False),
    ("at_most", 1.9, {"bound": 2.0}, True),
    ("at_most", 2.1, {"bound": 2.0}, False),
    ("at_most", {"__unsupported__": "x"}, {"bound": 2.0}, False),
    ("at_least", 0.5, {"bound": 0.9}, False),
])
def test_properties_are_computed_from_raw_values(prop, value, params, ok):
    ref = ev(("k", 0, {"property": prop, **params}))
    assert (check_key("k", ev(("k", value, {})), ref) is None) is ok


def test_arrays_compare_by_shape_and_values():
    a = {"__array__": [1.0, 2.0], "shape": [2]}
    assert values_match(a, a, 1e-6, 1e-9)
    assert not values_match({"__array__": [1.0, 2.0], "shape": [1, 2]}, a, 1e-6, 1e-9)
    assert not values_match({"__array__": [1.0, 2.1], "shape": [2]}, a, 1e-6, 1e-9)
    assert not values_match(True, 1, 1e-6, 1e-9)  # a bool is not the number 1


def _test_cell(gid, points=2, source="assert True"):
    import nbformat
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": points, "grade_id": gid,
        "schema_version": 3}})


def test_reference_attributes_keys_to_cells_and_missing_evidence_scores_zero():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         _test_cell("test_a"), _test_cell("test_b", 3)])
    lines = [json.dumps({"key": "a", "value": 1.0, "check": {}}) + "\n",
             json.dumps({"key": "b", "value": 2.0, "check": {}}) + "\n"]
    data = "".join(lines).encode()
    cut = len(lines[0].encode())
    status = {"finished": True, "cells": [
        {"index": 0, "status": "ok", "evidence_start": 0, "evidence_end": 0},
        {"index": 1, "status": "ok", "evidence_start": 0, "evidence_end": cut},
        {"index": 2, "status": "ok", "evidence_start": cut, "evidence_end": len(data)}]}
    ref = build_reference(nb, status, data)
    assert ref.cell_keys == {"test_a": ["a"], "test_b": ["b"]} and not ref.problems
    # the student's kernel passed both cells, but only "a" was recorded: b scores zero, flagged
    student = parse_evidence(lines[0].encode())
    verdicts = score(ref, student, kernel_verdicts(nb, status))
    assert verdicts["test_a"].score == 2 and verdicts["test_b"].score == 0
    assert any("needs review" in f for f in verdicts["test_b"].flags)
    assert verdicts["test_a"].flags == []


def test_a_hidden_test_that_asserts_nothing_is_never_flagged():
    """Hidden tests record and never judge in the kernel: passing there says nothing."""
    import nbformat
    cell = _test_cell("test_a", source="record('a', 1)\n### BEGIN HIDDEN TESTS\nrecord('a', 2)\n### END HIDDEN TESTS")
    nb = nbformat.v4.new_notebook(cells=[cell])
    data = (json.dumps({"key": "a", "value": 1.0, "check": {}}) + "\n").encode()
    status = {"finished": True, "cells": [{"index": 0, "status": "ok", "evidence_start": 0,
                                           "evidence_end": len(data)}]}
    ref = build_reference(nb, status, data)
    verdicts = score(ref, parse_evidence(b""), kernel_verdicts(nb, status))
    assert verdicts["test_a"].score == 0 and verdicts["test_a"].flags == []


def test_reference_without_evidence_is_an_authoring_problem():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[_test_cell("test_a")])
    ref = build_reference(nb, {"finished": True, "cells": [
        {"index": 0, "status": "ok", "evidence_start": 0, "evidence_end": 0}]}, b"")
    assert any("recorded no evidence" in p for p in ref.problems)
    assert score(ref, parse_evidence(b""), {})["test_a"].score == 0


# ---------------------------------------------------------------- properties of random results

def running(outcomes):
    """The running fraction of 0/1 outcomes, as a simulation returns it."""
    outcomes = np.asarray(outcomes, dtype=float)
    return plain(np.cumsum(outcomes) / np.arange(1, outcomes.size + 1))


RUN = running([1, 0, 1, 1, 0, 1])              # ends at 4/6
MALFORMED = [{"__array__": 5, "shape": [1]}, {"__array__": [0.5], "shape": "1"},
             {"__array__": [0.5, 1.0], "shape": [3]}, {"__unsupported__": "x"}, "0.5", None]


@pytest.mark.parametrize("prop, value, params, ok", [
    ("between", 0.7466, {"low": 0.0, "high": 1.0}, True),
    ("between", 0, {"low": 0.0, "high": 1.0}, True),
    ("between", 1.2, {"low": 0.0, "high": 1.0}, False),
    ("between", True, {"low": 0.0, "high": 1.0}, False),             # a bool is not a probability
    ("between", {"__float__": "nan"}, {"low": 0.0, "high": 1.0}, False),
    ("between", plain(np.array([0.2, 1.0])), {"low": 0.0, "high": 1.0, "ndim": 1}, True),
    ("between", plain(np.array([0.2, -0.1])), {"low": 0.0, "high": 1.0, "ndim": 1}, False),
    ("between", plain(np.zeros((2, 2))), {"low": 0.0, "high": 1.0, "ndim": 1}, False),
    ("between", plain(np.array([])), {"low": 0.0, "high": 1.0, "ndim": 1}, False),  # empty
    ("between", 0.5, {"low": 0.0, "high": 1.0, "ndim": 1}, False),  # a number is not an array
    ("running_fraction", RUN, {}, True),
    ("running_fraction", running([0, 0, 1]), {}, True),
    ("running_fraction", [1.0, 0.5, 2 / 3], {}, True),                # a plain list of numbers
    ("running_fraction", plain(np.array([0.5])), {}, False),          # 0.5 of one patient
    ("running_fraction", plain(np.array([1.0, 0.5, 1.0])), {}, False),  # the count falls
    ("running_fraction", plain(np.array([0.0, 1.0])), {}, False),     # the count jumps by 2
    ("running_fraction", plain(np.array([1.0, 1.5])), {}, False),     # above 1
    ("running_fraction", plain(np.array([])), {}, False),
    ("running_fraction", plain(np.ones((2, 2))), {}, False),           # not 1-D
    ("running_fraction", RUN, {"min_size": 6, "max_size": 6}, True),
    ("running_fraction", RUN, {"min_size": 7}, False),
    ("running_fraction", RUN, {"max_size": 5.5}, False),
    ("running_fraction_near", RUN, {"target": 0.6, "tolerance": 0.1}, True),
    ("running_fraction_near", RUN, {"target": 0.3, "tolerance": 0.1}, False),
    ("running_fraction_near", plain(np.array([0.5])), {"target": 0.5, "tolerance": 0.1}, False),
    ("running_fraction_near", RUN, {"target": 0.6, "tolerance": 0.1, "max_size": 3}, False),
    ("equal_pair", [RUN, RUN], {}, True),
    ("equal_pair", [RUN, running([1, 0, 1, 1, 0, 0])], {}, False),
    ("equal_pair", [RUN, running([1, 0, 1])], {}, False),
    ("equal_pair", [RUN], {}, False),
    ("equal_pair", [RUN, RUN, RUN], {}, False),
    ("equal_pair", [{"__unsupported__": "x"}, {"__unsupported__": "x"}], {}, False),
    ("different_pair", [RUN, running([1, 0, 1, 1, 0, 0])], {}, True),
    ("different_pair", [RUN, running([1, 0, 1])], {}, True),          # different lengths differ
    ("different_pair", [RUN, RUN], {}, False),
    ("different_pair", [{"__unsupported__": "a"}, {"__unsupported__": "b"}], {}, False),
    ("different_pair", RUN, {}, False),
])
def test_simulation_properties(prop, value, params, ok):
    ref = ev(("k", RUN, {"property": prop, **params}))
    assert (check_key("k", ev(("k", value, {})), ref) is None) is ok


@pytest.mark.parametrize("prop, params", [
    ("between", {"low": 0.0, "high": 1.0, "ndim": 1}),
    ("running_fraction", {}),
    ("running_fraction_near", {"target": 0.5, "tolerance": 1.0}),
    ("equal_pair", {}),
    ("different_pair", {}),
])
@pytest.mark.parametrize("value", MALFORMED + [[m, m] for m in MALFORMED[:3]])
def test_simulation_properties_reject_malformed_evidence(prop, params, value):
    """Student evidence is untrusted JSON: a malformed value fails the property and never crashes it."""
    ref = ev(("k", RUN, {"property": prop, **params}))
    assert "fail the property" in check_key("k", ev(("k", value, {})), ref)


def test_property_parameters_come_from_each_reference_key():
    """Each key carries its own parameters."""
    ref = ev(("a", RUN, {"property": "running_fraction_near", "target": 0.6, "tolerance": 0.1}),
             ("b", RUN, {"property": "running_fraction_near", "target": 0.2, "tolerance": 0.1}))
    student = ev(("a", RUN, {}), ("b", running([0, 0, 0, 0, 1, 0]), {}))
    assert check_key("a", student, ref) is None and check_key("b", student, ref) is None
    assert "fail the property" in check_key("b", ev(("b", RUN, {})), ref)


def test_each_record_is_judged_by_its_own_reference_check():
    """One loop may record probes with different bounds under one key (a dropout rate, a length)."""
    def lines(*records):
        return "\n".join(json.dumps({"key": "k", "value": v, "check": c}) for v, c in records).encode()
    ref = parse_evidence(lines((0.5, {"property": "at_most", "bound": 1.0}),
                               (3.0, {"property": "at_least", "bound": 2.0}),
                               (0.25, {"rtol": 1e-3})))
    assert check_key("k", parse_evidence(lines((0.9, {}), (2.5, {}), (0.25001, {}))), ref) is None
    assert "1 of 3 results fail" in check_key("k", parse_evidence(lines((0.9, {}), (1.5, {}), (0.25, {}))), ref)
    assert "1 of 3" in check_key("k", parse_evidence(lines((0.9, {}), (2.5, {}), (0.3, {}))), ref)
    # the student's own checks are never read, whatever the record
    assert check_key("k", parse_evidence(lines((0.9, {}), (1.5, {"property": "at_least", "bound": 0}),
                                               (0.25, {}))), ref) is not None


@pytest.mark.parametrize("garbage", [
    {"__array__": 5, "shape": 7}, {"__array__": [1, "x"], "shape": [2]}, {"shape": None},
    [[[]]], {"__array__": [[1]], "shape": [1, 1]}, "1.0", None,
])
@pytest.mark.parametrize("check", [
    {}, {"property": "at_most", "bound": 1}, {"property": "at_least", "bound": 0},
    {"property": "rows_sum_to_one"}, {"property": "same_shape"},
])
def test_malformed_student_evidence_fails_without_crashing(garbage, check):
    reference = ev(("k", {"__array__": [0.5, 0.5], "shape": [1, 2]}, check))
    assert check_key("k", ev(("k", garbage, {})), reference) is not None


def test_executor_cuts_a_flood_of_output():
    import nbformat

    from autograder.kernel.executor import MAX_OUTPUT_CHARS, _limit_outputs
    cell = nbformat.v4.new_code_cell("print('x' * 10**7)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 10**7 + "END")]
    _limit_outputs(cell)
    text = cell.outputs[0]["text"]
    assert len(text) < MAX_OUTPUT_CHARS + 200 and text.endswith("END") and "cut by the grader" in text
