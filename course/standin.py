"""Blocks of set-up cells generated from the course's own code, so notebooks run anywhere.

The grader interface block (every notebook's setup_imports cell). In the grader's sandbox a
notebook imports record, probe_rng and outcome from autograder/kernel/evidence.py. Anywhere else
(Colab, a laptop) that import fails and the notebook uses the block's fallback: the STAND-IN region
of evidence.py, copied verbatim, and a record() that does nothing. Because the fallback is the
grader's code, probes and outcomes are the same inside and outside the grader, and they cannot
drift apart.

The date data block (the setup_dates cell of 02 and 03). Those notebooks read dates.tsv, handed
out beside them; a notebook opened on Colab comes alone. The block holds the NOTEBOOK COPY region
of course/datasets/dates.py, the generator that made the file, and the SHA-256 of its text: the
notebook reads the file where it is and makes it again where it is not, and checks either against
the digest. Making it again beats fetching it from the course's repository: no network, no public
repository, no branch that must still hold the file, and a Python version cannot change the
result (dates.py draws only on random.random(), whose sequence Python keeps). The digest catches
an edited or stale dates.tsv and a copy of the generator that no longer makes the course's file.

`course check` reports a notebook whose block is not the current one, and `course standin`
rewrites it.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.cells import grade_id
from autograder.kernel import evidence

from .datasets import dates

BEGIN = "# ---- grader interface (generated from the grader's code; do not edit) ----"
END = "# ---- end of grader interface ----"
SETUP_CELL = "setup_imports"
USES_RE = re.compile(r"\b(record|probe_rng|outcome)\(")
DATES_BEGIN = "# ---- date data (generated from course/datasets/dates.py; do not edit) ----"
DATES_END = "# ---- end of date data ----"
DATES_CELL = "setup_dates"


def _region(module, marker: str) -> list[str]:
    """The lines between `# >>> marker` and `# <<< marker` of a module's source, trailing blanks dropped."""
    lines = Path(module.__file__).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"# >>> {marker}"))
    end = next(i for i, line in enumerate(lines) if line.startswith(f"# <<< {marker}"))
    region = lines[start + 1:end]
    while region and not region[-1].strip():
        region.pop()
    return region


def _indented(lines: list[str]) -> list[str]:
    return [("    " + line) if line.strip() else "" for line in lines]


def block() -> str:
    """The grader interface block of a setup_imports cell."""
    return "\n".join([
        BEGIN,
        "# In the course's grader these come from its own module and record what the tests observe;",
        "# anywhere else (Colab, a laptop) the same code stands in, and record() keeps nothing.",
        "try:",
        "    from autograder.kernel.evidence import outcome, probe_rng, record",
        "except ImportError:",
        *_indented(_region(evidence, "STAND-IN")),
        "",
        "    def record(key, value, **check):",
        '        """Outside the course\'s grader there is nothing to record to."""',
        END,
    ]) + "\n"


def dates_sha256() -> str:
    """SHA-256 of the text of dates.tsv (tests/test_dates_dataset.py keeps each shipped copy equal to
    it). The text, not the bytes: a checkout that turned its line ends into CRLF still matches."""
    return hashlib.sha256(dates.to_tsv(dates.generate()).encode("utf-8")).hexdigest()


def dates_block() -> str:
    """The date data block of a setup_dates cell: read_dates_tsv(path) and what it needs."""
    return "\n".join([
        DATES_BEGIN,
        "# dates.tsv is handed out with this notebook. Where it is missing (a notebook opened on Colab comes",
        "# alone) the notebook makes it again with the course's own generator, copied below; either way",
        "# the text must have the SHA-256 of the course's file.",
        f'DATES_SHA256 = "{dates_sha256()}"',
        "",
        "",
        "def make_dates_tsv():",
        '    """The text of dates.tsv, made by the course\'s generator (course/datasets/dates.py)."""',
        "    import random",
        "    from datetime import date, timedelta",
        "    from typing import NamedTuple",
        "",
        *_indented(_region(dates, "NOTEBOOK COPY")),
        "",
        "    return to_tsv(generate())",
        "",
        "",
        "def read_dates_tsv(path):",
        '    """The text of the file at path, or where there is none the text the generator makes; either is',
        '    checked against DATES_SHA256."""',
        "    import hashlib",
        "    if path.exists():",
        '        text = path.read_text(encoding="utf-8")',
        '        fix = "Delete that file and run this cell again: the notebook then makes the data itself."',
        "    else:",
        '        print(f"{path} is not next to this notebook: making it with the course\'s generator")',
        '        text, fix = make_dates_tsv(), "Get the current release of this notebook."',
        '    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()',
        "    if digest != DATES_SHA256:",
        '        raise ValueError(f"{path.resolve()} is not the course\'s dates.tsv: its text has SHA-256 {digest}, "',
        '                         f"expected {DATES_SHA256}. {fix}")',
        "    return text",
        DATES_END,
    ]) + "\n"


def setup_cell(nb, cell_id: str = SETUP_CELL):
    return next((c for c in nb.cells if grade_id(c) == cell_id), None)


def uses_interface(nb) -> bool:
    return any(c.cell_type == "code" and USES_RE.search(c.source) for c in nb.cells)


@dataclass(frozen=True)
class Block:
    """A generated block: its first and last lines, the set-up cell it lives in, when a notebook needs it."""
    name: str
    begin: str
    end: str
    cell: str
    text: Callable[[], str]
    needed: Callable[[object], bool]

    def find(self, source: str):
        return re.search(rf"^{re.escape(self.begin)}\n.*?^{re.escape(self.end)}\n?", source, re.S | re.M)


BLOCKS = (
    Block("grader interface", BEGIN, END, SETUP_CELL, block, uses_interface),
    Block("date data", DATES_BEGIN, DATES_END, DATES_CELL, dates_block,
          lambda nb: setup_cell(nb, DATES_CELL) is not None),
)


def _problem(nb, spec: Block) -> str | None:
    if not spec.needed(nb):
        return None
    cell = setup_cell(nb, spec.cell)
    if cell is None:
        return f"the notebook records evidence but has no {spec.cell} cell for the {spec.name} block"
    found = spec.find(cell.source)
    if found is None:
        return f"the {spec.cell} cell has no {spec.name} block (run `course standin`)"
    if found.group(0).rstrip("\n") != spec.text().rstrip("\n"):
        return f"the {spec.cell} cell's {spec.name} block is out of date (run `course standin`)"
    return None


def problem(nb) -> str | None:
    """Why a generated block of the notebook is not the current one, or None."""
    return next((why for why in (_problem(nb, spec) for spec in BLOCKS) if why), None)


def refresh(path: Path) -> bool:
    """Write the current blocks into a source notebook's set-up cells; True when one changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for spec in BLOCKS:
        cell = setup_cell(nb, spec.cell)
        if cell is None or not spec.needed(nb):
            continue
        found = spec.find(cell.source)
        if found is None:
            raise ValueError(f"{path}: the {spec.cell} cell has no {spec.name} block to refresh")
        new = cell.source[:found.start()] + spec.text() + cell.source[found.end():]
        if new != cell.source:
            cell.source, changed = new, True
    if changed:
        nbformat.write(nb, path)
    return changed
