"""Grade every submission of an assignment and write the reports."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grading.collect import from_folder
from ..grading.intake import submission_problems
from ..layout import source_notebooks
from ..reports.csv_files import write_csvs
from ..reports.results import NotebookResult, read_roster, read_scores
from ..reports.tables import terminal_table
from . import nbgrader_run as stock


@dataclass
class BatchResult:
    assignment: str
    results: list[NotebookResult] = field(default_factory=list)
    reports: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def table(self) -> str:
        return terminal_table(self.results)


def grade_assignment(root: Path, assignment: str, students: list[str] | None = None,
                     report_dir: Path | None = None) -> BatchResult:
    """Autograde with nbgrader, make feedback, and summarise; bad submissions are skipped."""
    students = students if students is not None else from_folder(root, assignment).students
    expected = [p.name for p in source_notebooks(root, assignment)]
    rejected: dict[str, str] = {}
    for student in students:
        problems = submission_problems(root / "submitted" / student / assignment, expected)
        if problems:
            rejected[student] = "; ".join(problems)
    accepted = [s for s in students if s not in rejected]
    for outcome in stock.autograde(root, assignment, accepted):
        if not outcome.ok:
            rejected[outcome.student] = f"autograde failed: {outcome.message}"
    graded = [s for s in accepted if s not in rejected]
    batch = BatchResult(assignment)
    for outcome in stock.generate_feedback(root, assignment, graded):
        if not outcome.ok:  # the grade stands; only the feedback page is missing
            batch.warnings.append(f"{outcome.student}: feedback failed: {outcome.message}")

    # every student the gradebook holds, but this run's rejected ones as what went wrong
    batch.results = [r for r in read_scores(root, assignment) if r.student not in rejected]
    for student in students:
        if student in rejected:
            for name in expected:
                batch.results.append(NotebookResult(student, assignment, Path(name).stem,
                                                    error=rejected[student]))
    batch.results.sort(key=lambda r: (r.student, r.notebook))
    batch.reports = write_csvs(batch.results, report_dir or root / "reports" / assignment, read_roster(root))
    batch.reports["feedback"] = root / "feedback"
    return batch
