"""Readable and machine-readable summaries of a graded batch."""
from __future__ import annotations

import csv
from pathlib import Path

from .results import NotebookResult, question_of


def questions(results: list[NotebookResult]) -> list[str]:
    """Question names in notebook order, visible and hidden parts merged."""
    seen: list[str] = []
    for result in results:
        for gid in result.cells:
            q = question_of(gid)
            if q not in seen:
                seen.append(q)
    return seen


def per_question(result: NotebookResult) -> dict[str, tuple[float | None, float]]:
    """question -> (score, max); score None while a written answer waits for a person."""
    out: dict[str, tuple[float | None, float]] = {}
    for gid, cell in result.cells.items():
        q = question_of(gid)
        score, top = out.get(q, (0.0, 0.0))
        score = None if (score is None or cell.score is None) else score + cell.score
        out[q] = (score, top + cell.max_score)
    return out


def _fmt(score: float | None, top: float) -> str:
    if score is None:
        return "manual"
    return f"{score:g}/{top:g}"


def score_table(results: list[NotebookResult]) -> str:
    """Plain-text tables, one per notebook: a row per student, a column per question."""
    notebooks = sorted({r.notebook for r in results if not r.error})
    rejected = [r for r in results if r.error]
    tables = [_notebook_table([r for r in results if r.notebook == nb and not r.error]) for nb in notebooks]
    if len(tables) > 1:
        tables = [f"[{nb}]\n{table}" for nb, table in zip(notebooks, tables)]
    if rejected:
        tables.append("\n".join(f"{r.student}: ERROR: {r.error}" for r in rejected))
    return "\n\n".join(tables)


def _notebook_table(results: list[NotebookResult]) -> str:
    qs = questions(results)
    header = ["student", *qs, "auto total"]
    rows = []
    for r in results:
        pq = per_question(r)
        rows.append([r.student, *(_fmt(*pq[q]) if q in pq else "-" for q in qs),
                     f"{r.auto_score:g}/{r.auto_max:g}"])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (=, +, -, @, tab,
    carriage return) gets a leading apostrophe, so a student's display name such as
    `=HYPERLINK(...)` is never evaluated. Numbers are written by the caller, not through here."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]


def write_csvs(results: list[NotebookResult], out_dir: Path) -> dict[str, Path]:
    """grades.csv (one row per student and notebook) and questions.csv (one row per question)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    grades = out_dir / "grades.csv"
    with grades.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "notebook", "auto_score", "auto_max",
                    "manual_pending", "error"])
        for r in results:
            pending = sum(1 for c in r.cells.values() if c.score is None)
            w.writerow([*csv_row([r.student, r.assignment, r.notebook]), f"{r.auto_score:g}",
                        f"{r.auto_max:g}", pending, csv_cell(r.error or "")])
    per_q = out_dir / "questions.csv"
    with per_q.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "notebook", "question", "score", "max_score"])
        for r in results:
            for q, (score, top) in per_question(r).items():
                w.writerow([*csv_row([r.student, r.assignment, r.notebook, q]),
                            "" if score is None else f"{score:g}", f"{top:g}"])
    return {"grades": grades, "questions": per_q}
