"""The kernel side of trusted grading: hidden tests record raw outputs as evidence.

A hidden test calls the student's code on probe inputs and records what came back:

    from autograder.kernel.evidence import probe_rng, record, outcome
    rng = probe_rng("chain_rule")
    for _ in range(20):
        probabilities = rng.uniform(0, 1, size=rng.integers(1, 8)).tolist()
        record("chain_rule", chain_rule(probabilities))
    record("chain_rule_empty", outcome(chain_rule, []))

Nothing recorded here is trusted. The grader runs the instructor's source
notebook on the same probes (same secret seed), and a process outside the
student's sandbox compares the two records key by key (autograder/trusted/).
How a key is compared (tolerances, or a property such as rows summing to one)
is read from the reference record only, so a student cannot loosen it.

Outside grading (a student running the notebook) record() does nothing and the
probes come from a fixed seed, so visible behaviour is reproducible.

A notebook must also run where this module is not installed (Colab, a laptop): its set-up
cell carries the STAND-IN region below, copied verbatim by `course standin` and checked by
`course check`, so the stand-in cannot drift from what the grader runs.
"""
from __future__ import annotations

import json
import math

# >>> STAND-IN (course/standin.py copies this region into every notebook's set-up cell)
import hashlib
import os

PROBE_SEED_ENV = "COURSE_PROBE_SEED"
DEFAULT_PROBE_SEED = 2024


def probe_seed(name):
    """A seed for one family of probes: the run's secret seed (a fixed one outside grading) mixed with the name."""
    base = os.environ.get(PROBE_SEED_ENV, str(DEFAULT_PROBE_SEED))
    return int.from_bytes(hashlib.sha256(f"{base}:{name}".encode()).digest()[:8], "little")


def probe_rng(name):
    """A NumPy generator for the probes named `name`."""
    import numpy as np
    return np.random.default_rng(probe_seed(name))


def outcome(fn, *args, **kwargs):
    """What calling fn did: {"returned": value}, or {"raised": the first built-in exception class it is}.

    NotImplementedError is let through: it is what an unanswered stub raises, not a behaviour to
    record, and the test cell must fail in the student's kernel as it fails for the grader.
    """
    try:
        value = fn(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as err:  # recording the failure is the point
        import builtins
        kind = next((k for k in type(err).__mro__ if getattr(builtins, k.__name__, None) is k), type(err))
        return {"raised": kind.__name__}
    return {"returned": value}
# <<< STAND-IN

EVIDENCE_FILE_ENV = "COURSE_EVIDENCE_FILE"
MAX_ITEMS = 1_000_000  # an array larger than this is not evidence but a flood


def to_plain(value, _depth: int = 0):
    """JSON-ready data: numbers, strings, lists, dicts and tagged arrays.

    Only exact built-in types and arrays are converted; any other object (for
    instance one whose __eq__ always says True) becomes an "unsupported" marker,
    which never matches a reference value.
    """
    if _depth > 20:
        return {"__unsupported__": "nesting too deep"}
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if kind in (list, tuple):
        return [to_plain(v, _depth + 1) for v in value]
    if kind is dict:
        return {str(k): to_plain(v, _depth + 1) for k, v in value.items()}
    array = _as_numpy(value)
    if array is not None:
        if array.size > MAX_ITEMS:
            return {"__unsupported__": f"array of {array.size} items"}
        if array.ndim == 0:
            return to_plain(array.item(), _depth + 1)
        if array.dtype.kind not in "biuf":
            return {"__unsupported__": f"array of dtype {array.dtype}"}
        data = array.astype(float).ravel().tolist()
        return {"__array__": [to_plain(x) for x in data], "shape": list(array.shape),
                "dtype": array.dtype.kind}
    return {"__unsupported__": f"{kind.__module__}.{kind.__qualname__}"}


def _as_numpy(value):
    """A NumPy array for NumPy arrays/scalars and torch tensors, else None."""
    module = type(value).__module__.split(".")[0]
    if module == "numpy":
        import numpy as np
        if isinstance(value, (np.ndarray, np.generic)):
            return np.asarray(value)
    if module == "torch":
        import torch
        if type(value) is torch.Tensor or isinstance(value, torch.nn.Parameter):
            return value.detach().cpu().numpy()
    return None


def record(key: str, value, **check) -> None:
    """Append one raw output under `key` to this run's evidence file.

    check: how the trusted side compares this key (read from the reference run
    only): rtol/atol for numbers, or property="name" with its parameters.
    """
    path = os.environ.get(EVIDENCE_FILE_ENV)
    if not path:
        return
    line = json.dumps({"key": str(key), "value": to_plain(value), "check": check},
                      allow_nan=False) + "\n"
    # O_APPEND: each record lands whole even if the kernel dies right after
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
