"""Evidence files as the trusted side reads them: bounded, plain JSON, never a student's object."""
from __future__ import annotations

from dataclasses import dataclass, field

from .hostile import Untrusted, loads_bounded

MAX_EVIDENCE_BYTES = 64 << 20
MAX_EVIDENCE_LINES = 200_000
MAX_PROBLEMS = 20           # unreadable lines named one by one; beyond that only counted


@dataclass
class Evidence:
    """Recorded values per key, in the order they were recorded."""
    values: dict[str, list] = field(default_factory=dict)
    checks: dict[str, list[dict]] = field(default_factory=dict)   # each record's own check, in order
    problems: list[str] = field(default_factory=list)


def parse_evidence(data: bytes) -> Evidence:
    """Evidence from the raw bytes of an evidence file; unreadable lines are noted and skipped.

    The bytes come from a sandbox: a line may be any text at all, nested without end, or one of
    millions. Size, line count and nesting depth are bounded (hostile.loads_bounded), and
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
