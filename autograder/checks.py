"""The trusted side of grading: read evidence files and compare them with the reference.

Runs outside every sandbox. It parses evidence as plain JSON (never pickle,
never a student's object), and takes how to compare each key from the
reference run's records, never from the student's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .untrusted import Untrusted, loads_bounded

MAX_EVIDENCE_BYTES = 64 << 20
MAX_EVIDENCE_LINES = 200_000
MAX_PROBLEMS = 20           # unreadable lines named one by one; beyond that only counted
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


@dataclass
class Evidence:
    """Recorded values per key, in the order they were recorded."""
    values: dict[str, list] = field(default_factory=dict)
    checks: dict[str, list[dict]] = field(default_factory=dict)   # each record's own check, in order
    problems: list[str] = field(default_factory=list)


def parse_evidence(data: bytes) -> Evidence:
    """Evidence from the raw bytes of an evidence file; unreadable lines are noted and skipped.

    The bytes come from a sandbox: a line may be any text at all, nested without end, or one of
    millions. Size, line count and nesting depth are bounded (untrusted.loads_bounded), and
    nothing here raises.
    """
    evidence = Evidence()
    if not isinstance(data, bytes) or len(data) > MAX_EVIDENCE_BYTES:
        evidence.problems.append("evidence is larger than the grader reads: ignored as a flood")
        return evidence
    unreadable = 0
    for number, line in enumerate(data.splitlines(), 1):
        if number > MAX_EVIDENCE_LINES:
            evidence.problems.append(f"evidence has more than {MAX_EVIDENCE_LINES} lines: the rest is ignored")
            break
        try:
            item = loads_bounded(line)
            if not isinstance(item, dict) or "key" not in item or "value" not in item:
                raise Untrusted("not a record")
            key, value, check = item["key"], item["value"], item.get("check") or {}
            if not isinstance(key, str) or not isinstance(check, dict):
                raise Untrusted("key must be text and check a mapping")
        except Untrusted as err:
            unreadable += 1
            if unreadable <= MAX_PROBLEMS:
                evidence.problems.append(f"evidence line {number} unreadable: {err}")
            continue
        evidence.values.setdefault(key, []).append(value)
        evidence.checks.setdefault(key, []).append(check)
    if unreadable > MAX_PROBLEMS:
        evidence.problems.append(f"{unreadable - MAX_PROBLEMS} more unreadable evidence lines")
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


def describe(value, limit: int = 120) -> str:
    """A short, safe description of a plain evidence value for a student's feedback."""
    if _array(value):
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
    if _array(reference) and _array(student):
        if student.get("shape") != reference.get("shape"):
            return f"expected shape {reference.get('shape')}, found shape {student.get('shape')}"
        found, expected = student.get("__array__"), reference["__array__"]
        if isinstance(found, list) and isinstance(expected, list):
            for position, (f, e) in enumerate(zip(found, expected)):
                if not _safely(values_match, f, e, rtol, atol):
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
            failed = not _safely(fn, s, r, **params)
            detail = f"found {describe(s)}"
        else:
            rtol = _safe_float(check.get("rtol"), DEFAULT_RTOL)
            atol = _safe_float(check.get("atol"), DEFAULT_ATOL)
            failed = not _safely(values_match, s, r, rtol, atol)
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
# (03_causal_multihead_attention/attention_heatmaps) Training results differ a little between correct
# solutions, so a trained model is judged by how well its raw scores predict targets the student cannot
# shape: value is [logits (..., V), targets (...)] as the hidden test recorded it from the student's model
# (03 attention_heatmaps, 04 simple_gpt and char_gpt),
# and reference is the reference run's record of the same probe. Only the student's logits are used; the
# targets come from the reference's record, so editing the data in the student's kernel changes nothing.

def _cross_entropy(logits_part, targets_part) -> float | None:
    """Mean cross-entropy of logits (shape (..., V)) against integer targets (shape (...)), else None."""
    import numpy as np
    (shape_l, logits), (shape_t, targets) = logits_part, targets_part
    if len(shape_l) < 2 or list(shape_l[:-1]) != list(shape_t) or not targets or shape_l[-1] < 1:
        return None
    width = shape_l[-1]
    scores = np.asarray(logits, dtype=float).reshape(-1, width)
    labels = np.asarray(targets, dtype=float).ravel()
    if not (np.isfinite(scores).all() and len(labels) == len(scores)):
        return None
    if not (np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < width):
        return None
    top = scores.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(scores - top).sum(axis=1)) + top[:, 0]
    loss = float(np.mean(log_norm - scores[np.arange(len(labels)), labels.astype(int)]))
    return loss if math.isfinite(loss) else None


def _student_loss(value, reference) -> float | None:
    """The student's logits scored against the reference's targets; None unless shaped like the reference's."""
    found, expected = _pair(_returned(value)), _pair(_returned(reference))
    if found is None or expected is None or found[0][0] != expected[0][0]:
        return None
    return _cross_entropy(found[0], expected[1])


@register_property("cross_entropy_at_most")
def prop_cross_entropy_at_most(value, reference, bound=None, factor=None, slack=0.0, **_):
    """value is [logits, targets]: the cross-entropy of the student's logits against the reference's targets
    is at most `bound`, and at most factor * (the reference's own cross-entropy) + slack (each when given)."""
    if bound is None and factor is None:
        return False
    loss = _student_loss(value, reference)
    if loss is None:
        return False
    if bound is not None and not loss <= float(bound):
        return False
    if factor is not None:
        expected = _pair(_returned(reference))
        reference_loss = _cross_entropy(expected[0], expected[1])
        if reference_loss is None or not loss <= float(factor) * reference_loss + float(slack):
            return False
    return True


# ---------------------------------------------------------------- gradients that reach every weight
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
    found, expected = _returned(value), _returned(reference)
    if not all(_is_number(x) for k in ("plus", "minus") for x in expected[k]):
        return False
    for plus, minus, ref_plus, ref_minus in zip(found["plus"], found["minus"], expected["plus"], expected["minus"]):
        moved, ref_moved = abs(plus - minus) / (2 * eps), abs(ref_plus - ref_minus) / (2 * eps)
        if not math.isfinite(ref_moved):
            return False
        if ref_moved > atol and not moved > floor:
            return False
    return True


# ---------------------------------------------------------------- trained models judged on probe data
# A training run differs between correct solutions (other float rounding, other batches), so its
# result is judged by a bound; but a loss the student's kernel reports about itself can be made up.
# Instead the hidden test calls the trained model on probe inputs it picks and records the raw
# predictions, together with the targets of those probes. The targets used here are always the
# reference's, and so is the bound: the student's exact-match rate against the reference's targets
# may fall short of the reference model's own rate by at most `tolerance`.

def _id_rows(value):
    """(shape, numbers) of a 2-D tagged array of finite numbers, else None."""
    parts = _vector_parts(value)
    if parts is None or len(parts[0]) != 2 or not all(math.isfinite(x) for x in parts[1]):
        return None
    return parts


def _exact_match_rate(predicted, targets) -> float | None:
    if predicted is None or targets is None or predicted[0] != targets[0] or not predicted[0][0]:
        return None
    width = targets[0][1]
    rows = _rows(targets[0], predicted[1]), _rows(targets[0], targets[1])
    return sum(p == t for p, t in zip(*rows)) / len(rows[0]) if width else None


@register_property("translations_near_reference")
def prop_translations_near_reference(value, reference, tolerance, **_):
    """value is {"predicted": ids (N, T), ...}: its exact-match rate against the reference's "targets" is
    at least the reference's own rate minus tolerance. The student's own "targets" are never read."""
    if not (isinstance(value, dict) and isinstance(reference, dict)):
        return False
    targets = _id_rows(reference.get("targets"))
    expected = _exact_match_rate(_id_rows(reference.get("predicted")), targets)
    found = _exact_match_rate(_id_rows(value.get("predicted")), targets)
    return found is not None and expected is not None and found >= expected - tolerance


@register_property("cross_entropy_between")
def prop_cross_entropy_between(value, reference, low, high, **_):
    """value is [logits, targets]: the cross-entropy of the student's logits against the reference's
    targets lies in [low, high] (a model at initialisation: near ln V, neither trained nor broken)."""
    loss = _student_loss(value, reference)
    return loss is not None and float(low) <= loss <= float(high)
