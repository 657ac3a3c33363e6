"""The instructor's view of a graded batch: LMS CSV, and an HTML page with plots and flags."""
from __future__ import annotations

import csv
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from .report import csv_row, per_question, questions, score_table  # noqa: E402
from .results import NotebookResult  # noqa: E402


def write_lms_csv(results: list[NotebookResult], names: dict[str, str], path: Path) -> Path:
    """One row per student: id, name, autograded score, maximum. UTF-8 with BOM for spreadsheet apps."""
    totals: dict[str, list[float]] = {}
    for r in results:
        if r.error:
            totals.setdefault(r.student, [0.0, 0.0])
            continue
        score, top = totals.setdefault(r.student, [0.0, 0.0])
        totals[r.student] = [score + r.auto_score, top + r.auto_max]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "name", "score", "max_score"])
        for student in sorted(totals):
            score, top = totals[student]
            w.writerow([*csv_row([student, names.get(student, "")]), f"{score:g}", f"{top:g}"])
    return path


def plot_distributions(results: list[NotebookResult], out_dir: Path) -> list[Path]:
    """One PNG per question: how the students' scores spread."""
    out_dir.mkdir(parents=True, exist_ok=True)
    graded = [r for r in results if not r.error]
    paths = []
    for q in questions(graded):
        scores = [per_question(r)[q][0] for r in graded if q in per_question(r)]
        scores = [s for s in scores if s is not None]
        if not scores:
            continue  # a written answer nobody has graded yet
        top = max(per_question(r)[q][1] for r in graded if q in per_question(r))
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
    body = f"""<!doctype html><meta charset="utf-8"><title>{esc(assignment)}: grading report</title>
<style>body{{font-family:sans-serif;margin:2em}} pre{{background:#f6f6f6;padding:1em;overflow:auto}}
.warn{{background:#ffe9a8;padding:.6em;font-weight:bold}} td{{padding:.2em .8em;border-bottom:1px solid #ddd}}
img{{margin:.3em;border:1px solid #eee}}</style>
<h1>{esc(assignment)}: grading report</h1>{notes}
<h2>Scores</h2><pre>{esc(score_table(results))}</pre>
<h2>Score distributions</h2>{images or "<p>No graded questions yet.</p>"}
<h2>Flags ({len(flags)})</h2>
<table><tr><th>who</th><th>what</th></tr>{rows or "<tr><td colspan=2>none</td></tr>"}</table>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path
