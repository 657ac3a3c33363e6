"""Plain-text score tables of a graded batch, per notebook and per question."""
from __future__ import annotations

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
