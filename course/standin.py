"""The grader interface block of every notebook's set-up cell, generated from the kernel's own code.

In the grader's sandbox a notebook imports record, probe_rng and outcome from
autograder/kernel/evidence.py. Anywhere else (Colab, a laptop) that import fails and the notebook
uses the block's fallback: the STAND-IN region of evidence.py, copied verbatim, and a record() that
does nothing. Because the fallback is the grader's code, probes and outcomes are the same inside
and outside the grader, and they cannot drift apart: `course check` reports a notebook whose block
is not the current one, and `course standin` rewrites it.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder.cells import grade_id
from autograder.kernel import evidence

BEGIN = "# ---- grader interface (generated from the grader's code; do not edit) ----"
END = "# ---- end of grader interface ----"
SETUP_CELL = "setup_imports"
USES_RE = re.compile(r"\b(record|probe_rng|outcome)\(")
_BLOCK_RE = re.compile(rf"^{re.escape(BEGIN)}\n.*?^{re.escape(END)}\n?", re.S | re.M)


def _region() -> list[str]:
    lines = Path(evidence.__file__).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# >>> STAND-IN"))
    end = next(i for i, line in enumerate(lines) if line.startswith("# <<< STAND-IN"))
    return lines[start + 1:end]


def block() -> str:
    body = [("    " + line) if line.strip() else "" for line in _region()]
    return "\n".join([
        BEGIN,
        "# In the course's grader these come from its own module and record what the tests observe;",
        "# anywhere else (Colab, a laptop) the same code stands in, and record() keeps nothing.",
        "try:",
        "    from autograder.kernel.evidence import outcome, probe_rng, record",
        "except ImportError:",
        *body,
        "",
        "    def record(key, value, **check):",
        '        """Outside the course\'s grader there is nothing to record to."""',
        END,
    ]) + "\n"


def setup_cell(nb):
    return next((c for c in nb.cells if grade_id(c) == SETUP_CELL), None)


def uses_interface(nb) -> bool:
    return any(c.cell_type == "code" and USES_RE.search(c.source) for c in nb.cells)


def problem(nb) -> str | None:
    """Why the notebook's grader interface block is not the current one, or None."""
    if not uses_interface(nb):
        return None
    cell = setup_cell(nb)
    if cell is None:
        return f"the notebook records evidence but has no {SETUP_CELL} cell for the grader interface"
    found = _BLOCK_RE.search(cell.source)
    if found is None:
        return f"the {SETUP_CELL} cell has no grader interface block (run `course standin`)"
    if found.group(0).rstrip("\n") != block().rstrip("\n"):
        return f"the {SETUP_CELL} cell's grader interface block is out of date (run `course standin`)"
    return None


def refresh(path: Path) -> bool:
    """Write the current block into a source notebook's set-up cell; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    cell = setup_cell(nb)
    if cell is None or not uses_interface(nb):
        return False
    new = _BLOCK_RE.sub(lambda _: block(), cell.source, count=1) if _BLOCK_RE.search(cell.source) else None
    if new is None:
        raise ValueError(f"{path}: the {SETUP_CELL} cell has no grader interface block to refresh")
    if new == cell.source:
        return False
    cell.source = new
    nbformat.write(nb, path)
    return True
