"""The instructor's view of a graded batch: an HTML page with the scores, plots and flags."""
from __future__ import annotations

import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from .pages import page  # noqa: E402
from .results import NotebookResult  # noqa: E402
from .tables import per_question, questions, score_table  # noqa: E402


def plot_distributions(results: list[NotebookResult], out_dir: Path) -> list[Path]:
    """One PNG per question: how the students' scores spread."""
    out_dir.mkdir(parents=True, exist_ok=True)
    graded = [r for r in results if not r.error]
    paths = []
    scored = [per_question(r) for r in graded]
    for q in questions(graded):
        parts = [pq[q] for pq in scored if q in pq]
        scores = [p.score for p in parts if p.score is not None]
        if not scores:
            continue  # a written answer nobody has graded yet
        top = max(p.max_score for p in parts)
        fig, ax = plt.subplots(figsize=(4, 2.4))
        sns.histplot(scores, bins=min(10, max(2, len(set(scores)))), binrange=(0, top), ax=ax)
        ax.set(title=q, xlabel=f"points (max {top:g})", ylabel="students")
        fig.tight_layout()
        path = out_dir / f"{q}.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths.append(path)
    return paths


def write_html(path: Path, assignment: str, results: list[NotebookResult], plots: list[Path],
               flags: list[tuple[str, str]], header_notes: list[str]) -> Path:
    esc = html.escape
    rows = "".join(f"<tr><td>{esc(who)}</td><td>{esc(what)}</td></tr>" for who, what in flags)
    notes = "".join(f"<p class='warn'>{esc(n)}</p>" for n in header_notes)
    images = "".join(f"<img src='{esc(p.parent.name)}/{esc(p.name)}' alt='{esc(p.stem)}'>" for p in plots)
    waiting = sum(r.totals.pending for r in results if not r.error)
    if waiting:
        notes += (f"<p>{waiting} written answer(s) wait for a person: grade them in formgrader, then "
                  f"<code>course report {esc(assignment)}</code> rebuilds this page and the CSV files.</p>")
    body = f"""<h1>{esc(assignment)}: grading report</h1>{notes}
<h2>Scores</h2><pre>{esc(score_table(results))}</pre>
<h2>Score distributions</h2>{images or "<p>No graded questions yet.</p>"}
<h2>Flags ({len(flags)})</h2>
<table><tr><th>who</th><th>what</th></tr>{rows or "<tr><td colspan=2>none</td></tr>"}</table>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(f"{assignment}: grading report", body), encoding="utf-8")
    return path
