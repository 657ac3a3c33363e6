"""`course grade`: grade every (student, notebook) of an assignment, in parallel, in sandboxes.

The coordinator (this process) is the only trusted party and the only writer:
it restores submissions from the gradebook, runs the reference, sends jobs to a
local process pool or a Dask cluster, scores each result against the reference,
and writes the gradebook, the autograded notebook, the feedback page and a
journal line, in that order. A job in the journal with the same submission
digest is not graded again, so a killed batch resumes where it stopped.
"""
from __future__ import annotations

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
from .checks import parse_evidence
from .collect import Collected, from_folder, from_zip
from .feedback import write_feedback
from .intake import submission_problems
from .jobs import Job, JobOutput, run_job
from .trusted import CellVerdict, Reference, build_reference, kernel_verdicts, score

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
    wanted = students if students is not None else found.students
    journal = Journal(root / "autograded" / ".course-grade" / f"{assignment}.jsonl")
    files = _data_files(root, assignment)

    def job(kind: str, student: str, notebook: str, text: str) -> Job:
        return Job(kind, student, assignment, notebook, text, run.seed, options.cell_timeout,
                   options.limits, files, options.isolation)

    pending: list[Job] = []
    submitted: dict[tuple[str, str], tuple[object, str]] = {}
    tampering: dict[tuple[str, str], list[str]] = {}
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
                tampering[(student, notebook)] = gradebook.tampering_notes(original, releases[notebook])
                nb = gradebook.restore_cells(root, original, assignment, notebook, student)
            except Exception as err:  # metadata so broken nbgrader cannot restore it
                run.rejected[student] = f"{notebook}.ipynb cannot be restored from the gradebook: {err}"
                break
            submitted[(student, notebook)] = (nb, digest)
            pending.append(job("student", student, notebook, nbformat.writes(nb)))
    for problem_key, reason in found.problems.items():
        if problem_key not in wanted and problem_key not in run.rejected:
            run.rejected[problem_key] = reason
    # drop jobs of a student rejected half-way through their notebooks
    pending = [j for j in pending if j.student not in run.rejected]
    if not pending:
        run.seconds = time.perf_counter() - started
        return run

    needed = sorted({j.notebook for j in pending})
    reference_nbs = {p.stem: nbformat.read(p, as_version=4) for p in source_notebooks(root, assignment)
                     if p.stem in needed}
    jobs = [job("reference", REFERENCE_STUDENT, name, nbformat.writes(nb))
            for name, nb in reference_nbs.items()] + pending
    references: dict[str, Reference] = {}
    waiting: list[tuple[Job, JobOutput | str]] = []
    backend = DaskCluster(options.scheduler) if options.scheduler else LocalPool(options.workers)
    bar = tqdm(total=len(pending), desc=f"grading {assignment}", unit="nb", disable=not options.progress)
    try:
        for done_job, output in backend.run(jobs):
            run.jobs_run += 1
            if done_job.kind == "reference":
                references[done_job.notebook] = _reference(done_job, output, reference_nbs, run)
                ready = [w for w in waiting if w[0].notebook == done_job.notebook]
                waiting = [w for w in waiting if w[0].notebook != done_job.notebook]
            else:
                ready = [(done_job, output)] if done_job.notebook in references else []
                if not ready:
                    waiting.append((done_job, output))
            for student_job, student_output in ready:
                reference = references[student_job.notebook]
                failure = _infrastructure_failure(student_output, reference)
                if failure:
                    # not the student's doing: no score, no journal line, so a rerun grades it
                    run.rejected[student_job.student] = f"not graded, the grader failed: {failure}"
                else:
                    nb, digest = submitted[(student_job.student, student_job.notebook)]
                    run.outcomes.append(_finish(root, run, student_job, student_output, nb, digest, reference,
                                                journal, tampering[(student_job.student, student_job.notebook)]))
                bar.update(1)
    finally:
        bar.close()
        backend.close()
    run.seconds = time.perf_counter() - started
    return run


def _reference(job: Job, output: JobOutput | str, nbs: dict, run: GradeRun) -> Reference:
    if isinstance(output, str) or output.error:
        problem = output if isinstance(output, str) else output.error
        run.reference_problems.append(f"{job.notebook}: reference run failed: {problem}")
        return Reference(parse_evidence(b""), {}, {}, [problem], failed=True)
    reference = build_reference(nbs[job.notebook], output.status, output.evidence)
    run.reference_problems += [f"{job.notebook}: {p}" for p in reference.problems]
    return reference


def _infrastructure_failure(output: JobOutput | str, reference: Reference) -> str | None:
    if reference.failed:
        return "the reference run failed (see the reference flags)"
    if isinstance(output, str):
        return output
    if output.error:
        return output.error
    return None


def _executed_or_restored(output: JobOutput, restored):
    """The executed notebook if it still has the restored notebook's cells, else the restored one."""
    if output.executed_json:
        try:
            executed = nbformat.reads(output.executed_json, as_version=4)
            shape = [(c.cell_type, c.source) for c in executed.cells]
            if shape == [(c.cell_type, c.source) for c in restored.cells]:
                return executed
        except Exception:  # the sandbox's output is untrusted and may be garbage
            pass
    return restored


def _finish(root: Path, run: GradeRun, job: Job, output: JobOutput, restored, digest: str,
            reference: Reference, journal: Journal, tampered: list[str]) -> NotebookOutcome:
    outcome = NotebookOutcome(job.student, job.notebook, notes=list(tampered))
    executed = _executed_or_restored(output, restored)
    status = output.status if executed is not restored else {}
    stopped, reason = status.get("stopped_at"), status.get("stop_reason")
    if stopped is None and status and not status.get("finished") and status.get("running") is not None:
        stopped, reason = status["running"], "the kernel died"   # the process ended inside this cell
    if output.timed_out:
        outcome.notes.append("the notebook ran out of time and was stopped; earlier cells keep their points")
    if isinstance(stopped, int):
        cell = restored.cells[stopped] if 0 <= stopped < len(restored.cells) else None
        name = (cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")) if cell else stopped
        outcome.notes.append(f"{reason or 'stopped'} in cell {stopped} ({name}); earlier cells keep their points")
    if output.warning:
        outcome.notes.append(output.warning)
    student_evidence = parse_evidence(output.evidence)
    outcome.verdicts = score(reference, student_evidence, kernel_verdicts(executed, status))
    gradebook.write_scores(root, job.assignment, job.notebook, job.student, outcome.verdicts, restored)
    autograded = root / "autograded" / job.student / job.assignment / f"{job.notebook}.ipynb"
    autograded.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, autograded)
    write_feedback(root / "feedback" / job.student / job.assignment / f"{job.notebook}.html",
                   executed, outcome.verdicts, outcome.notes)
    journal.append({"student": job.student, "notebook": job.notebook, "digest": digest,
                    "seed": run.seed, "notes": outcome.notes,
                    "scores": {g: v.score for g, v in outcome.verdicts.items()},
                    "flags": outcome.flags, "finished_at": time.time()})
    return outcome
