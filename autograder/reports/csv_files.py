"""Every CSV file the kit writes (grades, questions, the LMS upload), through one writer.

A CSV cell a student can influence (an id, a display name, an error message) is neutralised so a
spreadsheet never evaluates it as a formula.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .results import NotebookResult
from .tables import per_question

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (=, +, -, @, tab,
    carriage return) gets a leading apostrophe, so a student's display name such as
    `=HYPERLINK(...)` is never evaluated. Numbers are written by the caller, not through here."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]


def write_csv(path: Path, header: list[str], rows, encoding: str = "utf-8") -> Path:
    """The one CSV writer: a header, then rows whose cells the caller made safe (csv_row for
    text, formatted numbers as they are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_csvs(results: list[NotebookResult], out_dir: Path) -> dict[str, Path]:
    """grades.csv (one row per student and notebook) and questions.csv (one row per question)."""
    grades = write_csv(out_dir / "grades.csv",
                       ["student", "assignment", "notebook", "auto_score", "auto_max", "manual_pending", "error"],
                       ([*csv_row([r.student, r.assignment, r.notebook]), f"{r.auto_score:g}", f"{r.auto_max:g}",
                         sum(1 for c in r.cells.values() if c.score is None), csv_cell(r.error or "")]
                        for r in results))
    per_q = write_csv(out_dir / "questions.csv",
                      ["student", "assignment", "notebook", "question", "score", "max_score"],
                      ([*csv_row([r.student, r.assignment, r.notebook, q]),
                        "" if score is None else f"{score:g}", f"{top:g}"]
                       for r in results for q, (score, top) in per_question(r).items()))
    return {"grades": grades, "questions": per_q}


def write_lms_csv(results: list[NotebookResult], names: dict[str, str], path: Path) -> Path:
    """One row per student: id, name, autograded score, maximum. UTF-8 with BOM for spreadsheet apps."""
    totals: dict[str, list[float]] = {}
    for r in results:
        if r.error:
            totals.setdefault(r.student, [0.0, 0.0])
            continue
        score, top = totals.setdefault(r.student, [0.0, 0.0])
        totals[r.student] = [score + r.auto_score, top + r.auto_max]
    return write_csv(path, ["student_id", "name", "score", "max_score"],
                     ([*csv_row([student, names.get(student, "")]), f"{score:g}", f"{top:g}"]
                      for student, (score, top) in sorted(totals.items())),
                     encoding="utf-8-sig")
