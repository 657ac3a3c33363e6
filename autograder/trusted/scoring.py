"""Trusted scoring: a test cell earns its points only on positive evidence.

For every autograded test cell, the reference run (the instructor's source
notebook, executed on the same secret probes) says which evidence keys the cell
records and how to compare them. A student's cell scores its points when every
one of those keys is present in the student's evidence and passes; anything
missing scores zero. What the student's kernel itself concluded (a cell that
raised or not) is kept for feedback, and a disagreement is flagged for review.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..cells import extra_credit, grade_id, is_autograded_test, nbgrader_meta, split_hidden
from .compare import check_key
from .evidence import Evidence, parse_evidence
from .hostile import Untrusted, loads_bounded


def _asserts(source: str) -> bool:
    """Does this code judge anything itself (an assert statement)?"""
    try:
        return any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(source)))
    except SyntaxError:
        return "assert" in source


@dataclass
class Reference:
    """What the source notebook recorded, and which test cell recorded it."""
    evidence: Evidence
    cell_keys: dict[str, list[str]]       # test grade_id -> keys, in recording order
    points: dict[str, float]              # test grade_id -> points (extra credit for the cells in `extra`)
    problems: list[str] = field(default_factory=list)
    failed: bool = False                  # the reference itself could not run: grade nothing against it
    unjudged: set[str] = field(default_factory=set)  # test grade_ids whose kernel code asserts nothing
    failure: str = ""                     # why the reference failed, for the report
    extra: set[str] = field(default_factory=set)     # test grade_ids worth extra credit, not base points


@dataclass
class CellVerdict:
    grade_id: str
    max_points: float
    score: float
    kernel_passed: bool | None            # None: the cell never ran in the student's kernel
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    extra_credit: bool = False            # the points are extra credit: on top of the notebook's maximum

    @property
    def trusted_passed(self) -> bool:
        return self.score == self.max_points


def _keys_by_offset(data: bytes) -> list[tuple[int, str]]:
    """(byte offset, key) of every readable evidence line."""
    found, offset = [], 0
    for line in data.splitlines(keepends=True):
        try:
            found.append((offset, loads_bounded(line)["key"]))
        except (Untrusted, KeyError, TypeError):
            pass
        offset += len(line)
    return found


def build_reference(nb, status: dict, evidence_data: bytes) -> Reference:
    """Attribute each reference evidence line to the test cell that was running when it was written."""
    evidence = parse_evidence(evidence_data)
    spans = {entry["index"]: (entry.get("evidence_start", 0),
                              entry.get("evidence_end", entry.get("evidence_start", 0)))
             for entry in status.get("cells", [])}
    located = _keys_by_offset(evidence_data)
    cell_keys, points, problems, unjudged, extra = {}, {}, list(evidence.problems), set(), set()
    for index, cell in enumerate(nb.cells):
        if not is_autograded_test(cell):
            continue
        gid = grade_id(cell)
        points[gid] = extra_credit(cell) or float(nbgrader_meta(cell).get("points", 0))
        if extra_credit(cell):
            extra.add(gid)
        if not _asserts(split_hidden(cell.source)[0]):
            unjudged.add(gid)
        start, end = spans.get(index, (0, 0))
        keys = []
        for offset, key in located:
            if start <= offset < end and key not in keys:
                keys.append(key)
        cell_keys[gid] = keys
        if not keys:
            problems.append(f"{gid}: the reference recorded no evidence, so the cell can never "
                            f"earn points (a test authoring error)")
    if not status.get("finished"):
        problems.append(f"the reference run stopped early: {status.get('stop_reason')}")
    return Reference(evidence, cell_keys, points, problems, unjudged=unjudged, extra=extra)


def kernel_verdicts(nb, status: dict) -> dict[str, bool | None]:
    """What the student's own kernel said about each test cell: passed, failed, or never ran."""
    ran = {entry["index"]: entry["status"] for entry in status.get("cells", [])}
    verdicts = {}
    for index, cell in enumerate(nb.cells):
        if not is_autograded_test(cell):
            continue
        gid = grade_id(cell)
        if index not in ran:
            verdicts[gid] = None
        else:
            failed = ran[index] != "ok" or any(
                o.get("output_type") == "error" for o in cell.get("outputs", []))
            verdicts[gid] = not failed
    return verdicts


def score(reference: Reference, student: Evidence, kernel: dict[str, bool | None]) -> dict[str, CellVerdict]:
    verdicts = {}
    for gid, keys in reference.cell_keys.items():
        top = reference.points[gid]
        reasons = [r for r in (check_key(k, student, reference.evidence) for k in keys) if r]
        if not keys:
            reasons.append("this test recorded no evidence in the reference run")
        passed = not reasons
        verdict = CellVerdict(gid, top, top if passed else 0.0, kernel.get(gid), reasons,
                              extra_credit=gid in reference.extra)
        # hidden tests record and never judge in the kernel (no answers there): a cell whose
        # visible part asserts nothing passing in the kernel says nothing; a cell that asserted,
        # passed there and failed outside is a sign of tampering
        if verdict.kernel_passed is True and not passed and gid not in reference.unjudged:
            verdict.flags.append("needs review: the student's kernel passed this test, the trusted check did not")
        elif verdict.kernel_passed is False and passed:
            verdict.flags.append("needs review: the trusted check passed, the test failed in the student's kernel")
        verdicts[gid] = verdict
    return verdicts
