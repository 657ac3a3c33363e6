"""Look at a submission before grading it: a malformed one is reported and skipped."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 20 << 20  # far above any honest notebook of this course


def notebook_problem(path: Path) -> str | None:
    """Why this file cannot be graded, or None when it can."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return f"cannot read {path.name}: {err.strerror}"
    if size == 0:
        return f"{path.name} is empty"
    if size > MAX_NOTEBOOK_BYTES:
        return f"{path.name} is {size >> 20} MB, over the {MAX_NOTEBOOK_BYTES >> 20} MB limit"
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8 text"
    except json.JSONDecodeError as err:
        return f"{path.name} is not valid JSON (line {err.lineno}: {err.msg})"
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        found = raw.get("nbformat") if isinstance(raw, dict) else type(raw).__name__
        return f"{path.name} is not an nbformat 4 notebook (nbformat {found})"
    try:
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    except nbformat.ValidationError as err:
        return f"{path.name} does not follow the notebook schema: {str(err).splitlines()[0]}"
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
