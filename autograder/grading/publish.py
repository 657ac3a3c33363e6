"""What people read, rebuilt from the gradebook: the table, the CSVs, the LMS file, the HTML report.

Every report covers every student of the assignment, as the gradebook holds them: the trusted
scores, a person's scores and comments from formgrader, extra credit. A run adds only what it
alone knows (this run's rejected submissions, intake notes, reference problems); `report()`
rebuilds the same files with no run at all, after manual grading.
"""
from __future__ import annotations

from pathlib import Path

from .. import sandbox
from ..reports.csv_files import write_csvs, write_lms_csv
from ..reports.html_report import plot_distributions, write_html
from ..reports.results import NotebookResult, read_roster, read_scores
from ..reports.tables import terminal_table
from . import gradebook
from .journal import Journal, journal_path
from .outcomes import GradeRun


def class_results(root: Path, assignment: str, run: GradeRun | None = None) -> list[NotebookResult]:
    """Every student's scores from the gradebook, plus a row for each submission this run
    rejected from a student the gradebook has no grade for."""
    results = read_scores(root, assignment)
    known = {r.student for r in results}
    for student, reason in sorted((run.rejected if run else {}).items()):
        if student not in known:
            results.append(NotebookResult(student, assignment, "-", error=reason))
    return sorted(results, key=lambda r: (r.student, r.notebook))


def run_flags(run: GradeRun) -> list[tuple[str, str]]:
    """What this run found: the reference's problems, each graded notebook's flags and notes,
    rejected submissions, intake notes."""
    flags = [("reference", p) for p in run.reference_problems]
    for o in sorted(run.outcomes, key=lambda o: (o.student, o.notebook)):
        who = f"{o.student} / {o.notebook}"
        flags += [(who, f) for f in o.flags]
        flags += [(who, n) for n in o.notes if n != run.isolation_warning]
    flags += [(student, f"not graded: {reason}") for student, reason in sorted(run.rejected.items())]
    flags += [("intake", n) for n in run.notes]
    return flags


def class_flags(root: Path, assignment: str, results: list[NotebookResult],
                run: GradeRun | None = None) -> list[tuple[str, str]]:
    """This run's flags, and for every other graded notebook in the reports the flags and notes
    its last grading left in the journal, so a report of the whole class flags the whole class."""
    sandbox_warnings = {sandbox.FALLBACK_WARNING, run.isolation_warning if run else ""}
    current = {(o.student, o.notebook) for o in run.outcomes} if run else set()
    shown = {(r.student, r.notebook) for r in results if not r.error}
    earlier = []
    for (student, notebook), entry in sorted(Journal(journal_path(root, assignment)).done.items()):
        if (student, notebook) in shown and (student, notebook) not in current:
            who = f"{student} / {notebook}"
            earlier += [(who, str(f)) for f in entry.get("flags", [])]
            earlier += [(who, str(n)) for n in entry.get("notes", []) if n not in sandbox_warnings]
    if run is None:
        return earlier
    flags = run_flags(run)
    graded_before = {r.student for r in results if not r.error}
    flags += [(student, "the reports show this student's earlier grade") for student in sorted(run.rejected)
              if student in graded_before]
    return flags + earlier


def sandbox_line(run: GradeRun) -> str:
    """One line for the terminal: what isolated this run's notebooks."""
    return f"sandbox: {run.sandbox or run.isolation}"


def header_notes(run: GradeRun) -> list[str]:
    notes = []
    if run.isolation != "bubblewrap":
        notes.append(f"WARNING: {run.isolation_warning or 'sandbox fallback in use'}")
    return notes


def _write(root: Path, assignment: str, run: GradeRun | None) -> tuple[str, dict[str, Path]]:
    results = class_results(root, assignment, run)
    names = read_roster(root)
    out = root / "reports" / assignment
    paths = write_csvs(results, out, names)
    remarks = {student: f"this run did not grade a new submission: {reason}"
               for student, reason in (run.rejected if run else {}).items()
               if any(r.student == student and not r.error for r in results)}
    paths["lms"] = write_lms_csv(results, names, out / "lms.csv", remarks)
    plots = plot_distributions(results, out / "plots")
    paths["html"] = write_html(out / "report.html", assignment, results, plots,
                               class_flags(root, assignment, results, run), header_notes(run) if run else [])
    paths["feedback"] = root / "feedback"
    return terminal_table(results), paths


def publish(root: Path, run: GradeRun) -> tuple[str, dict[str, Path]]:
    """The reports after a grading run: every student of the assignment, this run's news added."""
    return _write(root, run.assignment, run)


def report(root: Path, assignment: str) -> tuple[str, dict[str, Path]]:
    """`course report`: the reports rebuilt from the gradebook alone, no grading (after a person
    graded written answers in formgrader, say)."""
    gradebook.notebook_names(root, assignment)   # a clear error for an assignment nobody released
    return _write(root, assignment, None)
