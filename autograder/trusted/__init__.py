"""Everything that decides points. Runs outside every sandbox, in the one trusted process.

The way in, in order: hostile (readers for what comes out of a sandbox: files, JSON, status,
outputs, all bounded), evidence (an evidence file parsed into records), compare (a student's
records against the reference's, key by key; properties/ where an exact comparison would refuse
correct answers), scoring (which test cell recorded which keys in the reference, and what each
cell earns). Nothing here imports the coordinator or the reports.
"""
from .compare import check_key, describe, values_match
from .evidence import Evidence, parse_evidence
from .properties import PROPERTIES, register_property
from .scoring import CellVerdict, Reference, build_reference, kernel_verdicts, score

__all__ = [
    "PROPERTIES", "CellVerdict", "Evidence", "Reference", "build_reference", "check_key", "describe",
    "kernel_verdicts", "parse_evidence", "register_property", "score", "values_match",
]
