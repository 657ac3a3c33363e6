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
from ..cells import grade_id
from ..layout import release_dir, source_notebooks
from ..trusted import Reference
from . import gradebook
from .backends import DaskCluster, LocalPool
from .finish import finish, reference_from
from .jobs import Job, modules_to_preload
from .journal import Journal, journal_path
from .outcomes import REFERENCE_STUDENT, GradeRun, Options
from .plan import Planned, collect, data_files, plan, without_hidden_tests


def grade(root: Path, assignment: str, submissions: Path | None = None,
          options: Options | None = None, students: list[str] | None = None,
          pool: LocalPool | None = None) -> GradeRun:
    """Grade the assignment's submissions (submitted/, or an LMS zip): plan, run the references,
    then every planned notebook, each finished (scored, then written) as it comes back.

    `pool`: a LocalPool the caller keeps for several runs (the demo grades four assignments in a
    row): its workers start once, and each keeps one warm sandbox for every notebook of the course
    (see _job_maker). Otherwise the run makes its own pool (or Dask client, options.scheduler)
    and closes it at the end."""
    options = (options or Options()).for_course(root)
    started = time.perf_counter()
    notebooks = gradebook.notebook_names(root, assignment)
    found = collect(root, assignment, submissions, notebooks)
    gradebook.remember_names(root, found.names)
    run = GradeRun(assignment, options.seed or secrets.token_hex(16), names=dict(found.names),
                   notes=list(found.notes))
    _describe_isolation(run, options)
    journal = Journal(journal_path(root, assignment))
    planned = plan(root, assignment, notebooks, students if students is not None else found.students,
                   found, journal, options, run)
    if planned:
        # a cell to stop after that a notebook lacks is the caller's mistake: said before any job runs
        stops = {(p.student, p.notebook): _last_cell_index(p, options.last_cell.get(p.student)) for p in planned}
        make_job = _job_maker(root, assignment, options, run.seed, whole_course=pool is not None)
        backend = pool or (DaskCluster(options.scheduler) if options.scheduler else LocalPool(options.workers))
        bar = tqdm(total=len(planned), desc=f"grading {assignment}", unit="nb", disable=not options.progress)
        try:
            references = _run_references(root, assignment, planned, make_job, backend, run)
            _run_submissions(root, planned, references, make_job, backend, run, journal, bar, stops)
        finally:
            bar.close()
            if backend is not pool:
                backend.close()
    run.seconds = time.perf_counter() - started
    return run


def _describe_isolation(run: GradeRun, options: Options) -> None:
    """What isolation this machine gives every job; the loud warnings go into the run."""
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
    if run.isolation == "bubblewrap":
        # a warm sandbox needs bubblewrap's pid namespace: only then does Options.warm apply
        parts = [sandbox.describe_bubblewrap(), "warm" if options.warm else "cold"]
    else:
        parts = ["FALLBACK, files outside the work dir are not hidden"]
    run.sandbox = ", ".join(parts + [run.cgroups or "no cgroups"])


def _job_maker(root: Path, assignment: str, options: Options, seed: str, whole_course: bool = False):
    files = data_files(root, assignment)
    # What the release notebooks import, read from the release (what every student has: the list is
    # visible inside the sandbox). One list for all the assignment's notebooks, so a worker keeps one
    # warm sandbox for the assignment, not one per notebook. whole_course (a pool kept for several
    # runs): one list for the course, so that sandbox serves the next assignment too. Not by
    # default: torch would then be imported for every run of 01_probability, which never uses it.
    pattern = "*/*.ipynb" if whole_course else f"{assignment}/*.ipynb"
    preload = tuple(sorted(set().union(*(modules_to_preload(nbformat.read(path, as_version=4))
                                         for path in sorted(release_dir(root, "ko").glob(pattern)))))
                    ) if options.warm else ()

    def make_job(kind: str, student: str, notebook: str, sent, hidden, last_cell: int | None = None) -> Job:
        return Job(kind, student, assignment, notebook, nbformat.writes(sent), seed, options.cell_timeout,
                   options.limits, files, options.isolation, hidden, warm=options.warm,
                   preload=preload, last_cell=last_cell)
    return make_job


def _run_references(root: Path, assignment: str, planned: list[Planned], make_job, backend,
                    run: GradeRun) -> dict[str, Reference]:
    """The answer key of every notebook someone handed in. References run first, with no student
    job beside them: a submission that fills its sandbox with busy children must not slow the
    answer key everyone is compared with."""
    needed = {p.notebook for p in planned}
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in source_notebooks(root, assignment)
                 if p.stem in needed}
    jobs = [make_job("reference", REFERENCE_STUDENT, name, *without_hidden_tests(nb)) for name, nb in notebooks.items()]
    references = {done.notebook: reference_from(done, output, notebooks, run) for done, output in backend.run(jobs)}
    run.jobs_run += len(jobs)
    return references


def _last_cell_index(p: Planned, wanted: str | None) -> int | None:
    if wanted is None:
        return None
    for index, cell in enumerate(p.sent.cells):
        if grade_id(cell) == wanted:
            return index
    raise ValueError(f"{p.student}: no cell {wanted!r} in {p.notebook}.ipynb to stop after")


def _run_submissions(root: Path, planned: list[Planned], references: dict[str, Reference], make_job, backend,
                     run: GradeRun, journal: Journal, bar, stops: dict[tuple[str, str], int | None]) -> None:
    for p in planned:
        if references[p.notebook].failed:
            # not the student's doing: no score, no journal line, so a rerun grades it
            run.rejected[p.student] = f"not graded, the grader failed: {references[p.notebook].failure}"
            bar.update(1)
    by_key = {(p.student, p.notebook): p for p in planned}
    jobs = [make_job("student", p.student, p.notebook, p.sent, p.hidden, stops[(p.student, p.notebook)])
            for p in planned if not references[p.notebook].failed]
    for done, output in backend.run(jobs):
        run.jobs_run += 1
        if isinstance(output, str) or output.error:
            run.rejected[done.student] = (
                f"not graded, the grader failed: {output if isinstance(output, str) else output.error}")
        else:
            try:
                key = (done.student, done.notebook)
                run.outcomes.append(finish(root, run, by_key[key], output, references[done.notebook],
                                           journal if stops[key] is None else None))
            except Exception as err:  # one submission's results never stop the batch
                run.rejected[done.student] = (
                    f"not graded: the grader could not read this submission's results of "
                    f"{done.notebook}.ipynb ({type(err).__name__}: {str(err)[:200]}); look at it by hand")
        bar.update(1)
