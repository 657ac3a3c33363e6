"""`course grade`: grade every (student, notebook) of an assignment, in parallel, in sandboxes.

The coordinator (this process) is the only trusted party and the only writer:
it restores submissions from the gradebook, runs the reference, sends jobs to a
local process pool or a Dask cluster, scores each result against the reference,
and writes the gradebook, the autograded notebook, the feedback page and a
journal line, in that order. A job in the journal with the same submission
digest is not graded again, so a killed batch resumes where it stopped.
"""
from __future__ import annotations

import secrets
import time
from pathlib import Path

import nbformat
from tqdm import tqdm

from .. import sandbox
from ..layout import source_notebooks
from . import gradebook
from .backends import DaskCluster, LocalPool
from .finish import finish, reference_from
from .jobs import Job
from .journal import Journal
from .outcomes import REFERENCE_STUDENT, GradeRun, Options
from .plan import collect, data_files, plan, without_hidden_tests


def grade(root: Path, assignment: str, submissions: Path | None = None,
          options: Options | None = None, students: list[str] | None = None) -> GradeRun:
    options = options or Options()
    started = time.perf_counter()
    notebooks = gradebook.notebook_names(root, assignment)
    found = collect(root, assignment, submissions, notebooks)
    run = GradeRun(assignment, options.seed or secrets.token_hex(16), names=dict(found.names),
                   notes=list(found.notes))
    if options.isolation == "auto":
        run.isolation, run.isolation_warning = sandbox.probe_isolation()
    else:
        run.isolation = options.isolation
    if run.isolation == "fallback":
        run.isolation_warning = sandbox.FALLBACK_WARNING
    version, why_not = sandbox.cgroup_support()
    run.cgroups = f"cgroup {version}" if version else ""
    if not version:
        run.notes.append(sandbox.CGROUP_FALLBACK_WARNING.format(reason=why_not))
    wanted = students if students is not None else found.students
    journal = Journal(root / "autograded" / ".course-grade" / f"{assignment}.jsonl")
    files = data_files(root, assignment)

    def job(kind: str, student: str, notebook: str, sent, hidden) -> Job:
        return Job(kind, student, assignment, notebook, nbformat.writes(sent), run.seed, options.cell_timeout,
                   options.limits, files, options.isolation, hidden)

    planned = plan(root, assignment, notebooks, wanted, found, journal, options, run)
    if not planned:
        run.seconds = time.perf_counter() - started
        return run

    backend = DaskCluster(options.scheduler) if options.scheduler else LocalPool(options.workers)
    bar = tqdm(total=len(planned), desc=f"grading {assignment}", unit="nb", disable=not options.progress)
    try:
        # References first, with no student job beside them: a submission that fills its
        # sandbox with busy children must not slow the answer key everyone is compared with.
        needed = sorted({p.notebook for p in planned})
        reference_nbs = {p.stem: nbformat.read(p, as_version=4) for p in source_notebooks(root, assignment)
                         if p.stem in needed}
        reference_jobs = [job("reference", REFERENCE_STUDENT, name, *without_hidden_tests(nb))
                          for name, nb in reference_nbs.items()]
        references = {done.notebook: reference_from(done, output, reference_nbs, run)
                      for done, output in backend.run(reference_jobs)}
        run.jobs_run += len(reference_jobs)
        by_key = {(p.student, p.notebook): p for p in planned}
        student_jobs = [job("student", p.student, p.notebook, p.sent, p.hidden) for p in planned
                        if not references[p.notebook].failed]
        for p in planned:
            reference = references[p.notebook]
            if reference.failed:
                # not the student's doing: no score, no journal line, so a rerun grades it
                run.rejected[p.student] = f"not graded, the grader failed: {reference.failure}"
                bar.update(1)
        for done, output in backend.run(student_jobs):
            run.jobs_run += 1
            item = by_key[(done.student, done.notebook)]
            if isinstance(output, str) or output.error:
                run.rejected[done.student] = (
                    f"not graded, the grader failed: {output if isinstance(output, str) else output.error}")
            else:
                try:
                    run.outcomes.append(finish(root, run, item, output, references[done.notebook], journal))
                except Exception as err:  # one submission's results never stop the batch
                    run.rejected[done.student] = (
                        f"not graded: the grader could not read this submission's results of "
                        f"{done.notebook}.ipynb ({type(err).__name__}: {str(err)[:200]}); look at it by hand")
            bar.update(1)
    finally:
        bar.close()
        backend.close()
    run.seconds = time.perf_counter() - started
    return run
