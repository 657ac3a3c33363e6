"""One grading job: execute one notebook in a fresh sandbox and bring back raw results.

A job is plain data in and plain data out, so it runs the same in a local
process pool or on a Dask worker on another machine. It never sees the
gradebook or the source folder: the coordinator sends the notebook to run
(already restored from the gradebook) and does all the judging itself.
"""
from __future__ import annotations

import ast
import atexit
import functools
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import kernel as kernel_package
from .. import sandbox
from ..kernel.evidence import EVIDENCE_FILE_ENV, PROBE_SEED_ENV
from ..sandbox.warm import WarmSandbox
from ..trusted.evidence import MAX_EVIDENCE_BYTES
from ..trusted.hostile import MAX_STATUS_BYTES, clean_status, read_regular_file
from .intake import MAX_NOTEBOOK_BYTES

MAX_HIDDEN_REQUESTS = 10_000    # one request per code cell; a notebook has at most MAX_CELLS


SINGLE_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class Job:
    kind: str                      # "reference" or "student"
    student: str
    assignment: str
    notebook: str                  # notebook name without .ipynb
    notebook_json: str
    seed: str
    cell_timeout: float = 120      # CPU seconds per cell; grade() passes the course's Execute.timeout
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    files: tuple[tuple[str, bytes], ...] = ()   # data files the notebook reads, by relative path
    isolation: str = "auto"
    # (cell index, full source) of the test cells whose hidden part was cut from notebook_json:
    # the executor gets each over a pipe when the cell runs, never as a file
    hidden: tuple[tuple[int, str], ...] = ()
    # run in this worker's warm sandbox (autograder/sandbox/warm.py), its server having imported
    # these modules (the ones the instructor's notebook imports) once for many notebooks
    warm: bool = True
    preload: tuple[str, ...] = ()
    # stop after the code cell at this index (Options.last_cell): the cells after it do not run
    last_cell: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.student}:{self.assignment}:{self.notebook}"


@dataclass
class JobOutput:
    """What came out of the sandbox, as bytes and well-typed fields; nothing in it is trusted."""
    key: str
    executed: bytes | None           # the executed notebook's raw bytes (a regular file, bounded)
    status: dict                     # untrusted.clean_status(): well-typed, evidence of nothing
    evidence: bytes
    warning: str = ""
    timed_out: bool = False
    error: str | None = None         # an infrastructure failure: nobody is graded on this job
    notes: list[str] = field(default_factory=list)   # e.g. hidden tests asked for out of turn


# imported by the executor or by the notebook's first figure once the shell exists: importing
# them before the shell would leave figures without the inline display hooks
NOT_PRELOADED = ("matplotlib_inline", "IPython", "autograder", "__future__")


def modules_to_preload(notebook) -> tuple[str, ...]:
    """The modules the release notebook imports (read from its code, never run), plus
    torch._dynamo, which torch.optim imports on its first step: a warm sandbox imports them once."""
    found: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:   # IPython magics: not Python
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    found = {name for name in found if not name.startswith(NOT_PRELOADED)}
    if "torch" in {name.split(".")[0] for name in found}:
        found.add("torch._dynamo")
    return tuple(sorted(found))


@functools.cache
def matplotlib_font_cache() -> tuple[str, bytes] | None:
    """(file name, bytes) of matplotlib's font list as this machine builds it, or None.

    A sandbox starts with an empty HOME, so matplotlib would rebuild its font list in every job
    (about a third of a second); a copy in the work dir spares that. The list names the fonts of
    /usr and of the venv, which the sandbox binds read-only at the same paths: the same list inside.
    """
    try:
        import matplotlib
        from matplotlib import font_manager  # noqa: F401  (loads the list, or builds it once)
    except ImportError:
        return None
    found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return (found[-1].name, found[-1].read_bytes()) if found else None


def runtime_dir() -> Path:
    """A copy of the kernel package (autograder/kernel/, whole) outside the repository.

    The repository holds source/ and gradebook.db, so it is never mounted in a sandbox; only
    this copy is: an empty autograder/__init__.py and the kernel's files, nothing else.
    """
    kernel = Path(kernel_package.__file__).resolve().parent
    files = sorted(p for p in kernel.iterdir() if p.suffix == ".py")
    # keyed by content: two checkouts grading at once (or an upgrade mid-batch) never
    # swap each other's executor under a running job
    digest = hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in files)).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"course-runtime-{os.getuid()}-{digest}"
    contents = {base / "autograder" / "__init__.py": b"",
                **{base / "autograder" / "kernel" / p.name: p.read_bytes() for p in files}}
    for target, data in contents.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        target.chmod(0o644)
    for folder in (base, base / "autograder", base / "autograder" / "kernel"):
        folder.chmod(0o755)
    return base


class HiddenTests(threading.Thread):
    """Serves each hidden test cell's full source once, over a pipe, when the executor asks.

    The executor writes "<cell index>\\n" and reads "<length>\\n<source>" back (length 0: no
    hidden part). A cell is handed out once: if student code asks for it first, the executor's
    own request later gets nothing, the cell runs without its hidden part and earns nothing, and
    the job notes it.
    """

    def __init__(self, hidden: tuple[tuple[int, str], ...]):
        super().__init__(daemon=True)
        self.sources = {index: source.encode() for index, source in hidden}
        self.served: set[int] = set()
        self.notes: list[str] = []
        self.request_read, self.request_write = os.pipe()
        self.reply_read, self.reply_write = os.pipe()
        self.finished = False

    def sandbox_fds(self) -> tuple[int, int]:
        return self.request_write, self.reply_read

    def run(self) -> None:
        buffer = b""
        try:
            for _ in range(MAX_HIDDEN_REQUESTS):
                while b"\n" not in buffer:
                    chunk = os.read(self.request_read, 64)
                    if not chunk or len(buffer) > 64:
                        return
                    buffer += chunk
                line, buffer = buffer.split(b"\n", 1)
                reply = b""
                try:
                    index = int(line)
                except ValueError:
                    index = None
                if index in self.sources:
                    if index in self.served:
                        self.notes.append(f"the hidden tests of cell {index} were asked for twice: code "
                                          "of the submission read them out of turn, so that cell ran "
                                          "without them")
                    else:
                        self.served.add(index)
                        reply = self.sources[index]
                os.write(self.reply_write, b"%d\n" % len(reply))
                view = memoryview(reply)
                while view:
                    view = view[os.write(self.reply_write, view):]
        except OSError:  # the sandbox is gone (EPIPE) or the pipe was closed: nothing left to serve
            return

    def finish(self) -> list[str]:
        """After the sandbox has ended: stop serving, release the pipes, return the notes (once:
        closing an fd number twice could close somebody else's file)."""
        if not self.finished:
            self.finished = True
            for fd in self.sandbox_fds():
                _close(fd)
            if self.is_alive() or self.ident is not None:
                self.join(timeout=5)
            for fd in (self.request_read, self.reply_write):
                _close(fd)
        return self.notes


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def run_job(job: Job) -> JobOutput:
    """Run the job in a warm sandbox of this process when it may (job.warm, bubblewrap), else, or
    when the warm sandbox broke during the job, in a fresh sandbox of its own."""
    session = _warm_sandbox(job) if job.warm else None
    if session is not None:
        output = _run_warm(job, session)
        if output is not None:
            return output
    return _run_cold(job)


def _inputs(workdir: Path, job: Job, font_cache: bool) -> dict[str, str]:
    """Write the job's notebook and data files into workdir; the environment of its run."""
    (workdir / "submission.ipynb").write_text(job.notebook_json, encoding="utf-8")
    for rel, data in job.files:
        target = workdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    env = {}
    cache = matplotlib_font_cache() if font_cache else None
    if cache is not None:
        (workdir / ".matplotlib").mkdir()
        (workdir / ".matplotlib" / cache[0]).write_bytes(cache[1])
        env["MPLCONFIGDIR"] = str(workdir / ".matplotlib")
    return env | {
        EVIDENCE_FILE_ENV: str(workdir / "evidence.jsonl"),
        PROBE_SEED_ENV: job.seed,
        "NBGRADER_EXECUTION": "autograde",
    }


def _executor_args(job: Job, fds: str) -> list[str]:
    return ["submission.ipynb", "executed.ipynb", "--status", "status.json",
            "--cell-timeout", str(job.cell_timeout), "--hidden-fds", fds,
            *(["--last-cell", str(job.last_cell)] if job.last_cell is not None else [])]


def _outputs(job: Job, workdir: Path, *, warning: str, timed_out: bool, memory_limit_hit: bool,
             notes: list[str]) -> JobOutput:
    if memory_limit_hit:
        notes.append("the notebook ran out of memory (its processes together hit the sandbox's "
                     f"{job.limits.group_memory_bytes >> 20} MiB) and the kernel was killed")
    return JobOutput(
        key=job.key,
        # the executed notebook carries outputs: it may be larger than a handed-in one
        executed=read_regular_file(workdir, "executed.ipynb", 4 * MAX_NOTEBOOK_BYTES),
        status=clean_status(read_regular_file(workdir, "status.json", MAX_STATUS_BYTES)),
        evidence=read_regular_file(workdir, "evidence.jsonl", MAX_EVIDENCE_BYTES) or b"",
        warning=warning, timed_out=timed_out, notes=notes)


# One math thread per notebook: the pool already runs one job per core, and two jobs each
# spinning two torch/BLAS threads on two cores run many times slower, not faster.
def _base_env(runtime: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(runtime), **{name: "1" for name in SINGLE_THREAD_VARS}}


def _run_cold(job: Job) -> JobOutput:
    runtime = runtime_dir()
    workdir = Path(tempfile.mkdtemp(prefix="course-job-"))
    server = HiddenTests(job.hidden)
    try:
        env = _base_env(runtime) | _inputs(workdir, job, font_cache=True)
        request_fd, reply_fd = server.sandbox_fds()
        argv = [sys.executable, "-m", "autograder.kernel.executor",
                *_executor_args(job, f"{request_fd},{reply_fd}")]
        server.start()
        # no slot given: the sandbox takes a free one (its own user), so jobs never share one
        result = sandbox.run_sandboxed(argv, workdir, limits=job.limits, env=env,
                                       readonly=[*sandbox.runtime_paths(), runtime],
                                       isolation=job.isolation, pass_fds=(request_fd, reply_fd))
        return _outputs(job, workdir, warning=result.warning, timed_out=result.timed_out,
                        memory_limit_hit=result.memory_limit_hit, notes=server.finish())
    except Exception as err:  # a job must report, never take the batch down
        return JobOutput(job.key, None, clean_status(None), b"", error=f"{type(err).__name__}: {err}")
    finally:
        server.finish()
        shutil.rmtree(workdir, ignore_errors=True)


def _run_warm(job: Job, session: WarmSandbox) -> JobOutput | None:
    """The job in this process's warm sandbox; None when the sandbox broke during it (the caller
    then runs the job again, cold, with a fresh hidden-test server)."""
    server = HiddenTests(job.hidden)
    folder = None
    try:
        folder = session.new_folder()
        env = _inputs(folder, job, font_cache=False)   # matplotlib's font list is loaded already
        server.start()
        result = session.run(folder, _executor_args(job, "{fds}"), env, fds=server.sandbox_fds(),
                             wall=job.limits.wall_seconds)
        notes = server.finish()
        if result.broken:
            return None
        return _outputs(job, folder, warning="", timed_out=result.timed_out,
                        memory_limit_hit=result.memory_limit_hit, notes=notes)
    except Exception:  # the warm path is an optimisation: anything odd, and the job runs cold
        session.close("an error while running a job")
        return None
    finally:
        server.finish()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        _release(session)


# -- warm sandboxes: a few per worker process, one per (limits, preload) -------------------------
# A warm sandbox holds a slot (a user) while it lives: an idle one gives it back soon, and a
# process keeps at most two (an assignment's notebooks alternate in a batch). A job claims its
# sandbox (busy) under the lock and releases it once its outputs are read: a worker that runs
# jobs on several threads (a Dask worker does) never has two in one sandbox, and no sandbox is
# closed, nor its folders removed, under a job.
IDLE_SECONDS = 120
MAX_WARM_PER_PROCESS = 2
_warm: dict[tuple, WarmSandbox | None] = {}   # None: this configuration cannot run warm here
_starting: set[tuple] = set()                 # a thread is starting the sandbox for this key
_warm_lock = threading.Lock()
_reaper: threading.Thread | None = None


def _warm_sandbox(job: Job) -> WarmSandbox | None:
    """This process's warm sandbox for the job's kind, claimed for the job until _release(); None:
    run cold (no bubblewrap, the server refused, or another thread's job has the sandbox)."""
    if job.isolation == "fallback" or sandbox.probe_isolation()[0] != "bubblewrap":
        return None
    runtime = runtime_dir()
    key = (job.limits, job.preload, str(runtime))
    with _warm_lock:
        known = _warm.get(key, False)
        if known is None or key in _starting:
            return None
        if known is not False and known.alive:
            if known.busy:
                return None
            known.busy = True
            return known
        _warm.pop(key, None)
        live = sorted((s for s in _warm.values() if s and not s.busy), key=lambda s: s.last_used)
        retire = live[:max(0, len(live) - MAX_WARM_PER_PROCESS + 1)]
        for k in [k for k, s in _warm.items() if s in retire]:
            del _warm[k]
        if known and not known.busy:
            retire.append(known)   # retired by its last run: its folders go now
        _starting.add(key)
    session = None
    try:
        for old in retire:   # outside the lock: closing waits for the sandbox to end
            old.close("making room")
        command = [sys.executable, "-m", "autograder.kernel.warm", "--control", "{control}",
                   "--preload", ",".join(job.preload)]
        env = _base_env(runtime) | {"MPLCONFIGDIR": "/tmp/matplotlib"}
        try:
            candidate = WarmSandbox(command, limits=job.limits, env=env,
                                    readonly=[*sandbox.runtime_paths(), runtime])
            try:
                candidate.start()   # waits for a free slot, then for the imports
            except BaseException:
                candidate.close("did not start")
                raise
            # not alive: the server refused (threads after import, ...)
            session = candidate if candidate.alive else None
        except sandbox.SandboxError:
            session = None
    finally:
        with _warm_lock:
            _starting.discard(key)
            _warm[key] = session
            if session is not None:
                session.busy = True
    _start_reaper()
    return session


def _release(session: WarmSandbox) -> None:
    """The job is done with its sandbox (outputs read, folder removed)."""
    with _warm_lock:
        session.busy = False
        session.last_used = time.monotonic()
    if not session.alive:
        session.close()   # retired by this job's run: nothing of it is needed any more


def _start_reaper() -> None:
    global _reaper
    with _warm_lock:
        if _reaper is None or not _reaper.is_alive():
            _reaper = threading.Thread(target=_close_idle, daemon=True, name="warm-sandbox-reaper")
            _reaper.start()


def _close_idle() -> None:
    while True:
        time.sleep(2)
        with _warm_lock:
            idle = [(k, s) for k, s in _warm.items()
                    if s and not s.busy and (not s.alive or time.monotonic() - s.last_used > IDLE_SECONDS)]
            for key, _ in idle:
                del _warm[key]
        for _, session in idle:
            session.close("idle")


def close_warm_sandboxes() -> None:
    """Close every warm sandbox of this process (at exit; tests that need every slot free)."""
    with _warm_lock:
        sessions = list(filter(None, _warm.values()))
        _warm.clear()
    for session in sessions:
        session.close()


atexit.register(close_warm_sandboxes)
