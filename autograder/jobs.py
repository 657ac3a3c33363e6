"""One grading job: execute one notebook in a fresh sandbox and bring back raw results.

A job is plain data in and plain data out, so it runs the same in a local
process pool or on a Dask worker on another machine. It never sees the
gradebook or the source folder: the coordinator sends the notebook to run
(already restored from the gradebook) and does all the judging itself.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import sandbox

# What the kernel needs of this package: the executor and the evidence recorder.
RUNTIME_MODULES = ("__init__.py", "executor.py", "evidence.py")
MAX_NOTEBOOK_BYTES = 64 << 20
SLOTS = 8


SINGLE_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class Job:
    kind: str                      # "reference" or "student"
    student: str
    assignment: str
    notebook: str                  # notebook name without .ipynb
    notebook_json: str
    seed: str
    cell_timeout: float = 60
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    files: tuple[tuple[str, bytes], ...] = ()   # data files the notebook reads, by relative path
    isolation: str = "auto"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.student}:{self.assignment}:{self.notebook}"


@dataclass
class JobOutput:
    key: str
    executed_json: str | None
    status: dict
    evidence: bytes
    isolation: str
    warning: str
    timed_out: bool
    returncode: int | None
    wall_seconds: float
    error: str | None = None
    stderr_tail: str = ""


def runtime_dir() -> Path:
    """A copy of the modules the kernel imports, outside the repository.

    The repository holds source/ and gradebook.db, so it is never mounted in a
    sandbox; only this copy is.
    """
    here = Path(__file__).resolve().parent
    # keyed by content: two checkouts grading at once (or an upgrade mid-batch) never
    # swap each other's executor under a running job
    digest = hashlib.sha256(b"".join((here / name).read_bytes() for name in RUNTIME_MODULES)).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"course-runtime-{os.getuid()}-{digest}"
    package = base / "autograder"
    package.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_MODULES:
        target, origin = package / name, here / name
        if not target.exists() or target.read_bytes() != origin.read_bytes():
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(origin, tmp)
            os.replace(tmp, target)
    for folder in (base, package):
        folder.chmod(0o755)
    for name in RUNTIME_MODULES:
        (package / name).chmod(0o644)
    return base


@contextmanager
def sandbox_slot():
    """One of SLOTS sandbox users, held for the job, so concurrent jobs never share a process budget."""
    lock_dir = Path(tempfile.gettempdir()) / "course-sandbox-slots"
    lock_dir.mkdir(exist_ok=True)
    while True:
        for slot in range(SLOTS):
            handle = open(lock_dir / f"{slot}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield slot
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        time.sleep(0.05)


def _read_bounded(path: Path, limit: int) -> bytes | None:
    try:
        if path.stat().st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def run_job(job: Job) -> JobOutput:
    runtime = runtime_dir()
    workdir = Path(tempfile.mkdtemp(prefix="course-job-"))
    try:
        (workdir / "submission.ipynb").write_text(job.notebook_json, encoding="utf-8")
        for rel, data in job.files:
            target = workdir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        env = {
            "COURSE_EVIDENCE_FILE": str(workdir / "evidence.jsonl"),
            "COURSE_PROBE_SEED": job.seed,
            "NBGRADER_EXECUTION": "autograde",
            "PYTHONPATH": str(runtime),
            # One math thread per notebook: the pool already runs one job per core, and two jobs
            # each spinning two torch/BLAS threads on two cores run many times slower, not faster.
            **{name: "1" for name in SINGLE_THREAD_VARS},
        }
        argv = [sys.executable, "-m", "autograder.executor", "submission.ipynb", "executed.ipynb",
                "--status", "status.json", "--cell-timeout", str(job.cell_timeout)]
        with sandbox_slot() as slot:
            result = sandbox.run_sandboxed(argv, workdir, limits=job.limits, env=env,
                                           readonly=[*sandbox.runtime_paths(), runtime], slot=slot,
                                           isolation=job.isolation)
        executed = _read_bounded(workdir / "executed.ipynb", MAX_NOTEBOOK_BYTES)
        status_raw = _read_bounded(workdir / "status.json", 1 << 20)
        try:
            status = json.loads(status_raw) if status_raw else {}
            if not isinstance(status, dict):
                status = {}
        except ValueError:
            status = {}
        evidence = _read_bounded(workdir / "evidence.jsonl", 64 << 20) or b""
        return JobOutput(
            key=job.key,
            executed_json=executed.decode("utf-8", "replace") if executed else None,
            status=status, evidence=evidence, isolation=result.isolation, warning=result.warning,
            timed_out=result.timed_out, returncode=result.returncode,
            wall_seconds=result.wall_seconds, stderr_tail=result.stderr[-2000:])
    except Exception as err:  # a job must report, never take the batch down
        return JobOutput(job.key, None, {}, b"", "unknown", "", False, None, 0.0,
                         error=f"{type(err).__name__}: {err}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
