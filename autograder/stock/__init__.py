"""Grading with stock nbgrader, as it ships: the student's kernel judges itself, serially.

Kept to compare with (benchmarks) and for what stock nbgrader can check (visible tests); its
scores are never grades, since it cannot keep hidden tests from a student's code.
"""
from .batch import BatchResult, grade_assignment
from .nbgrader_run import StepOutcome, autograde, generate_feedback

__all__ = ["BatchResult", "StepOutcome", "autograde", "generate_feedback", "grade_assignment"]
