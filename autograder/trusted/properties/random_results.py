"""Results of random experiments: judged by what every correct answer satisfies.

A Monte Carlo answer differs between correct solutions (each draws its own random numbers), so
its evidence is judged by properties: a running fraction of 0/1 outcomes, two arrays equal or not."""
from __future__ import annotations

from ..values import as_pair, vector_parts
from .registry import register_property


def _running_fraction(value, atol, min_size, max_size) -> list[float] | None:
    parts = vector_parts(value)
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


@register_property("equal_pair")
def prop_equal_pair(value, reference, **_):
    """value is [a, b]: two arrays with the same shape and exactly the same numbers."""
    pair = as_pair(value)
    return pair is not None and pair[0][0] == pair[1][0] and pair[0][1] == pair[1][1]


@register_property("different_pair")
def prop_different_pair(value, reference, **_):
    """value is [a, b]: two arrays that differ in shape or in at least one number."""
    pair = as_pair(value)
    return pair is not None and (pair[0][0] != pair[1][0] or pair[0][1] != pair[1][1])
