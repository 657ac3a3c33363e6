"""The evidence protocol: what the kernel may record, and how the trusted side judges it."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from autograder import evidence
from autograder.checks import check_key, parse_evidence, values_match
from autograder.trusted import build_reference, kernel_verdicts, score


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
    assert ev.values["k"][0] == 1 and ev.checks["k"] == {}


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


def test_reasons_never_show_expected_values():
    reason = check_key("p", ev(("p", 0.1, {})), ev(("p", 0.746666, {})))
    assert "0.74" not in reason and "0.1" not in reason


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


def _test_cell(gid, points=2):
    import nbformat
    return nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
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


def test_reference_without_evidence_is_an_authoring_problem():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[_test_cell("test_a")])
    ref = build_reference(nb, {"finished": True, "cells": [
        {"index": 0, "status": "ok", "evidence_start": 0, "evidence_end": 0}]}, b"")
    assert any("recorded no evidence" in p for p in ref.problems)
    assert score(ref, parse_evidence(b""), {})["test_a"].score == 0
