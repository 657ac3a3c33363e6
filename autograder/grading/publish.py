"""Turn a finished run into what people read: the table, CSVs, the LMS file, the HTML report."""
from __future__ import annotations

from pathlib import Path

from ..reports.csv_files import write_csvs, write_lms_csv
from ..reports.html_report import plot_distributions, write_html
from ..reports.results import NotebookResult, read_scores
from ..reports.tables import score_table
from .outcomes import GradeRun


def run_results(root: Path, run: GradeRun) -> list[NotebookResult]:
    """Scores from the gradebook (the one truth, resumed jobs included) plus rejected submissions."""
    graded = sorted({o.student for o in run.outcomes})
    results = read_scores(root, run.assignment, graded)
    for student, reason in sorted(run.rejected.items()):
        results.append(NotebookResult(student, run.assignment, "-", error=reason))
    return sorted(results, key=lambda r: (r.student, r.notebook))


def run_flags(run: GradeRun) -> list[tuple[str, str]]:
    flags = [("reference", p) for p in run.reference_problems]
    for o in sorted(run.outcomes, key=lambda o: (o.student, o.notebook)):
        who = f"{o.student} / {o.notebook}"
        flags += [(who, f) for f in o.flags]
        flags += [(who, n) for n in o.notes if n != run.isolation_warning]
    flags += [(student, f"not graded: {reason}") for student, reason in sorted(run.rejected.items())]
    flags += [("intake", n) for n in run.notes]
    return flags


def header_notes(run: GradeRun) -> list[str]:
    notes = []
    if run.isolation != "bubblewrap":
        notes.append(f"WARNING: {run.isolation_warning or 'sandbox fallback in use'}")
    return notes


def publish(root: Path, run: GradeRun) -> tuple[str, dict[str, Path]]:
    results = run_results(root, run)
    out = root / "reports" / run.assignment
    paths = write_csvs(results, out)
    paths["lms"] = write_lms_csv(results, run.names, out / "lms.csv")
    plots = plot_distributions(results, out / "plots")
    paths["html"] = write_html(out / "report.html", run.assignment, results, plots, run_flags(run),
                               header_notes(run))
    paths["feedback"] = root / "feedback"
    return score_table(results), paths
