"""The one table of property checks, filled by the @register_property decorator."""
from __future__ import annotations

PROPERTIES: dict = {}


def register_property(name: str):
    """Make fn the property check `name`: fn(value, reference, **params) -> bool, where value is
    the student's record, reference the reference run's record of the same probe and params the
    reference's check. It must never raise on garbage (check_key calls it through safely())."""
    def wrap(fn):
        if name in PROPERTIES:
            raise ValueError(f"property {name!r} is registered twice")
        PROPERTIES[name] = fn
        return fn
    return wrap
