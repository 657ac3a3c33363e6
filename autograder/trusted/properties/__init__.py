"""Property checks: how a record is judged when an exact comparison would refuse correct answers.

One module per family; each registers its checks by name. A reference record names its check
(`record(key, value, property="between", low=0, high=1)`), and only the reference's record does.
"""
from . import bounds, causality, dropout, gradients, random_results, steps, trained_models  # noqa: F401  (they register)
from .registry import PROPERTIES, register_property

__all__ = ["PROPERTIES", "register_property"]
