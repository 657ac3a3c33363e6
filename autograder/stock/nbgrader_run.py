"""Grading with stock nbgrader (autograde in the student's kernel, serially).

This is nbgrader exactly as it ships, configured by nbgrader_config.py. One
student's failure is recorded and the batch goes on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..nbgrader_app import api


@dataclass
class StepOutcome:
    student: str
    ok: bool
    message: str = ""


def _first_error_line(result: dict) -> str:
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "[ERROR]" in ln or "Error" in ln]
    return (errors or lines or ["nbgrader reported failure without a message"])[0][:300]


def autograde(root: Path, assignment: str, students: list[str]) -> list[StepOutcome]:
    nbgrader = api(root)
    outcomes = []
    for student in students:
        result = nbgrader.autograde(assignment, student, force=True, create=True)
        ok = bool(result.get("success"))
        outcomes.append(StepOutcome(student, ok, "" if ok else _first_error_line(result)))
    return outcomes


def generate_feedback(root: Path, assignment: str, students: list[str]) -> list[StepOutcome]:
    nbgrader = api(root)
    outcomes = []
    for student in students:
        result = nbgrader.generate_feedback(assignment, student, force=True)
        ok = bool(result.get("success"))
        outcomes.append(StepOutcome(student, ok, "" if ok else _first_error_line(result)))
    return outcomes
