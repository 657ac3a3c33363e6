"""`course check`'s one rule that runs code: every hidden test must fail on the blank release.

A student who hands in the release untouched has answered nothing. A test cell with hidden tests
that runs without error on that notebook cannot fail in the student's view: the student reads
"passed" on a cell worth nothing, and the kernel's verdict disagrees with the trusted check. The
usual cause is a hidden test that catches every error of the student's code and records it as
evidence, the stub's NotImplementedError included (outcome() lets that one through; a test's own
`try`/`except Exception` must too).

Why the grader's own sandbox and not a plain kernel: the verdict that matters is the one the
grader reads, so the blank notebook runs exactly as a submission does (jobs.run_job: the same
executor, hidden tests served over the pipe, the same data files, the same reading of the
result through trusted/hostile.py and kernel_verdicts). That costs no more than a plain kernel:
in a blank notebook every cell that calls a stub fails at once, so a run takes seconds, and no
reference run is needed (nothing is scored).
"""
from __future__ import annotations

import copy
import secrets
from pathlib import Path

import nbformat

from autograder.cells import grade_id, is_autograded_test, split_hidden
from autograder.grading.backends import LocalPool
from autograder.grading.finish import with_outputs
from autograder.grading.jobs import Job, JobOutput
from autograder.grading.outcomes import Options
from autograder.grading.plan import data_files, without_hidden_tests
from autograder.layout import DEFAULT_LANGUAGE, release_dir
from autograder.trusted import kernel_verdicts
from autograder.trusted.hostile import executed_cells

from .check import Problem

BLANK_STUDENT = "__blank_release__"


def with_hidden_tests(release_nb, source_nb):
    """The release notebook as grading runs it: each test cell's source put back from the source
    notebook (the gradebook holds the same cells; the release was built from this source)."""
    tests = {grade_id(c): c.source for c in source_nb.cells if is_autograded_test(c)}
    restored = copy.deepcopy(release_nb)
    for cell in restored.cells:
        if is_autograded_test(cell) and grade_id(cell) in tests:
            cell.source = tests[grade_id(cell)]
    return restored


def passing_on_blank(restored, output: JobOutput | str, release_path: Path) -> list[Problem]:
    """The test cells with hidden tests that the blank student's kernel ran without error, and
    why the run could not be judged (a Problem without a cell index) if it could not."""
    if isinstance(output, str) or output.error:
        why = output if isinstance(output, str) else output.error
        return [Problem(release_path, None, "", f"the blank release could not be run: {why}")]
    sent, _ = without_hidden_tests(restored)
    cells = executed_cells(output.executed, [(c.cell_type, c.source) for c in sent.cells])
    if cells is None:
        return [Problem(release_path, None, "", "the blank release ran but its executed notebook is unreadable")]
    status = output.status
    verdicts = kernel_verdicts(with_outputs(restored, cells), status)
    found = []
    for index, cell in enumerate(restored.cells):
        if not (is_autograded_test(cell) and split_hidden(cell.source)[1]):
            continue
        if verdicts.get(grade_id(cell)) is True:
            found.append(Problem(
                release_path, index, f"code {grade_id(cell)}",
                "its hidden tests ran without error on the blank release notebook, so the test cannot "
                "fail for a student who answered nothing: let the stub's NotImplementedError through "
                "(call the student's code directly or through outcome(); a try/except Exception of the "
                "test's own needs `except NotImplementedError: raise` first)"))
    if not status.get("finished"):
        found.append(Problem(release_path, None, "",
                               f"the blank release stopped early ({status.get('stop_reason') or 'its kernel died'}): "
                               "the test cells after that point were not checked"))
    return found


def blank_release_problems(root: Path, notebooks: dict[str, list[Path]],
                           options: Options | None = None) -> list[Problem]:
    """Run the blank release (release/<default language>/) of every source notebook given, per
    assignment, in the grader's sandbox: one batch, so both workers stay busy."""
    options = (options or Options()).for_course(root)
    seed = secrets.token_hex(16)
    jobs, restored = [], {}
    for assignment, paths in notebooks.items():
        files = data_files(root, assignment)
        for path in paths:
            release_path = release_dir(root, DEFAULT_LANGUAGE) / assignment / path.name
            if not release_path.exists():
                continue   # the release rules already report a missing release
            nb = with_hidden_tests(nbformat.read(release_path, as_version=4), nbformat.read(path, as_version=4))
            sent, hidden = without_hidden_tests(nb)
            restored[(assignment, path.stem)] = (nb, release_path)
            jobs.append(Job("student", BLANK_STUDENT, assignment, path.stem, nbformat.writes(sent), seed,
                            options.cell_timeout, options.limits, files, options.isolation, hidden))
    if not jobs:
        return []
    pool = LocalPool(min(options.workers, len(jobs)))
    found: list[Problem] = []
    try:
        for job, output in pool.run(jobs):
            nb, release_path = restored[(job.assignment, job.notebook)]
            found += passing_on_blank(nb, output, release_path)
    finally:
        pool.close()
    return sorted(found, key=lambda p: (str(p.path), -1 if p.index is None else p.index))
