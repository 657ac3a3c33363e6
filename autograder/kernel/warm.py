"""A warm sandbox's first process: import the heavy libraries once, then fork one child per notebook.

Starting Python, NumPy, torch (and torch._dynamo, which torch.optim imports on the first step),
IPython and nbformat costs 2.5 to 4 s of CPU before a notebook's first cell; the notebooks
themselves run in 1 to 5 s in grading mode. So the grader may keep one sandbox per worker alive
for a batch, with this process as its pid 1, and run each notebook in a forked child of it.

Why a child of this process is as fresh as a cold sandbox, for everything student code can reach:

* this process never runs student code and never sees a hidden test (those go to the child over
  its own pipes); it is pid 1 of the sandbox's pid namespace, so no process inside can kill or
  stop it (the kernel delivers to a namespace's init only signals it has handlers for, and it
  keeps none), and it is not dumpable, so none can ptrace it or read its memory;
* a child gets a copy of this process's memory: what it changes there dies with it;
* when the child ends (or its time is up), every other process of the sandbox is SIGKILLed
  (kill(-1) from pid 1 reaches all of them) before the next child is forked; then /tmp (HOME is
  in it) and /dev/shm are emptied (folders a student made read-only included) and System V IPC
  objects removed: nothing a student leaves behind runs on, or is read automatically, in the
  next notebook;
* what a child inherits from this process and another process of the same user may change from
  outside without ptrace rights (rlimits by prlimit, nice, scheduling policy, CPU affinity, I/O
  priority) is compared after every notebook with what it was at the start: any change, and the
  grader retires the sandbox before the next notebook; each child starts its own session, so
  that it has its own scheduler autogroup too;
* the grader gives each child a fresh work dir and empties the old one from outside.

It refuses to serve (the grader then starts cold sandboxes) if importing left a second thread
or a shared writable mapping, either of which a fork would carry into every child.

Protocol, on a SOCK_SEQPACKET socket (--control FD): this process sends {"ready": bool, ...};
the grader sends one JSON request per notebook, {"argv": [...], "cwd": ..., "env": {...},
"wall": seconds}, with the notebook's hidden-test pipes attached (SCM_RIGHTS); "{fds}" in argv
becomes "REQUEST,REPLY" as numbered in the child. Reply: {"done": true, "status": waitstatus,
"timed_out": bool, "late": bool (this process saw the end of the run more than LATE_SECONDS
after its wall time: it was held back, and the notebook's processes ran on meanwhile),
"spoiled": why the sandbox must not serve again, or "", "cpu": this process's CPU seconds}.
End of the socket: everything is killed and this process exits.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import importlib
import json
import os
import platform
import random
import re
import resource
import signal
import socket
import stat
import sys
import threading
import time
from pathlib import Path

PR_SET_DUMPABLE = 4
IPC_RMID = 0
MAX_REQUEST_BYTES = 1 << 20
CLEAN_DIRS = ("/tmp", "/dev/shm")
LATE_SECONDS = 2.0   # this process polls every 10 ms; later than this, something held it back
IOPRIO_GET = {"x86_64": 252, "aarch64": 31}.get(platform.machine())   # no wrapper in libc or os
IOPRIO_WHO_PROCESS = 1
RLIMITS = sorted({getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_")})


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _refusal() -> str:
    """Why forking this process would share state between children, or ''."""
    if IOPRIO_GET is None:
        return f"no check of the I/O priority a child would inherit on {platform.machine()}"
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1 or threading.active_count() != 1:
        return f"importing left {threads} threads running"
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) > 1 and fields[1].startswith("rw") and fields[1][3] == "s":
                return f"importing left a shared writable mapping: {line.strip()}"
    return ""


def inherited() -> dict:
    """What a forked child inherits from this process that any process of the same user can change
    from outside: prlimit(), setpriority(), sched_setscheduler(), sched_setaffinity() and
    ioprio_set() ask for the same uid, not for ptrace rights, so not being dumpable does not
    protect them. A notebook that lowered them would hand them down to the next notebook."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    try:
        autogroup = Path("/proc/self/autogroup").read_text().split()[-1]
    except (OSError, IndexError):
        autogroup = ""
    return {"rlimits": [resource.getrlimit(which) for which in RLIMITS],
            "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "policy": os.sched_getscheduler(0), "priority": os.sched_getparam(0).sched_priority,
            "cpus": sorted(os.sched_getaffinity(0)),
            "ioprio": libc.syscall(IOPRIO_GET, IOPRIO_WHO_PROCESS, 0),
            "autogroup_nice": autogroup}


def _other_processes() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) != os.getpid()]


def _reap() -> dict[int, int]:
    """Reap every child (orphans come to pid 1) without blocking: {pid: wait status}."""
    done = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return done
        if pid == 0:
            return done
        done[pid] = status


def kill_everything_else(grace: float = 5.0) -> bool:
    """SIGKILL every other process of the namespace until none is left (kill(-1) again for forks
    that raced the first one); False if some survived `grace` seconds."""
    deadline = time.monotonic() + grace
    while True:
        _reap()
        if not _other_processes():
            return True
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def _remove_ipc() -> None:
    """Remove every System V shared memory segment, semaphore set and message queue: they
    outlive the processes that made them."""
    libc = _libc()
    for table, remove in (("shm", lambda i: libc.shmctl(i, IPC_RMID, None)),
                          ("sem", lambda i: libc.semctl(i, 0, IPC_RMID)),
                          ("msg", lambda i: libc.msgctl(i, IPC_RMID, None))):
        try:
            lines = Path(f"/proc/sysvipc/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and fields[1].isdigit():
                remove(int(fields[1]))


class Scratch:
    """A folder the notebooks may write in (/tmp, /dev/shm), to be emptied after each of them.

    The mount points below it (the work root and the kernel's copy, which the sandbox binds at
    their host paths under /tmp) and the folders leading to them stay; their modes are put back.
    """

    def __init__(self, top: str):
        self.top = top
        self.mounts = {point for point in _mount_points() if point.startswith(top.rstrip("/") + "/")}
        self.modes = {folder: stat.S_IMODE(os.lstat(folder).st_mode)
                      for point in self.mounts for folder in _folders_between(top, point)}
        self.modes[top] = stat.S_IMODE(os.lstat(top).st_mode)

    def empty(self) -> bool:
        """Remove everything else; False if something could not be removed."""
        try:
            folders = [self.top]
            while folders:
                folder = folders.pop()
                os.chmod(folder, self.modes[folder])   # a notebook may have made it read-only
                for name in os.listdir(folder):
                    path = os.path.join(folder, name)
                    if path in self.modes:
                        folders.append(path)
                    elif path not in self.mounts:
                        _remove(path, folder)
        except OSError:
            return False
        return True


def _mount_points() -> set[str]:
    with open("/proc/self/mountinfo") as info:
        return {re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), line.split()[4]) for line in info}


def _folders_between(top: str, point: str) -> list[str]:
    """The folders below top that lead to point (not point itself)."""
    parts = os.path.relpath(point, top).split(os.sep)[:-1]
    return [os.path.join(top, *parts[:i]) for i in range(1, len(parts) + 1)]


def _remove(path: str, beside: str) -> None:
    """Remove path and everything below it, with neither recursion nor long paths (a notebook may
    leave folders thousands deep, or make them read-only; only other processes are gone, never
    the folders' owner): each folder is made ours to empty and its entries are moved up beside
    it, so every entry is at most one level down when it is removed."""
    pending = [path]
    while pending:
        path = pending.pop()
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)
            continue
        os.chmod(path, 0o700)
        for name in os.listdir(path):
            inner = os.path.join(path, name)
            if stat.S_ISDIR(os.lstat(inner).st_mode):
                os.chmod(inner, 0o700)   # moving a folder rewrites its "..": it must be writable
            moved = os.path.join(beside, f".removing-{os.urandom(8).hex()}")
            os.rename(inner, moved)
            pending.append(moved)
        os.rmdir(path)


def clean_up(keep: list[str], scratch: list[Scratch], start: dict) -> str:
    """After a notebook: nothing of it left running, in /tmp, /dev/shm or System V IPC; the
    folders in `keep` (HOME, matplotlib's) made again, empty; what the next child inherits as it
    was at `start`. Returns why this sandbox must not serve again, or ''."""
    if not kill_everything_else():
        return "processes of the notebook survived SIGKILL"   # emptying would race them
    for folder in scratch:
        if not folder.empty():
            return f"{folder.top} could not be emptied"
    _remove_ipc()
    for folder in keep:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    if inherited() != start:
        return ("the rlimits or scheduling of the sandbox's first process were changed: "
                "the next notebook would inherit them")
    return ""


def _child(request: dict, fds: list[int], control: socket.socket) -> None:
    """In the forked child: become a fresh notebook process, then run the executor (never returns)."""
    try:
        control.close()
        # a session of its own, as in a cold sandbox: its scheduler autogroup (whose nice value
        # any member may raise through /proc/self/autogroup) is not this process's, nor the next child's
        os.setsid()
        _libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)   # as any process the student starts would be
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        # a fresh process seeds these from the OS; a forked one would share its parent's state
        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        hidden = ",".join(str(fd) for fd in fds)
        argv = [a.replace("{fds}", hidden) for a in request["argv"]]
        from . import executor
        sys.argv = [executor.__file__, *argv]
        executor.main(argv)
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        os._exit(70)


def _checked(message: bytes) -> dict:
    """The request, or ValueError: checked before anything is forked."""
    request = json.loads(message)
    if not (isinstance(request, dict) and isinstance(request.get("argv"), list)
            and all(isinstance(a, str) for a in request["argv"]) and isinstance(request.get("cwd"), str)
            and isinstance(request.get("env"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in request["env"].items())
            and type(request.get("wall")) in (int, float)):
        raise ValueError("expected argv, cwd, env and wall")
    return request


def _run_one(request: dict, fds: list[int], control: socket.socket, keep: list[str],
             scratch: list[Scratch], start: dict) -> dict:
    wall = float(request["wall"])
    pid = os.fork()
    if pid == 0:
        _child(request, fds, control)
    for fd in fds:
        os.close(fd)
    deadline = time.monotonic() + wall
    status, timed_out = None, False
    while status is None:
        status = _reap().get(pid)
        if status is None:
            if time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(0.01)
    # held back (a notebook can set this process's scheduling to SCHED_IDLE and keep the CPU
    # busy), this process would let the notebook's processes run on past their wall time
    late = time.monotonic() > deadline + LATE_SECONDS
    spoiled = clean_up(keep, scratch, start)
    return {"done": True, "status": status, "timed_out": timed_out, "late": late, "spoiled": spoiled,
            "cpu": round(time.process_time(), 3)}


def serve(control: socket.socket, keep: list[str], scratch: list[Scratch], start: dict) -> None:
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_REQUEST_BYTES, 4)
        except OSError:
            message, fds = b"", []
        if not message:
            break
        try:
            request = _checked(message)
        except ValueError as err:
            for fd in fds:
                os.close(fd)
            reply = {"done": False, "error": f"bad request: {err}"}
        else:
            reply = _run_one(request, list(fds), control, keep, scratch, start)
        control.send(json.dumps(reply).encode())
    clean_up(keep, scratch, start)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--control", type=int, required=True)
    parser.add_argument("--preload", default="", help="comma-separated modules to import once")
    args = parser.parse_args(argv)
    control = socket.socket(fileno=args.control)
    # pid 1 gets only the signals it handles: Python's SIGINT handler would let a student's
    # os.kill(1, SIGINT) stop the server; SIGPIPE stays ignored, as Python sets it
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"   # as the executor sets it
    from IPython.core import interactiveshell  # noqa: F401
    from IPython.utils import capture  # noqa: F401

    from . import executor  # noqa: F401  (nbformat, the rfc3987 guard)
    # nbformat compiles its JSON schema on the first notebook it reads: here, once, not in every child
    executor.nbformat.reads(executor.nbformat.writes(executor.nbformat.v4.new_notebook()), as_version=4)
    loaded, failed = [], []
    for name in filter(None, args.preload.split(",")):
        try:
            importlib.import_module(name)
            loaded.append(name)
        except Exception as err:   # a module that will not import here is imported by the notebook
            failed.append(f"{name}: {type(err).__name__}")
    refusal = _refusal()
    if not refusal and _libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        refusal = "prctl(PR_SET_DUMPABLE) failed"
    control.send(json.dumps({"ready": not refusal, "why": refusal, "loaded": loaded, "failed": failed,
                             "pid": os.getpid()}).encode())
    if not refusal:
        # Everything imported so far lives as long as this process: moved out of the garbage
        # collector's sight, a child's collections no longer walk (and copy, page by page) the
        # million objects of torch and the rest it was forked with. A third of a second a notebook.
        gc.collect()
        gc.freeze()
        serve(control, [os.environ[name] for name in ("HOME", "MPLCONFIGDIR") if os.environ.get(name)],
              [Scratch(folder) for folder in CLEAN_DIRS], inherited())
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
