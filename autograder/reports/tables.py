"""Plain-text score tables of an assignment, per notebook and per question, from the gradebook."""
from __future__ import annotations

from dataclasses import dataclass

from .results import CellScore, NotebookResult, Totals, question_of, totals_of

# a question's status is its most urgent cell's: one pending part makes the question pending
STATUS_ORDER = ("pending", "recheck", "graded", "blank", "auto")


@dataclass(frozen=True)
class QuestionScore:
    score: float | None          # None while a written answer waits for a person
    max_score: float
    extra_credit: float
    status: str                  # CellScore.status of its most urgent part
    manual: bool                 # a written answer


def questions(results: list[NotebookResult]) -> list[str]:
    """Question names in notebook order, visible and hidden parts merged."""
    seen: list[str] = []
    for result in results:
        for gid in result.cells:
            q = question_of(gid)
            if q not in seen:
                seen.append(q)
    return seen


def per_question(result: NotebookResult) -> dict[str, QuestionScore]:
    """question -> its score, the visible and hidden test cells of a question added up."""
    parts: dict[str, list[CellScore]] = {}
    for gid, cell in result.cells.items():
        parts.setdefault(question_of(gid), []).append(cell)
    out = {}
    for q, cells in parts.items():
        pending = any(c.score is None for c in cells)
        out[q] = QuestionScore(None if pending else sum(c.score for c in cells),
                               sum(c.max_score for c in cells), sum(c.extra_credit for c in cells),
                               min((c.status for c in cells), key=STATUS_ORDER.index),
                               any(c.manual for c in cells))
    return out


def _points(score: float, top: float, extra: float = 0.0) -> str:
    return f"{score:g}/{top:g}" + (f" +{extra:g}" if extra else "")


def _question_cell(q: QuestionScore) -> str:
    if q.score is None:
        return f"pending/{q.max_score:g}"
    text = _points(q.score, q.max_score, q.extra_credit)
    return f"{text} (recheck)" if q.status == "recheck" else text


def written_cell(t: Totals) -> str:
    """Written answers: graded points so far, and how many still wait for a person."""
    text = f"{t.manual:g}/{t.manual_max:g}"
    return text + (f", {t.pending} pending" if t.pending else "")


def score_table(results: list[NotebookResult]) -> str:
    """Plain-text tables, one per notebook (a row per student, a column per question, then the
    automatic points, the written answers and the total), and for an assignment of several
    notebooks a table of each student's totals."""
    graded = [r for r in results if not r.error]
    notebooks = sorted({r.notebook for r in graded})
    rejected = [r for r in results if r.error]
    tables = [_notebook_table([r for r in graded if r.notebook == nb]) for nb in notebooks]
    if len(tables) > 1:
        tables = [f"[{nb}]\n{table}" for nb, table in zip(notebooks, tables)]
        tables.append(f"[total]\n{_totals_table(graded, notebooks)}")
    if rejected:
        tables.append("\n".join(f"{r.student}: ERROR: {r.error}" for r in rejected))
    return "\n\n".join(tables)


def _layout(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _notebook_table(results: list[NotebookResult]) -> str:
    qs = questions(results)
    written = any(r.totals.manual_max for r in results)
    header = ["student", *qs, "auto", *(["written"] if written else []), "total"]
    rows = []
    for r in results:
        pq, t = per_question(r), r.totals
        rows.append([r.student, *(_question_cell(pq[q]) if q in pq else "-" for q in qs),
                     f"{t.auto:g}/{t.auto_max:g}", *([written_cell(t)] if written else []),
                     _points(t.score - t.extra_credit, t.max_score, t.extra_credit)])
    return _layout(header, rows)


def _totals_table(results: list[NotebookResult], notebooks: list[str]) -> str:
    students = sorted({r.student for r in results})
    header = ["student", *notebooks, "written", "total"]
    rows = []
    for student in students:
        mine = {r.notebook: r for r in results if r.student == student}
        t = totals_of(mine.values())
        rows.append([student, *(_points(mine[nb].totals.score, mine[nb].totals.max_score) if nb in mine else "-"
                                for nb in notebooks),
                     written_cell(t), _points(t.score - t.extra_credit, t.max_score, t.extra_credit)])
    return _layout(header, rows)
