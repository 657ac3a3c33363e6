"""Look at a submission before grading it: a malformed one is reported and skipped."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

from ..trusted.hostile import depth_ok

MAX_NOTEBOOK_BYTES = 20 << 20  # far above any honest notebook of this course
# Also far above any honest notebook (the largest source has under 200 cells): 100,000 empty
# cells took nbgrader's restore 50 s before any sandbox started.
MAX_CELLS = 2_000
MAX_SUBMITTED_OUTPUTS = 20_000


def notebook_problem(path: Path) -> str | None:
    """Why this file cannot be graded, or None when it can."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return f"cannot read {path.name}: {err.strerror}"
    if size > MAX_NOTEBOOK_BYTES:
        return f"{path.name} is {size >> 20} MB, over the {MAX_NOTEBOOK_BYTES >> 20} MB limit"
    try:
        data = path.read_bytes()
    except OSError as err:
        return f"cannot read {path.name}: {err.strerror}"
    return data_problem(path.name, data)


def data_problem(name: str, data: bytes) -> str | None:
    """Why these bytes, handed in as the notebook `name`, cannot be graded, or None when they can
    (an LMS zip's member is checked so before it is written anywhere)."""
    if not data:
        return f"{name} is empty"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return f"{name} is {len(data) >> 20} MB, over the {MAX_NOTEBOOK_BYTES >> 20} MB limit"
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return f"{name} is not UTF-8 text"
    except json.JSONDecodeError as err:
        return f"{name} is not valid JSON (line {err.lineno}: {err.msg})"
    except RecursionError:
        return f"{name} is nested too deeply to be a notebook"
    if not depth_ok(raw):
        return f"{name} is nested too deeply to be a notebook"
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        found = raw.get("nbformat") if isinstance(raw, dict) else type(raw).__name__
        return f"{name} is not an nbformat 4 notebook (nbformat {found})"
    cells = raw.get("cells")
    if isinstance(cells, list):
        if len(cells) > MAX_CELLS:
            return f"{name} has {len(cells)} cells, more than the {MAX_CELLS} this grader accepts"
        outputs = sum(len(c.get("outputs", [])) for c in cells
                      if isinstance(c, dict) and isinstance(c.get("outputs", []), list))
        if outputs > MAX_SUBMITTED_OUTPUTS:
            return (f"{name} has {outputs} outputs, more than the {MAX_SUBMITTED_OUTPUTS} this "
                    f"grader accepts (clear the outputs and hand it in again)")
    try:
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    except nbformat.ValidationError as err:
        return f"{name} does not follow the notebook schema: {str(err).splitlines()[0]}"
    return None


def submission_problems(folder: Path, expected: list[str]) -> list[str]:
    """Problems of one student's assignment folder against the released notebook names."""
    if not folder.is_dir():
        return [f"{folder} is not a folder"]
    found = sorted(p.name for p in folder.glob("*.ipynb"))
    problems = []
    for name in expected:
        if name not in found:
            others = ", ".join(found) or "no notebook"
            problems.append(f"{name} is missing (found {others})")
        else:
            issue = notebook_problem(folder / name)
            if issue:
                problems.append(issue)
    return problems
