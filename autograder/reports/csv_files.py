"""Every CSV file the kit writes (grades, questions, the LMS upload), through one writer.

The writer neutralises every text cell (an id, a display name, an error message, a student can
influence all of them) so a spreadsheet never evaluates one as a formula; numbers are written as
numbers.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .results import NotebookResult, totals_of
from .tables import per_question

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as it is: a number as a number; a text that starts like a
    formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, so a student's display
    name such as `=HYPERLINK(...)` is never evaluated."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path, header: list[str], rows, encoding: str = "utf-8") -> Path:
    """The one CSV writer: a header, then rows of raw values, each made safe by csv_cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow([csv_cell(h) for h in header])
        writer.writerows([csv_cell(v) for v in row] for row in rows)
    return path


def write_csvs(results: list[NotebookResult], out_dir: Path, names: dict[str, str] | None = None) -> dict[str, Path]:
    """grades.csv (one row per student and notebook) and questions.csv (one row per question)."""
    names = names or {}

    def grade_row(r: NotebookResult) -> list:
        if r.error:
            return [r.student, names.get(r.student, ""), r.assignment, r.notebook, *[""] * 8, r.error]
        t = r.totals
        return [r.student, names.get(r.student, ""), r.assignment, r.notebook, t.auto, t.auto_max,
                t.manual, t.manual_max, t.pending, t.extra_credit, t.score, t.max_score, ""]

    grades = write_csv(out_dir / "grades.csv",
                       ["student", "name", "assignment", "notebook", "auto_score", "auto_max", "manual_score",
                        "manual_max", "manual_pending", "extra_credit", "score", "max_score", "error"],
                       (grade_row(r) for r in results))
    per_q = write_csv(out_dir / "questions.csv",
                      ["student", "assignment", "notebook", "question", "kind", "status", "score", "max_score",
                       "extra_credit"],
                      ([r.student, r.assignment, r.notebook, name, "written" if q.manual else "test", q.status,
                        q.score, q.max_score, q.extra_credit]
                       for r in results for name, q in per_question(r).items()))
    return {"grades": grades, "questions": per_q}


def write_lms_csv(results: list[NotebookResult], names: dict[str, str], path: Path,
                  remarks: dict[str, str] | None = None) -> Path:
    """One row per student (every student in `names`, the gradebook's roster, and every student
    with a result): id, name, total, the assignment's maximum, each notebook's points and a status.
    UTF-8 with BOM, so spreadsheet apps and LMS importers read Korean names right. A student
    without a grade has an empty total, never a zero nobody gave. `remarks` adds to a status."""
    remarks = remarks or {}
    notebooks = sorted({r.notebook for r in results if not r.error})
    top = {r.notebook: r.totals.max_score for r in results if not r.error}
    by_student: dict[str, list[NotebookResult]] = {s: [] for s in names}
    for r in results:
        by_student.setdefault(r.student, []).append(r)

    def row(student: str, mine: list[NotebookResult]) -> list:
        graded = {r.notebook: r for r in mine if not r.error}
        errors = [r.error for r in mine if r.error]
        if not graded:
            status = f"not graded: {errors[0]}" if errors else "no submission"
            return [student, names.get(student, ""), "", sum(top.values()) if top else "",
                    *[""] * len(notebooks), _status(status, remarks.get(student))]
        t = totals_of(graded.values())
        status = _count(t.pending, "written answer") + " to grade" if t.pending else "graded"
        if t.recheck:
            status += f"; {_count(t.recheck, 'score')} to check again (the answer changed since)"
        return [student, names.get(student, ""), t.score, sum(top.values()),
                *(graded[nb].totals.score if nb in graded else "" for nb in notebooks),
                _status(status, remarks.get(student))]

    return write_csv(path, ["student_id", "name", "total", "max_score", *notebooks, "status"],
                     (row(student, mine) for student, mine in sorted(by_student.items())),
                     encoding="utf-8-sig")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _status(status: str, remark: str | None) -> str:
    return f"{status}; {remark}" if remark else status
