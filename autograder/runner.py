"""`course grade`: grade every (student, notebook) of an assignment, in parallel, in sandboxes.

The coordinator (this process) is the only trusted party and the only writer:
it restores submissions from the gradebook, runs the reference, sends jobs to a
local process pool or a Dask cluster, scores each result against the reference,
and writes the gradebook, the autograded notebook, the feedback page and a
journal line, in that order. A job in the journal with the same submission
digest is not graded again, so a killed batch resumes where it stopped.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import secrets
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as local_as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from tqdm import tqdm

from course import datasets
from course.paths import DEFAULT_LANGUAGE, release_dir, source_notebooks

from . import gradebook, sandbox
from .cells import grade_id, hidden_secrets, is_autograded_test, split_hidden
from .checks import parse_evidence
from .collect import Collected, from_folder, from_zip
from .feedback import feedback_page, sanitize_markdown
from .intake import submission_problems
from .jobs import Job, JobOutput, run_job
from .trusted import CellVerdict, Reference, build_reference, kernel_verdicts, score
from .untrusted import clean_status, executed_cells

REFERENCE_STUDENT = "__reference__"


@dataclass
class Options:
    workers: int = 2
    scheduler: str | None = None          # a Dask scheduler address; None: local process pool
    seed: str | None = None               # None: a fresh secret seed for this run
    cell_timeout: float = 60
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    isolation: str = "auto"
    resume: bool = True
    progress: bool = True


@dataclass
class NotebookOutcome:
    student: str
    notebook: str
    verdicts: dict[str, CellVerdict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    resumed: bool = False
    saved_flags: list[str] = field(default_factory=list)   # from the journal, for resumed jobs

    @property
    def flags(self) -> list[str]:
        return self.saved_flags + [f"{v.grade_id}: {f}" for v in self.verdicts.values() for f in v.flags]


@dataclass
class GradeRun:
    assignment: str
    seed: str
    isolation: str = ""
    isolation_warning: str = ""
    cgroups: str = ""                   # "cgroup v1"/"cgroup v2", or "" when only rlimits apply
    outcomes: list[NotebookOutcome] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reference_problems: list[str] = field(default_factory=list)
    jobs_run: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------- journal

class Journal:
    """Append-only record of finished jobs; a torn last line (a kill mid-write) is ignored."""

    def __init__(self, path: Path):
        self.path = path
        self.done: dict[tuple[str, str], dict] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    self.done[(entry["student"], entry["notebook"])] = entry
                except (ValueError, KeyError, TypeError):
                    continue

    def finished(self, student: str, notebook: str, digest: str) -> dict | None:
        entry = self.done.get((student, notebook))
        return entry if entry and entry.get("digest") == digest else None

    def append(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.done[(entry["student"], entry["notebook"])] = entry


# ---------------------------------------------------------------- backends

class LocalPool:
    def __init__(self, workers: int):
        # spawn: a worker must not inherit the coordinator's open gradebook connection
        self.pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"))

    def run(self, jobs: list[Job]):
        futures = {self.pool.submit(run_job, job): job for job in jobs}
        for future in local_as_completed(futures):
            yield futures[future], _result(future)

    def close(self):
        self.pool.shutdown(cancel_futures=True)


class DaskCluster:
    def __init__(self, address: str):
        from distributed import Client
        self.client = Client(address, timeout="30s")

    def run(self, jobs: list[Job]):
        from distributed import as_completed
        futures = {self.client.submit(run_job, job, pure=False, key=f"grade-{secrets.token_hex(6)}"): job
                   for job in jobs}
        for future in as_completed(list(futures)):
            yield futures[future], _result(future)

    def close(self):
        self.client.close()


def _result(future) -> JobOutput | str:
    try:
        return future.result()
    except Exception as err:  # a worker that died: the job reports, the batch goes on
        return f"the grading worker failed: {type(err).__name__}: {err}"


# ---------------------------------------------------------------- planning

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _data_files(root: Path, assignment: str) -> tuple[tuple[str, bytes], ...]:
    """Files the notebooks read: the non-notebook files of source/<assignment>/ (nbgrader copies
    them too), and downloaded data sets (the sandbox has no network)."""
    folder = root / "source" / assignment
    files = {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
             if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts}
    files.update(datasets.external_files(assignment))
    return tuple((rel, path.read_bytes()) for rel, path in sorted(files.items()))


def collect(root: Path, assignment: str, submissions: Path | None, notebooks: list[str]) -> Collected:
    if submissions is None:
        return from_folder(root, assignment)
    if submissions.is_file():
        return from_zip(submissions, root, assignment, [f"{n}.ipynb" for n in notebooks])
    if submissions.resolve() != (root / "submitted").resolve():
        raise ValueError(f"{submissions}: give a zip file, or use the course's submitted/ folder")
    return from_folder(root, assignment)


# ---------------------------------------------------------------- the run

@dataclass
class Planned:
    """One submission's notebook, restored and ready to send into a sandbox."""
    student: str
    notebook: str
    digest: str
    restored: object                 # as it must run: locked and test cells from the gradebook
    sent: object                     # restored, with every hidden-test region cut out
    hidden: tuple[tuple[int, str], ...]
    tampering: list[str]
    released: object = None          # the release notebook: what every student sees


def without_hidden_tests(nb):
    """(the notebook with each test cell's hidden region cut out, (index, full source) of those
    cells): what goes into the sandbox as a file, and what the executor receives over a pipe."""
    sent = copy.deepcopy(nb)
    hidden = []
    for index, cell in enumerate(sent.cells):
        if cell.cell_type == "code" and is_autograded_test(cell):
            visible, secret = split_hidden(cell.source)
            if secret:
                hidden.append((index, cell.source))
                cell.source = visible
    return sent, tuple(hidden)


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
    files = _data_files(root, assignment)

    def job(kind: str, student: str, notebook: str, sent, hidden) -> Job:
        return Job(kind, student, assignment, notebook, nbformat.writes(sent), run.seed, options.cell_timeout,
                   options.limits, files, options.isolation, hidden)

    planned = _plan(root, assignment, notebooks, wanted, found, journal, options, run)
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
        references = {done.notebook: _reference(done, output, reference_nbs, run)
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
                    run.outcomes.append(_finish(root, run, item, output, references[done.notebook], journal))
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


def _plan(root: Path, assignment: str, notebooks: list[str], wanted: list[str], found: Collected,
          journal: Journal, options: Options, run: GradeRun) -> list[Planned]:
    """Intake, resume and restore: the notebooks that need a sandbox run."""
    planned: list[Planned] = []
    # locked cells are the same in every language's release
    releases = {n: nbformat.read(release_dir(root, DEFAULT_LANGUAGE) / assignment / f"{n}.ipynb", as_version=4)
                for n in notebooks}
    for student in wanted:
        folder = root / "submitted" / student / assignment
        handed_in = [n for n in notebooks if (folder / f"{n}.ipynb").is_file()]
        problems = submission_problems(folder, [f"{n}.ipynb" for n in handed_in or notebooks])
        if problems:
            run.rejected[student] = "; ".join([found.problems[student]] if student in found.problems
                                              else problems)
            continue
        if student in found.problems:
            run.notes.append(f"{student}: {found.problems[student]}")
        mine: list[Planned] = []
        for notebook in notebooks:
            path = folder / f"{notebook}.ipynb"
            if notebook not in handed_in:  # as nbgrader does: a notebook not handed in scores zero
                gradebook.write_scores(root, assignment, notebook, student, {}, releases[notebook])
                run.outcomes.append(NotebookOutcome(student, notebook, notes=[f"{notebook}.ipynb was not handed in"]))
                continue
            digest = _digest(path)
            entry = journal.finished(student, notebook, digest) if options.resume else None
            if entry:
                run.outcomes.append(NotebookOutcome(student, notebook, notes=entry.get("notes", []),
                                                    resumed=True, saved_flags=entry.get("flags", [])))
                continue
            try:
                original = nbformat.read(path, as_version=4)
                tampering = gradebook.tampering_notes(original, releases[notebook])
                restored = gradebook.restore_cells(root, original, assignment, notebook, student)
                sent, hidden = without_hidden_tests(restored)
            except Exception as err:  # metadata so broken nbgrader cannot restore it
                run.rejected[student] = f"{notebook}.ipynb cannot be restored from the gradebook: {err}"
                mine = []
                break
            mine.append(Planned(student, notebook, digest, restored, sent, hidden, tampering, releases[notebook]))
        planned += mine
    for problem_key, reason in found.problems.items():
        if problem_key not in wanted and problem_key not in run.rejected:
            run.rejected[problem_key] = reason
    return [p for p in planned if p.student not in run.rejected]


def _reference(job: Job, output: JobOutput | str, nbs: dict, run: GradeRun) -> Reference:
    """The reference's evidence; a reference that failed, stopped early or ran out of time is an
    infrastructure failure: nobody is scored against it."""
    failure = None
    if isinstance(output, str) or output.error:
        failure = output if isinstance(output, str) else output.error
    elif output.timed_out:
        failure = "the reference run ran out of time"
    elif not output.status.get("finished"):
        failure = f"the reference run stopped early ({output.status.get('stop_reason') or 'its kernel died'})"
    else:
        broken = [e for e in output.status["cells"] if e["status"] != "ok"]
        if broken:
            cell = nbs[job.notebook].cells[broken[0]["index"]] if broken[0]["index"] < len(nbs[job.notebook].cells) else {}
            what = "ran out of time" if broken[0]["status"] == "timeout" else "raised"
            failure = (f"the reference run stopped early: cell {broken[0]['index']} "
                       f"({grade_id(cell) or 'no grade id'}) {what}")
    if failure:
        run.reference_problems.append(f"{job.notebook}: {failure}: nobody was graded on this notebook")
        return Reference(parse_evidence(b""), {}, {}, [failure], failed=True, failure=f"{job.notebook}: {failure}")
    reference = build_reference(nbs[job.notebook], output.status, output.evidence)
    run.reference_problems += [f"{job.notebook}: {p}" for p in reference.problems]
    return reference


def _with_outputs(nb, cells: list[dict] | None):
    """A copy of nb with the (already cleaned) outputs of the executed cells; none if None."""
    result = copy.deepcopy(nb)
    for cell, executed in zip(result.cells, cells or [None] * len(result.cells)):
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(o) for o in executed["outputs"]] if executed else []
        cell.execution_count = executed["execution_count"] if executed else None
    return result


def _finish(root: Path, run: GradeRun, item: Planned, output: JobOutput, reference: Reference,
            journal: Journal) -> NotebookOutcome:
    """Score one executed submission and write what follows from it. Everything is computed
    before anything is written, so a failure here leaves no half-written grade."""
    outcome = NotebookOutcome(item.student, item.notebook, notes=list(item.tampering) + list(output.notes))
    sent_shape = [(c.cell_type, c.source) for c in item.sent.cells]
    cells = executed_cells(output.executed, sent_shape)
    status = output.status if cells is not None else clean_status(None)
    stopped, reason = status.get("stopped_at"), status.get("stop_reason")
    if stopped is None and status["cells"] and not status.get("finished") and status.get("running") is not None:
        stopped, reason = status["running"], "the kernel died"   # the process ended inside this cell
    if output.timed_out:
        outcome.notes.append("the notebook ran out of time and was stopped; earlier cells keep their points")
    if isinstance(stopped, int):
        cell = item.restored.cells[stopped] if 0 <= stopped < len(item.restored.cells) else None
        name = (grade_id(cell) or cell.get("id")) if cell is not None else stopped
        outcome.notes.append(f"{reason or 'stopped'} in cell {stopped} ({name}); earlier cells keep their points")
    if output.warning:
        outcome.notes.append(output.warning)
    autograded = sanitize_markdown(_with_outputs(item.restored, cells))
    outcome.verdicts = score(reference, parse_evidence(output.evidence), kernel_verdicts(autograded, status))
    page = feedback_page(_with_outputs(item.sent, cells), outcome.verdicts, outcome.notes,
                         hidden_ids={grade_id(item.restored.cells[i]) for i, _ in item.hidden},
                         secrets=hidden_secrets(item.restored.cells, item.released.cells),
                         title=f"Feedback: {item.notebook}")
    gradebook.write_scores(root, run.assignment, item.notebook, item.student, outcome.verdicts, item.restored)
    target = root / "autograded" / item.student / run.assignment / f"{item.notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(autograded, target)
    feedback = root / "feedback" / item.student / run.assignment / f"{item.notebook}.html"
    feedback.parent.mkdir(parents=True, exist_ok=True)
    feedback.write_text(page, encoding="utf-8")
    journal.append({"student": item.student, "notebook": item.notebook, "digest": item.digest,
                    "seed": run.seed, "notes": outcome.notes,
                    "scores": {g: v.score for g, v in outcome.verdicts.items()},
                    "flags": outcome.flags, "finished_at": time.time()})
    return outcome
