"""Execute one notebook cell by cell, leaving a checkpoint after every cell.

This runs inside the sandbox, and the cells run in this very process, in an
IPython shell: inside a fresh sandbox per notebook there is nothing to gain
from a separate kernel process talking ZMQ, and starting one costs most of a
second per notebook. Nothing this process writes is trusted: the trusted side
reads the checkpoint only for feedback (outputs, which cell died) and scores
from evidence compared with the reference. The checkpoint keeps partial credit
when a cell kills the process, hangs, or the sandbox is killed at its wall limit.

A watchdog thread enforces the per-cell time: at the limit it raises
CellTimeout in the cell (like a kernel interrupt); a cell that swallows that
gets RECOVERY_TIMEOUT more seconds, after which the run stops with the status
written, as nbclient does when an interrupted kernel does not answer.

The limit counts CPU time, not wall time: a correct cell on a busy machine gets less CPU per
second, so its wall time grows with the load while the CPU time it needs does not (a student
lost points once when a correct but slower training cell met a wall-clock limit on a loaded
machine, and kept them on a quiet rerun). A cell that waits without computing (a sleep, a
blocked read) may wait as many seconds as the limit; waiting for a CPU is not counted.

Hidden tests are not in IN.ipynb: before it runs a code cell the executor asks the
grader over a pipe (--hidden-fds REQUEST,REPLY) whether that cell has a full source
with hidden tests; if so it runs that and keeps only the visible source in the
checkpoint. Student code in earlier cells finds no file with the hidden tests in it.
The executor knows nothing of nbgrader: which cells are tests is the grader's business.

This module and evidence.py are the whole of the project that runs inside the sandbox
(autograder/kernel/): they import nothing else of it.

    python -m autograder.kernel.executor IN.ipynb OUT.ipynb --status status.json \\
        --cell-timeout 60 --hidden-fds 5,6 [--last-cell INDEX]

--last-cell stops after the code cell at INDEX: the cells after it do not run (their tests
score zero). A cell's verdict depends only on the cells before it, so a test that proves what
one test cell catches needs nothing after that cell.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

# jsonschema (under nbformat) imports the optional rfc3987_syntax checker, which builds a
# grammar at import time: about 1.3 s of every job. Nothing here validates URI formats.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402

from .evidence import EVIDENCE_FILE_ENV  # noqa: E402

RECOVERY_TIMEOUT = 5  # seconds an interrupted cell has to give control back
IDLE_WINDOW = 1.0     # seconds over which the watchdog tells a waiting cell from a starved one
IDLE_SHARE = 0.02     # a window in which the cell got less CPU than this share of it counts as idle
# A cell's text output is cut to its head and tail beyond this: a flood must not reach the
# checkpoint, the gradebook's autograded copy or the feedback page.
MAX_OUTPUT_CHARS = 100_000
# Taken before any student code runs, which may replace os._exit or os.replace.
_hard_exit = os._exit
_replace = os.replace


class CellTimeout(BaseException):
    """Raised inside a cell that ran past its time (a BaseException, as KeyboardInterrupt is)."""


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    _replace(tmp, path)


def _evidence_size() -> int:
    path = os.environ.get(EVIDENCE_FILE_ENV)
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


class HiddenSource:
    """Asks the grader for a cell's full source (its hidden tests) just before the cell runs."""

    def __init__(self, fds: str | None):
        self.request = self.reply = None
        if fds:
            self.request, self.reply = (int(x) for x in fds.split(","))

    def fetch(self, index: int) -> str | None:
        if self.request is None:
            return None
        try:
            os.write(self.request, b"%d\n" % index)
            header = b""
            while not header.endswith(b"\n"):
                byte = os.read(self.reply, 1)
                if not byte or len(header) > 20:
                    return None
                header += byte
            length, data = int(header), b""
            while len(data) < length:
                chunk = os.read(self.reply, length - len(data))
                if not chunk:
                    return None
                data += chunk
        except (OSError, ValueError):
            return None
        return data.decode("utf-8", "replace") if length else None


def _limit_outputs(cell) -> None:
    for output in cell.get("outputs", []):
        text = output.get("text") if output.get("output_type") == "stream" else None
        if isinstance(text, str) and len(text) > MAX_OUTPUT_CHARS:
            half = MAX_OUTPUT_CHARS // 2
            output["text"] = (text[:half] + f"\n... [{len(text) - MAX_OUTPUT_CHARS} characters cut by the grader] ...\n"
                              + text[-half:])
        data = output.get("data", {})
        for mime, value in list(data.items()):
            if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
                data[mime] = value[:MAX_OUTPUT_CHARS] + "\n... [cut by the grader]"


def _error_output(error: BaseException | None):
    if isinstance(error, CellTimeout):
        name, value = "CellTimeoutError", str(error)
    else:
        name, value = type(error).__name__, str(error)
    lines = traceback.format_exception(type(error), error, error.__traceback__) if error else []
    return nbformat.v4.new_output("error", ename=name, evalue=value, traceback=[ln.rstrip("\n") for ln in lines])


def cpu_seconds() -> float:
    """CPU time of this process (every thread: torch's and BLAS's pools too) and of the children it
    has waited for. A child left running is not counted: its parent is then idle, and idle time
    is bounded as well."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Watchdog(threading.Thread):
    """Interrupts a cell that used its limit in CPU seconds, or waited as many seconds without
    computing; stops the whole run if the cell will not let go.

    Waiting for a CPU on a busy machine is neither: a starved cell still gets some CPU in every
    IDLE_WINDOW, where a sleeping or blocked one gets (almost) none."""

    def __init__(self, cell_timeout: float, give_up, clock=cpu_seconds):
        super().__init__(daemon=True)
        self.cell_timeout = cell_timeout
        self.give_up = give_up
        self.clock = clock
        self.cpu = self.idle = 0.0          # of the running cell
        self.window: tuple[float, float] | None = None   # (wall, cpu) at the start of this window
        self.fired_at: float | None = None
        self.reason = ""
        self.lock = threading.Lock()

    def arm(self) -> None:
        with self.lock:
            self.cpu = self.idle = 0.0
            self.window, self.fired_at, self.reason = (time.monotonic(), self.clock()), None, ""

    def disarm(self) -> bool:
        """Stop watching; True when the cell was interrupted."""
        with self.lock:
            fired, self.window = self.fired_at is not None, None
            return fired

    def over_limit(self, cpu: float, idle: float) -> str:
        """Why a cell that used `cpu` CPU seconds and sat `idle` seconds without computing must stop ('' if not)."""
        if cpu > self.cell_timeout:
            return f"cell used more than {self.cell_timeout:g} s of CPU time"
        if idle > self.cell_timeout:
            return f"cell waited more than {self.cell_timeout:g} s without computing"
        return ""

    def tick(self, now: float, cpu_now: float) -> str:
        """Account the time since the window began; the reason to stop, if any."""
        with self.lock:
            if self.window is None or self.fired_at is not None:
                return ""
            wall, cpu = now - self.window[0], cpu_now - self.window[1]
            reason = self.over_limit(self.cpu + cpu, self.idle)
            if wall >= IDLE_WINDOW:
                self.cpu += cpu
                self.idle += wall if cpu < IDLE_SHARE * wall else 0.0
                self.window = (now, cpu_now)
                reason = reason or self.over_limit(self.cpu, self.idle)
            if reason:
                self.fired_at, self.reason = now, reason
            return reason

    def run(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            if self.tick(now, self.clock()):
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
            with self.lock:
                fired_at = self.fired_at if self.window is not None else None
            if fired_at is not None and now > fired_at + RECOVERY_TIMEOUT:
                self.give_up()


def _on_timeout_signal(signum, frame):
    raise CellTimeout("cell ran longer than its time limit and was interrupted")


def execute(nb, workdir: Path, out: Path, status_path: Path, cell_timeout: float,
            hidden: HiddenSource | None = None, last_cell: int | None = None) -> dict:
    status = {"cells": [], "finished": False, "stopped_at": None, "stop_reason": None, "running": None}

    def checkpoint():
        # plain JSON: nbformat.writes validates and pretty-prints, 12 ms a cell for nothing here
        _atomic_write(out, json.dumps(nb))
        _atomic_write(status_path, json.dumps(status))

    def give_up():  # runs on the watchdog thread while the cell still holds the main thread
        status["stopped_at"] = status["running"]
        status["stop_reason"] = "the kernel did not recover from a timeout"
        if status["cells"] and status["cells"][-1]["index"] == status["running"]:
            status["cells"][-1]["status"] = "timeout"
        else:
            status["cells"].append({"index": status["running"], "status": "timeout",
                                    "evidence_start": 0, "evidence_end": _evidence_size()})
        try:
            _atomic_write(status_path, json.dumps(status))
        finally:
            _hard_exit(0)

    os.chdir(workdir)
    # figures appear in the notebook as they would in Jupyter (plt.show() displays them inline)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    shell = InteractiveShell.instance(colors="NoColor")
    shell._showtraceback = lambda *args, **kwargs: None  # errors become error outputs instead
    signal.signal(signal.SIGUSR1, _on_timeout_signal)
    watchdog = Watchdog(cell_timeout, give_up)
    watchdog.start()
    checkpoint()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        entry = {"index": index, "status": "running",
                 "evidence_start": _evidence_size()}
        status["running"] = index
        status["cells"].append(entry)
        _atomic_write(status_path, json.dumps(status))  # if this cell kills the process, it says where
        full = hidden.fetch(index) if hidden is not None else None
        started, cpu_started = time.monotonic(), cpu_seconds()
        watchdog.arm()
        try:
            with capture_output(display=True) as captured:
                # a cell with hidden tests stays out of the history (In, _ih): later cells of the
                # student's cannot print it from there
                result = shell.run_cell(full if full is not None else cell.source,
                                        store_history=full is None)
        except CellTimeout:  # the interrupt landed outside the cell's own code
            result = None
        interrupted = watchdog.disarm()
        cell.outputs = []
        if captured.stdout:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=captured.stdout))
        if captured.stderr:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=captured.stderr))
        for shown in captured.outputs:
            cell.outputs.append(nbformat.v4.new_output("display_data", data=shown.data,
                                                       metadata=shown.metadata or {}))
        error = None if result is None else (result.error_before_exec or result.error_in_exec)
        entry["status"] = "ok"
        if interrupted:
            entry["status"] = "timeout"
            cell.outputs.append(_error_output(CellTimeout(watchdog.reason or "cell ran out of time")))
        elif error is not None:
            entry["status"] = "error"
            cell.outputs.append(_error_output(error))
        cell.execution_count = shell.execution_count - 1
        _limit_outputs(cell)
        entry["seconds"] = round(time.monotonic() - started, 3)
        entry["cpu_seconds"] = round(cpu_seconds() - cpu_started, 3)
        entry["evidence_end"] = _evidence_size()
        status["running"] = None
        checkpoint()
        if index == last_cell:
            break
    status["finished"] = True
    checkpoint()
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--status", required=True)
    parser.add_argument("--cell-timeout", type=float, required=True,
                        help="CPU seconds per cell (and as many seconds of waiting without computing)")
    parser.add_argument("--hidden-fds", default=None, help="REQUEST,REPLY pipe descriptors")
    parser.add_argument("--last-cell", type=int, default=None, help="stop after the code cell at this index")
    args = parser.parse_args(argv)
    source = Path(args.notebook).resolve()
    nb = nbformat.read(source, as_version=4)
    execute(nb, source.parent, Path(args.output).resolve(), Path(args.status).resolve(), args.cell_timeout,
            HiddenSource(args.hidden_fds), args.last_cell)
    sys.stdout.flush()
    _hard_exit(0)  # skip interpreter shutdown: atexit hooks and threads of student code do not run


if __name__ == "__main__":
    sys.exit(main())
