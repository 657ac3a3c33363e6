"""A warm sandbox: one bubblewrap sandbox kept for many runs, one run at a time, each in a fresh
folder and a fresh forked process (the server inside is autograder/kernel/warm.py).

Everything run_sandboxed() sets up holds for the whole sandbox (user, namespaces, read-only
system, no network, rlimits, one cgroup). What a cold sandbox gets by being thrown away, a warm
one gets from its pid 1 between runs (every other process killed, /tmp, /dev/shm and System V
IPC emptied) and from here (the run's folder handed over before and taken back and deleted
after; nothing else of the folder that holds it is writable inside). The sandbox is retired,
and the next run gets a new one, whenever a run leaves it in doubt: a run that outlived its
wall time, processes that survived the kill, a folder that could not be emptied, a changed
rlimit or scheduling setting of the server (the next child would inherit it), a server that
stopped answering or that saw the end of the run late (the run is then reported broken: its
processes may have run past the wall time).
See docs/SANDBOX.md ("Warm sandboxes") for the argument and the attacks it is tested with.
"""
from __future__ import annotations

import dataclasses
import json
import os
import select
import shutil
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .base import Limits, Run, SandboxError, SandboxResult
from .run import _run, probe_isolation
from .workdir import hand_over, take_back

LIFETIME_SECONDS = 6 * 3600   # the sandbox's own wall limit; each run has its own, enforced inside
START_SECONDS = 120           # importing torch and the rest on a busy machine
REPLY_GRACE_SECONDS = 30      # past a run's wall time, how long the server has to report
MAX_SERVER_CPU_SECONDS = 120  # RLIMIT_CPU counts the server's own forks and clean-ups: retire early
MAX_RUNS = 1000


@dataclass
class WarmResult:
    status: int | None        # the child's wait status; None when it did not end by itself
    timed_out: bool
    memory_limit_hit: bool
    # non-empty: the sandbox ended or stopped answering during the run, or its processes may have
    # run past the wall time; nothing of the run is to be used (the caller runs it again, cold)
    broken: str = ""
    seconds: float = 0.0


class WarmSandbox:
    """start() it with a command that has "{control}" among its arguments (the server's socket),
    then run() one request at a time in a folder from new_folder(); close() at the end."""

    def __init__(self, command: list[str], *, limits: Limits, env: dict[str, str], readonly=(),
                 isolation: str = "bubblewrap"):
        if isolation != "bubblewrap" or probe_isolation()[0] != "bubblewrap":
            raise SandboxError("a warm sandbox needs bubblewrap (the fallback has no pid namespace)")
        self.limits = limits
        self.root = Path(tempfile.mkdtemp(prefix="course-warm-")).resolve()
        self.root.chmod(0o711)   # the sandbox user may enter it, not list it or write in it
        self.control, inside = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._inside = inside.detach()
        self._command = [a.replace("{control}", str(self._inside)) for a in command]
        self._env, self._readonly = dict(env), list(readonly)
        self.run_state: Run | None = None
        self.result: SandboxResult | None = None
        self.error: BaseException | None = None
        self.hello: dict = {}
        self.runs = 0
        self.retired = ""
        self.last_used = time.monotonic()
        self.busy = False             # claimed by a job (grading/jobs.py): never closed as idle
        self._thread = threading.Thread(target=self._serve, daemon=True, name="warm-sandbox")

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> dict:
        """Start the sandbox and wait for its server's greeting ({"ready": bool, "why": ...})."""
        self._thread.start()
        message = self._receive(time.monotonic() + START_SECONDS)
        if message is None:
            self.close()
            raise SandboxError(f"the warm sandbox did not start: {self._ended_why()}")
        self.hello = message
        if not message.get("ready"):
            self.close()
            self.retired = f"the warm sandbox refused to serve: {message.get('why')}"
        return message

    def _serve(self) -> None:
        def started(run: Run) -> None:
            if self.retired:   # start() gave up waiting (for a free slot, say): never launch
                raise SandboxError("the warm sandbox was closed before it started")
            self.run_state = run
        try:
            self.result = _run(self._command, self.root, dataclasses.replace(
                self.limits, wall_seconds=LIFETIME_SECONDS), self._env, self._readonly, None,
                "bubblewrap", (self._inside,), started=started, as_pid_1=True, own_workdir=False)
        except BaseException as error:  # reported by whoever waits on this sandbox
            self.error = error
        finally:
            # only now: closed while the launch still waits for a slot, the number could be
            # reused by another descriptor of this process, which the launch would pass inside
            os.close(self._inside)

    @property
    def alive(self) -> bool:
        return not self.retired and self._thread.is_alive()

    def retire(self, why: str) -> None:
        """End the sandbox (every process in it killed) but keep its folders: the run that
        retires it still has its outputs to be read. close() removes them."""
        if not self.retired:
            self.retired = why
        try:
            self.control.close()     # the server sees the end of its socket, cleans up, exits
        except OSError:
            pass
        if self._thread.ident is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive() and self.run_state is not None:
                self.run_state.cancel.set()   # the supervisor kills every process of the sandbox
                self._thread.join(timeout=30)

    def close(self, why: str = "closed") -> None:
        self.retire(why)
        shutil.rmtree(self.root, ignore_errors=True)

    def _ended_why(self) -> str:
        if self.error is not None:
            return f"{type(self.error).__name__}: {self.error}"
        if self.result is not None:
            return f"exit {self.result.returncode}: {self.result.stderr.strip()[-1000:]}"
        return "no answer in time"

    # -- one run --------------------------------------------------------------------------------
    @property
    def user(self):
        return self.run_state.user

    def new_folder(self) -> Path:
        """A fresh, empty folder for the next run, still the caller's (hand_over() in run())."""
        folder = self.root / uuid.uuid4().hex
        folder.mkdir(mode=0o700)
        return folder

    def run(self, folder: Path, argv: list[str], env: dict[str, str], fds=(), wall: float | None = None,
            ) -> WarmResult:
        """Run argv (the server forks; "{fds}" in argv becomes the fds' numbers inside) with
        `folder` as its current and only writable folder; take the folder back afterwards."""
        if not self.alive:
            raise SandboxError(f"the warm sandbox is not running ({self.retired or self._ended_why()})")
        wall = self.limits.wall_seconds if wall is None else wall
        self.runs += 1
        self.last_used = started = time.monotonic()
        oom_before = self._oom_kills()
        owner = hand_over(folder, self.user)
        reply = None
        try:
            request = {"argv": argv, "cwd": str(folder), "env": env, "wall": wall}
            socket.send_fds(self.control, [json.dumps(request).encode()], list(fds))
            reply = _well_typed(self._receive(started + wall + REPLY_GRACE_SECONDS))
        except (OSError, ValueError):   # ValueError: a socket closed under us
            reply = None
        finally:
            oom = self._oom_kills() > oom_before   # read before a retirement removes the cgroup
            broken = "" if reply is not None and reply["done"] else (
                f"the warm sandbox ended during the run: {self._ended_why()}" if not self._thread.is_alive()
                else "the warm sandbox's server did not answer in time")
            if reply is not None and reply["late"]:
                broken = ("the warm sandbox's server saw the end of the run late (it was held back): "
                          "the run's processes may have gone on past its wall time")
            why = broken or (reply or {}).get("spoiled") or (
                "served its share of runs" if reply is not None and (
                    reply["cpu"] > MAX_SERVER_CPU_SECONDS or self.runs >= MAX_RUNS) else "")
            if why:
                self.retire(why)   # kills whatever the run left, before its folder is taken back
            if owner is not None:
                take_back(folder, owner)
        oom = oom or bool(broken and self.result and self.result.memory_limit_hit)
        timed_out = bool(reply and reply["timed_out"]) or (not reply and time.monotonic() - started >= wall)
        self.last_used = time.monotonic()
        return WarmResult(status=reply["status"] if reply else None, timed_out=timed_out,
                          memory_limit_hit=oom, broken=broken, seconds=time.monotonic() - started)

    def _oom_kills(self) -> int:
        group = self.run_state.group if self.run_state is not None else None
        return group.oom_kills() if group is not None else 0

    def _receive(self, deadline: float) -> dict | None:
        """The server's next message, or None if the sandbox ended or the deadline passed."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.control], [], [], min(left, 0.5))
            if ready:
                try:
                    data = self.control.recv(1 << 16)
                except OSError:
                    return None
                if not data:
                    return None
                try:
                    message = json.loads(data)
                except ValueError:
                    return None
                return message if isinstance(message, dict) else None
            if not self._thread.is_alive():
                return None


def _well_typed(reply: dict | None) -> dict | None:
    """The server is ours, but it runs in the sandbox: keep only fields of the expected types."""
    if reply is None:
        return None
    status = reply.get("status")
    cpu = reply.get("cpu")
    spoiled = reply.get("spoiled")
    return {"done": reply.get("done") is True,
            "status": status if type(status) is int else None,
            "timed_out": reply.get("timed_out") is True,
            "late": reply.get("late") is not False,
            "spoiled": spoiled[:500] if isinstance(spoiled, str) else "an unreadable reply",
            "cpu": float(cpu) if type(cpu) in (int, float) else 0.0}
