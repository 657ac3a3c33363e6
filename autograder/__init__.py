"""Grading pipeline: intake of submissions, grading, scores, reports."""
