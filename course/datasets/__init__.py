"""Data sets of the course.

Generated ones (dates) are deterministic and their copies are committed next to the notebooks;
downloaded ones (tiny shakespeare) are fetched once, checked by SHA-256 and never committed.
"""
from __future__ import annotations

from pathlib import Path


def external_files(assignment: str) -> dict[str, Path]:
    """Files an assignment's notebooks read that are not in its source folder: {name in the
    notebook's working folder: local path}. Raises DatasetError when one cannot be had."""
    if assignment == "04_simple_gpt":
        from course.datasets import shakespeare
        return {shakespeare.FILE_NAME: shakespeare.locate()}
    return {}
