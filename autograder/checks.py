"""The trusted side of grading: read evidence files and compare them with the reference.

Runs outside every sandbox. It parses evidence as plain JSON (never pickle,
never a student's object), and takes how to compare each key from the
reference run's records, never from the student's.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

MAX_EVIDENCE_BYTES = 64 << 20
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


@dataclass
class Evidence:
    """Recorded values per key, in the order they were recorded."""
    values: dict[str, list] = field(default_factory=dict)
    checks: dict[str, list[dict]] = field(default_factory=dict)   # each record's own check, in order
    problems: list[str] = field(default_factory=list)

    def keys(self) -> set[str]:
        return set(self.values)


def load_evidence(path: Path) -> Evidence:
    if not path.exists():
        return Evidence()
    if path.stat().st_size > MAX_EVIDENCE_BYTES:
        return Evidence(problems=[f"evidence file is {path.stat().st_size >> 20} MB: ignored as a flood"])
    return parse_evidence(path.read_bytes())


def parse_evidence(data: bytes) -> Evidence:
    """Evidence from the raw bytes of an evidence file; unreadable lines are noted and skipped."""
    evidence = Evidence()
    if len(data) > MAX_EVIDENCE_BYTES:
        evidence.problems.append(f"evidence is {len(data) >> 20} MB: ignored as a flood")
        return evidence
    for number, line in enumerate(data.splitlines(), 1):
        try:
            item = json.loads(line)
            key, value, check = item["key"], item["value"], item.get("check") or {}
            if not isinstance(key, str) or not isinstance(check, dict):
                raise TypeError("key must be text and check a mapping")
        except (ValueError, KeyError, TypeError) as err:
            evidence.problems.append(f"evidence line {number} unreadable: {err}")
            continue
        evidence.values.setdefault(key, []).append(value)
        evidence.checks.setdefault(key, []).append(check)
    return evidence


# ---------------------------------------------------------------- value comparison

def _is_number(x) -> bool:
    return type(x) in (int, float)


def _array(x):
    return isinstance(x, dict) and "__array__" in x


def values_match(student, reference, rtol: float, atol: float) -> bool:
    """Structural comparison of two plain values; floats within tolerance."""
    if _is_number(reference):
        return _is_number(student) and math.isclose(student, reference, rel_tol=rtol, abs_tol=atol)
    if reference is None or type(reference) in (bool, str):
        return type(student) is type(reference) and student == reference
    if isinstance(reference, list):
        return (isinstance(student, list) and len(student) == len(reference)
                and all(values_match(s, r, rtol, atol) for s, r in zip(student, reference)))
    if _array(reference):
        return (_array(student) and student.get("shape") == reference.get("shape")
                and values_match(student["__array__"], reference["__array__"], rtol, atol))
    if isinstance(reference, dict):
        if "__unsupported__" in reference:
            return False
        return (isinstance(student, dict) and set(student) == set(reference)
                and all(values_match(student[k], reference[k], rtol, atol) for k in reference))
    return False


# ---------------------------------------------------------------- properties

def _numbers(value) -> list[float]:
    if _is_number(value):
        return [float(value)]
    if _array(value):
        return [float(x) if _is_number(x) else math.nan for x in value["__array__"]]
    if isinstance(value, list):
        return [x for v in value for x in _numbers(v)]
    return [math.nan]


def prop_at_most(value, reference, bound, **_):
    nums = _numbers(value)
    return bool(nums) and all(x <= bound for x in nums)


def prop_at_least(value, reference, bound, **_):
    nums = _numbers(value)
    return bool(nums) and all(x >= bound for x in nums)


def prop_rows_sum_to_one(value, reference, atol=1e-5, **_):
    if not _array(value) or not value["shape"]:
        return False
    width = value["shape"][-1]
    data = _numbers(value)
    rows = [data[i:i + width] for i in range(0, len(data), width)] if width else []
    return bool(rows) and all(min(r) >= -atol and abs(sum(r) - 1.0) <= atol for r in rows)


def prop_same_shape(value, reference, **_):
    return _array(value) and _array(reference) and value["shape"] == reference["shape"]


PROPERTIES = {
    "at_most": prop_at_most,
    "at_least": prop_at_least,
    "rows_sum_to_one": prop_rows_sum_to_one,
    "same_shape": prop_same_shape,
}


def register_property(name: str):
    """Add a property check (used by later assignments' trusted checks)."""
    def wrap(fn):
        PROPERTIES[name] = fn
        return fn
    return wrap


# ---------------------------------------------------------------- properties of random results
# A Monte Carlo answer differs between correct solutions (each draws its own random
# numbers), so its evidence is judged by what every correct answer satisfies. The values
# come from the student's sandbox: these checks accept only well-formed data and never raise.

def _vector_parts(value):
    """(shape, numbers) of a tagged array or a flat list of numbers, else None; non-numbers become NaN."""
    if isinstance(value, list):
        if not all(_is_number(x) for x in value):
            return None
        return [len(value)], [float(x) for x in value]
    if not _array(value):
        return None
    shape, data = value.get("shape"), value["__array__"]
    if not (isinstance(shape, list) and isinstance(data, list)
            and all(type(n) is int and n >= 0 for n in shape) and math.prod(shape) == len(data)):
        return None
    return shape, [float(x) if _is_number(x) else math.nan for x in data]


def _flat_numbers(value, depth=0) -> list[float]:
    """Every number in a number, array or nested list; NaN for anything else."""
    if _is_number(value):
        return [float(value)]
    parts = _vector_parts(value)
    if parts is not None:
        return parts[1]
    if isinstance(value, list) and depth < 20:
        return [x for v in value for x in _flat_numbers(v, depth + 1)]
    return [math.nan]


@register_property("between")
def prop_between(value, reference, low, high, ndim=None, **_):
    """Every number lies in [low, high]; with ndim, value must also be an array of that many dimensions."""
    if ndim is not None:
        parts = _vector_parts(value)
        if parts is None or len(parts[0]) != ndim:
            return False
    nums = _flat_numbers(value)
    return bool(nums) and all(low <= x <= high for x in nums)


def _running_fraction(value, atol, min_size, max_size) -> list[float] | None:
    parts = _vector_parts(value)
    if parts is None or len(parts[0]) != 1 or not parts[1]:
        return None
    data = parts[1]
    if (min_size is not None and len(data) < min_size) or (max_size is not None and len(data) > max_size):
        return None
    count = 0
    for trials, fraction in enumerate(data, 1):
        if not 0.0 <= fraction <= 1.0:       # NaN fails here too
            return None
        successes = round(fraction * trials)
        if abs(fraction * trials - successes) > atol or successes - count not in (0, 1):
            return None
        count = successes
    return data


@register_property("running_fraction")
def prop_running_fraction(value, reference, atol=1e-6, min_size=None, max_size=None, **_):
    """value[i] is (successes among the first i + 1 trials) / (i + 1): a running mean of 0/1 outcomes.

    1-D and non-empty; optionally its length lies in [min_size, max_size].
    """
    return _running_fraction(value, atol, min_size, max_size) is not None


@register_property("running_fraction_near")
def prop_running_fraction_near(value, reference, target, tolerance, atol=1e-6, min_size=None,
                               max_size=None, **_):
    """A running fraction whose last value lies within tolerance of target."""
    data = _running_fraction(value, atol, min_size, max_size)
    return data is not None and abs(data[-1] - target) <= tolerance


def _pair(value):
    if not (isinstance(value, list) and len(value) == 2):
        return None
    parts = [_vector_parts(v) for v in value]
    return None if None in parts else parts


@register_property("equal_pair")
def prop_equal_pair(value, reference, **_):
    """value is [a, b]: two arrays with the same shape and exactly the same numbers."""
    pair = _pair(value)
    return pair is not None and pair[0][0] == pair[1][0] and pair[0][1] == pair[1][1]


@register_property("different_pair")
def prop_different_pair(value, reference, **_):
    """value is [a, b]: two arrays that differ in shape or in at least one number."""
    pair = _pair(value)
    return pair is not None and (pair[0][0] != pair[1][0] or pair[0][1] != pair[1][1])


# ---------------------------------------------------------------- key verdicts

def _safely(check, *args, **kwargs) -> bool:
    """A check on student data that breaks on malformed input is a failed check, never a crash."""
    try:
        return bool(check(*args, **kwargs))
    except Exception:  # the evidence is untrusted: any shape of garbage may arrive
        return False


def check_key(key: str, student: Evidence, reference: Evidence) -> str | None:
    """None when the student's evidence for key passes, else a reason safe to show the student."""
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
    bad, unknown = 0, set()
    for s, r, check in zip(found, expected, checks):
        prop = check.get("property")
        if prop is not None:
            fn = PROPERTIES.get(prop)
            if fn is None:
                unknown.add(prop)
                continue
            params = {k: v for k, v in check.items() if k != "property"}
            bad += not _safely(fn, s, r, **params)
        else:
            rtol = float(check.get("rtol", DEFAULT_RTOL))
            atol = float(check.get("atol", DEFAULT_ATOL))
            bad += not _safely(values_match, s, r, rtol, atol)
    if unknown:
        return f"{key}: unknown property {sorted(unknown)[0]!r} (a test authoring error)"
    props = sorted({c["property"] for c in checks if c.get("property") is not None})
    if bad and props:
        return f"{key}: {bad} of {len(found)} results fail the property {props[0]!r}"
    return f"{key}: {bad} of {len(found)} results differ from the reference" if bad else None


# ---------------------------------------------------------------- one step of a chain of cells
# (02_attention_from_scratch/self_attention) A notebook that computes scores, then weights,
# then context vectors in separate cells would lose every later cell to one early mistake if
# each were compared with the reference's value. These properties judge one step on the
# student's own inputs to it: value is [inputs..., output] as the student's kernel recorded it,
# and the reference's record fixes the shapes every part must have (and the tolerance).

def _tensor_parts(value):
    """(shape, numbers) of a number (shape []) or a tagged array / flat list of at most 2 dimensions."""
    if _is_number(value):
        return [], [float(value)]
    parts = _vector_parts(value)
    if parts is None or len(parts[0]) > 2:
        return None
    return parts


def _step_parts(value, reference, count):
    """The student's `count` parts, each shaped like the reference's part, else None."""
    if not (isinstance(value, list) and isinstance(reference, list)
            and len(value) == count and len(reference) == count):
        return None
    parts = [_tensor_parts(v) for v in value]
    expected = [_tensor_parts(r) for r in reference]
    if None in parts or None in expected:
        return None
    if any(p[0] != e[0] for p, e in zip(parts, expected)):
        return None
    return parts


def _all_close(found, expected, rtol, atol) -> bool:
    return len(found) == len(expected) and all(
        math.isfinite(f) and math.isfinite(e) and math.isclose(f, e, rel_tol=rtol, abs_tol=atol)
        for f, e in zip(found, expected))


def _rows(shape, data):
    """The slices along the last axis of a 1-D or 2-D array."""
    width = shape[-1] if shape else 1
    return [data[i:i + width] for i in range(0, len(data), width)] if width else []


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
    return product is not None and product[0] == parts[2][0] and _all_close(parts[2][1], product[1], rtol, atol)


def _softmax(row, scale):
    scaled = [x / scale for x in row]
    top = max(scaled)
    exps = [math.exp(x - top) for x in scaled]
    total = math.fsum(exps)
    return [e / total for e in exps]


@register_property("softmax_of")
def prop_softmax_of(value, reference, scale=1.0, rtol=1e-5, atol=1e-6, **_):
    """value is [scores, weights], shaped like the reference's: weights = softmax(scores / scale) along the last axis."""
    parts = _step_parts(value, reference, 2)
    if parts is None or not parts[0][0] or not parts[0][1]:
        return False
    (shape, scores), (_, weights) = parts
    if not all(math.isfinite(x) for x in scores):
        return False
    expected = [w for row in _rows(shape, scores) for w in _softmax(row, float(scale))]
    return _all_close(weights, expected, rtol, atol)


@register_property("normalized_by_sum")
def prop_normalized_by_sum(value, reference, rtol=1e-5, atol=1e-6, **_):
    """value is [x, y], shaped like the reference's: y = x / (sum of x) along the last axis."""
    parts = _step_parts(value, reference, 2)
    if parts is None or not parts[0][0] or not parts[0][1]:
        return False
    (shape, x), (_, y) = parts
    expected = []
    for row in _rows(shape, x):
        total = math.fsum(row)
        if not math.isfinite(total) or total == 0:
            return False
        expected += [v / total for v in row]
    return _all_close(y, expected, rtol, atol)


def _returned(value):
    """The value inside outcome()'s {"returned": value}; anything else as it is."""
    if isinstance(value, dict) and set(value) == {"returned"}:
        return value["returned"]
    return value


@register_property("central_difference")
def prop_central_difference(value, reference, eps, rtol=1e-2, atol=1e-3, **_):
    """value is {"grad": [...], "plus": [...], "minus": [...]}, optionally wrapped as outcome()'s {"returned": ...}.

    grad[i] is an autograd gradient entry of the student's loss, plus[i] and minus[i] the student's
    loss with that weight moved by +eps and -eps: each gradient must agree with the central
    difference (plus - minus) / (2 eps) of the student's own function. The reference fixes how
    many entries there are.
    """
    def unwrap(v):
        v = _returned(v)
        if not (isinstance(v, dict) and all(isinstance(v.get(k), list) for k in ("grad", "plus", "minus"))):
            return None
        return v

    found, expected = unwrap(value), unwrap(reference)
    if found is None or expected is None:
        return False
    count = len(expected["grad"])
    columns = [found[k] for k in ("grad", "plus", "minus")]
    if count == 0 or any(len(c) != count or not all(_is_number(x) for x in c) for c in columns):
        return False
    for grad, plus, minus in zip(*columns):
        difference = (plus - minus) / (2 * eps)
        if not (math.isfinite(grad) and math.isfinite(difference)
                and abs(grad - difference) <= atol + rtol * abs(difference)):
            return False
    return True


# ---------------------------------------------------------------- causality
# (03 and 04) A causal layer's output at position t may depend on tokens 0..t only. The hidden
# test runs the student's layer twice, on a probe and on the same probe with its later tokens
# changed, and records both outputs. Which positions changed is then judged here: the student's
# pattern of changed positions must be the reference's (a correct causal layer's), so a layer
# that leaks the future (earlier rows change) or ignores its input (nothing changes) fails,
# whatever values the student's weights produce. (A mask that also hides the token itself still
# changes row t through its query: value tests with fixed weights catch that one.)

def _changed_positions(value, time_axis, atol):
    """For value [before, after] (same-shaped arrays), which indices along time_axis differ, else None."""
    import numpy as np
    pair = _pair(value)
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


# ---------------------------------------------------------------- dropout
# (03_causal_multihead_attention/causal_attention) Dropout masks differ between torch versions and
# between correct solutions, so a dropout layer is judged by what every correct one does: value is
# [x, y], the values before dropout (fixed by the test cell) and after it (from the student's code),
# optionally wrapped as outcome()'s {"returned": ...}. Where x is 0, y stays 0; elsewhere every
# entry is either dropped (0) or kept and scaled by 1 / (1 - p); the share dropped lies within
# `tolerance` of p. The reference fixes the shape.

@register_property("dropout_of")
def prop_dropout_of(value, reference, p, tolerance, rtol=1e-4, atol=1e-6, **_):
    """value is [before, after]: after is inverted dropout with rate p applied to before."""
    found, expected = _pair(_returned(value)), _pair(_returned(reference))
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


# ---------------------------------------------------------------- cross-entropy of a trained model
# (04_simple_gpt) A training run is judged by the model it produced, never by a loss the student's
# code reports. The hidden test calls the trained model on probe inputs and records
# [logits, targets]: the raw logits (..., V) from the student's model and the probe's targets (...).
# The loss is computed here, from the student's logits and the *reference's* targets (the student's
# copy of the targets is ignored), and compared with the bounds of the reference's record. Logits
# that are not shaped like the reference's, or not finite, fail.

def _cross_entropy(value, reference) -> float | None:
    """Mean cross-entropy of the student's logits against the reference's targets, else None."""
    import numpy as np
    found, expected = _pair(_returned(value)), _pair(_returned(reference))
    if found is None or expected is None:
        return None
    (shape, logits), _ = found
    (ref_shape, _), (target_shape, targets) = expected
    if shape != ref_shape or len(shape) < 2 or list(shape[:-1]) != list(target_shape) or shape[-1] < 1:
        return None
    width = shape[-1]
    scores = np.asarray(logits, dtype=float).reshape(-1, width)
    labels = np.asarray(targets, dtype=float).ravel()
    if not (np.isfinite(scores).all() and len(labels) == len(scores) and len(labels) > 0):
        return None
    if not (np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < width):
        return None
    top = scores.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(scores - top).sum(axis=1)) + top[:, 0]
    picked = scores[np.arange(len(labels)), labels.astype(int)]
    loss = float(np.mean(log_norm - picked))
    return loss if math.isfinite(loss) else None


@register_property("cross_entropy_at_most")
def prop_cross_entropy_at_most(value, reference, bound, **_):
    """value is [logits, targets]: the mean cross-entropy of the logits against the reference's targets is <= bound."""
    loss = _cross_entropy(value, reference)
    return loss is not None and loss <= bound


@register_property("cross_entropy_between")
def prop_cross_entropy_between(value, reference, low, high, **_):
    """value is [logits, targets]: the mean cross-entropy of the logits against the reference's targets lies in [low, high]."""
    loss = _cross_entropy(value, reference)
    return loss is not None and low <= loss <= high
