"""What a notebook cell is to nbgrader, read in one place, and its hidden-test region.

Cell metadata may come from a student's file: every reader here tolerates any
shape of it and never raises.
"""
from __future__ import annotations

import re

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"


def _region_re(begin: str, end: str) -> re.Pattern:
    """A whole region, marker lines included, as nbgrader finds it (markers may be indented)."""
    return re.compile(rf"^[ \t]*{begin}[^\n]*\n.*?^[ \t]*{end}[^\n]*(\n|$)", re.S | re.M)


# A written answer's marking scheme: a locked markdown cell `rubric_<topic>` right after the answer
# cell `answer_<topic>`, its text inside nbgrader's mark scheme markers. nbgrader saves the locked
# cell to the gradebook before ClearMarkScheme empties it in the release, so a graded notebook (what
# formgrader shows) has it back; the markers may sit anywhere in a line, as nbgrader finds them.
MARK_SCHEME_BEGIN = "BEGIN MARK SCHEME"
MARK_SCHEME_END = "END MARK SCHEME"
RUBRIC_PREFIX = "rubric_"
ANSWER_PREFIX = "answer_"

REGIONS = {"solution": _region_re(SOLUTION_BEGIN, SOLUTION_END),
           "hidden test": _region_re(HIDDEN_BEGIN, HIDDEN_END),
           "mark scheme": _region_re(rf"[^\n]*{MARK_SCHEME_BEGIN}", rf"[^\n]*{MARK_SCHEME_END}")}
_HIDDEN_RE = REGIONS["hidden test"]
# A line this long (and not a comment) found in an output means the output quotes a hidden test.
TELLING_LINE_CHARS = 12


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    found = meta.get("nbgrader") if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def grade_id(cell) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


# Extra credit: nbgrader knows extra credit only as a number a person types in formgrader, next to
# a graded cell's score. A cell worth extra credit has nbgrader points 0 (so the notebook's maximum,
# the base total, stays) and says what it can earn on top in metadata.autograder.extra_credit (a key
# outside nbgrader's own metadata, which its schema keeps closed). A written answer worth extra
# credit (the course-feedback bonus) is scored by a person: 0 points, the extra credit typed in.
EXTRA_CREDIT_NAMESPACE = "autograder"


def extra_credit(cell) -> float:
    """The extra credit a cell declares (0 for an ordinary cell or any malformed value)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    ours = meta.get(EXTRA_CREDIT_NAMESPACE) if isinstance(meta, dict) else None
    value = ours.get("extra_credit") if isinstance(ours, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0.0


def is_autograded_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade") is True and not meta.get("solution") and cell.get("cell_type") == "code")


def is_rubric(cell) -> bool:
    """A marking scheme cell (for graders; empty in the release, restored from the gradebook)."""
    gid = grade_id(cell)
    return bool(gid and gid.startswith(RUBRIC_PREFIX) and cell.get("cell_type") == "markdown"
                and nbgrader_meta(cell).get("locked") is True and not nbgrader_meta(cell).get("grade"))


def without_mark_schemes(source: str) -> str:
    """A cell's source with every mark scheme region (markers included) cut out."""
    return REGIONS["mark scheme"].sub("", source)


def split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell's source: the hidden part is every
    BEGIN/END HIDDEN TESTS region, markers included; the visible part is what students see."""
    hidden = "".join(m.group(0) for m in _HIDDEN_RE.finditer(source))
    return _HIDDEN_RE.sub("", source), hidden


def regions(source: str, kind: str) -> list[str]:
    """Every `kind` ("solution", "hidden test" or "mark scheme") region of a cell's source, markers included."""
    return [m.group(0) for m in REGIONS[kind].finditer(source)]


def telling_lines(text: str) -> set[str]:
    """Lines of code long enough that finding one elsewhere means the text leaked."""
    return {line.strip() for line in text.splitlines()
            if len(line.strip()) >= TELLING_LINE_CHARS and not line.strip().startswith("#")}


def hidden_secrets(restored_cells, visible_cells) -> set[str]:
    """The telling lines of a notebook's hidden tests that appear nowhere in what students see:
    a line such as `with torch.no_grad():` is in the narrative and the visible cells too, and
    finding it in an output says nothing. Substrings count: `_layer = X()` is not secret where
    `check_layer = X()` is visible."""
    visible = "\n".join(str(c.get("source", "")) for c in visible_cells)
    secrets = set()
    for cell in restored_cells:
        if cell.get("cell_type") == "code":
            secrets |= telling_lines(split_hidden(str(cell.get("source", "")))[1])
    return {line for line in secrets if line not in visible}
