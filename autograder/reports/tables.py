"""Plain-text score tables of an assignment, from the gradebook: the full tables (a column per
question, for report.html) and the terminal's summary, which fits a normal terminal."""
from __future__ import annotations

import textwrap
import unicodedata
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
    """Written answers: graded points so far, how many still wait for a person, and how many a
    person should look at again (the answer changed after it was graded)."""
    text = f"{t.manual:g}/{t.manual_max:g}"
    return text + (f", {t.pending} pending" if t.pending else "") + (f", {t.recheck} recheck" if t.recheck else "")


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
    widths = [_columns(col) for col in zip(header, *rows)]
    pad = lambda c, w: str(c) + " " * (w - _display_width(str(c)))  # noqa: E731
    line = lambda cells: "  ".join(pad(c, w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
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


# -- the terminal's summary ------------------------------------------------------------------------
# A column per question makes 20+ columns, which wrap into noise on a terminal: the terminal gets
# per-notebook totals and where points went (questions.csv and report.html keep every question).
TERMINAL_WIDTH = 100
WEAKEST_SHOWN = 5
MIN_FREE_COLUMNS = 30   # "lost most on" narrower than this says too little: it gets a table of its own


def terminal_table(results: list[NotebookResult], width: int = TERMINAL_WIDTH) -> str:
    """A row per student (each notebook's points, the automatic points, the written answers, the
    total and the questions where the student lost most: beside them, or in a table of their own
    below when the width leaves too little room), then the class's weakest questions; no line is
    wider than `width` terminal columns."""
    graded = [r for r in results if not r.error]
    notebooks = sorted({r.notebook for r in graded})
    parts = []
    if graded:
        parts.append(_summary_rows(graded, notebooks, width))
        weakest = weakest_questions(graded, notebooks)
        if weakest:
            parts.append(_wrap_items("weakest questions (share of their points the class earned):",
                                     [f"{name} {share:.0%}" for name, share in weakest], width))
    rejected = [r for r in results if r.error]
    if rejected:
        parts.append("\n".join(_wrap(f"{r.student}: ERROR: {r.error}", width) for r in rejected))
    return "\n\n".join(parts)


def _label(notebook: str, question: str, notebooks: list[str], clashes: set[str]) -> str:
    return f"{notebook}/{question}" if len(notebooks) > 1 and question in clashes else question


def _clashes(results: list[NotebookResult]) -> set[str]:
    """Question names that more than one notebook of the assignment has."""
    seen: dict[str, set[str]] = {}
    for r in results:
        for q in per_question(r):
            seen.setdefault(q, set()).add(r.notebook)
    return {q for q, where in seen.items() if len(where) > 1}


def lost_most(results: list[NotebookResult], notebooks: list[str], clashes: set[str]) -> list[tuple[str, float]]:
    """One student's questions that lost points, the biggest loss first: (label, points lost).
    A written answer waiting for a person has lost nothing yet."""
    lost = []
    for r in sorted(results, key=lambda r: notebooks.index(r.notebook)):
        for q, score in per_question(r).items():
            if score.score is not None and score.score < score.max_score:
                lost.append((_label(r.notebook, q, notebooks, clashes), score.max_score - score.score))
    return sorted(lost, key=lambda item: -item[1])


def weakest_questions(results: list[NotebookResult], notebooks: list[str],
                      shown: int = WEAKEST_SHOWN) -> list[tuple[str, float]]:
    """The questions whose points the class earned least of: (label, share earned), lowest first;
    only questions someone lost points on, and none that some student's answer still waits on."""
    clashes = _clashes(results)
    earned: dict[str, list[float]] = {}
    waiting: set[str] = set()   # a written answer some student still waits on says nothing of the class yet
    for r in results:
        for q, score in per_question(r).items():
            if score.score is None:
                waiting.add(_label(r.notebook, q, notebooks, clashes))
            elif score.max_score:
                tally = earned.setdefault(_label(r.notebook, q, notebooks, clashes), [0.0, 0.0])
                tally[0] += min(score.score, score.max_score)
                tally[1] += score.max_score
    shares = [(label, got / top) for label, (got, top) in earned.items() if got < top and label not in waiting]
    return sorted(shares, key=lambda item: (item[1], item[0]))[:shown]


def _summary_rows(results: list[NotebookResult], notebooks: list[str], width: int) -> str:
    written = any(r.totals.manual_max for r in results)
    clashes = _clashes(results)
    header = ["student", *(notebooks if len(notebooks) > 1 else []), "auto",
              *(["written"] if written else []), "total"]
    rows, losses = [], []
    for student in sorted({r.student for r in results}):
        mine = {r.notebook: r for r in results if r.student == student}
        t = totals_of(mine.values())
        per_notebook = [_points(mine[nb].totals.score, mine[nb].totals.max_score) if nb in mine else "-"
                        for nb in notebooks] if len(notebooks) > 1 else []
        rows.append([student, *per_notebook, _points(t.auto, t.auto_max), *([written_cell(t)] if written else []),
                     _points(t.score - t.extra_credit, t.max_score, t.extra_credit)])
        losses.append(", ".join(f"{name} -{points:g}" for name, points in lost_most(mine.values(), notebooks, clashes))
                      or "-")
    return _fit(header + ["lost most on"], [row + [lost] for row, lost in zip(rows, losses)], width)


def _fit(header: list[str], rows: list[list[str]], width: int) -> str:
    """_layout within `width` columns: no cell wider than a third of it; columns that do not fit go
    to a further table below, with the first column again; the last column (free text) is cut to
    the room the last table leaves, or gets a table of its own when that room is too little."""
    cap = max(8, width // 3)
    free = [row[-1] for row in [header, *rows]]
    table = [[_clip(c, cap) for c in row[:-1]] for row in [header, *rows]]
    fixed = [_columns(col) for col in zip(*table)]
    groups, current, used = [], [], fixed[0]
    for i in range(1, len(fixed)):
        if current and used + 2 + fixed[i] > width:
            groups.append(current)
            current, used = [], fixed[0]
        current.append(i)
        used += 2 + fixed[i]
    groups.append(current)
    room = width - used - 2
    if room < MIN_FREE_COLUMNS:   # the free text gets a table of its own rather than a sliver
        groups.append([])
        room = width - fixed[0] - 2
    out = []
    for n, group in enumerate(groups):
        cells = [[row[0], *(row[i] for i in group)] for row in table]
        if n == len(groups) - 1:
            cells = [row + [_clip(text, room)] for row, text in zip(cells, free)]
        out.append(_layout(cells[0], cells[1:]))
    return "\n\n".join(out)


def _columns(cells) -> int:
    return max(_display_width(str(c)) for c in cells)


def _display_width(text: str) -> int:
    """Terminal columns: East Asian wide characters (Hangul among them) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clip(text: str, columns: int) -> str:
    if _display_width(text) <= columns:
        return text
    out = ""
    for ch in text:
        if _display_width(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


def _wrap_items(lead: str, items: list[str], width: int) -> str:
    """lead, then the items separated by commas, a line broken only between items (an item
    longer than a line is cut)."""
    lines, line = [], lead
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if _display_width(line) + 1 + _display_width(piece) > width and line.strip():
            lines.append(line)
            line = "   "
        line += " " + piece
    lines.append(line)
    return "\n".join(_clip(x, width) for x in lines)


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, subsequent_indent="    ", break_long_words=True)
    return "\n".join(_clip(line, width) for line in lines)
